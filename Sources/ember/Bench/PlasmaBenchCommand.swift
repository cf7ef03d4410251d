import ArgumentParser
import EmberCore
import EmberCrypto
import EmberPlasma
import Foundation

/// `ember bench plasma`: issue 16's child-block figures that need no operator yet: building a child
/// block's tree (the operator, per block), the proofs it serves, and a client checking one block for
/// its coins (inclusion for the coins that moved, non-inclusion for the rest), with the proof sizes.
/// The reference is the raw Blake3 rate of one thread in the same run: checking a proof is hashing.
struct PlasmaBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasma",
        abstract: "Child-block tree build, proof sizes, and a client checking one block for its coins."
    )

    @Option(help: "Moves in the child block (the operator's side).")
    var moves: Int = 100_000

    @Option(help: "The client's coins checked in the block; half of them moved in it.")
    var coins: Int = 1_000

    func run() throws {
        guard (2...1_000_000).contains(moves), (2...moves).contains(coins) else {
            throw commandFailure("--moves 2…1000000 and --coins 2…moves")
        }
        let owner = RawPublicKey(SigningKey.devnet(index: 1).publicKey.bytes)!
        let signer = SigningKey.devnet(index: 0)
        let sample = try ChildTransaction(coinId: .zero, parentBlock: 0, newOwnerKey: owner, signedBy: signer, network: .devnet)
        // The signature does not change the tree's cost; one real signature for all keeps generation fast.
        let transactions = (0..<moves).map { index in
            ChildTransaction(
                coinId: Blake3.hash(Array("coin \(index)".utf8)), parentBlock: 0, newOwnerKey: owner, signature: sample.signature)
        }
        let clock = ContinuousClock()
        var start = clock.now
        let block = try ChildBlock(number: 1, transactions: transactions)
        let buildSeconds = (clock.now - start).seconds

        let movedCoins = transactions.prefix(coins / 2).map(\.coinId)
        let unmovedCoins = (0..<(coins - coins / 2)).map { Blake3.hash(Array("absent \($0)".utf8)) }
        let clientCoins = movedCoins + unmovedCoins
        start = clock.now
        let proofs = clientCoins.map { block.proof(for: $0) }
        let serveSeconds = (clock.now - start).seconds

        start = clock.now
        let held = zip(clientCoins, proofs).allSatisfy { coin, proof in proof.holds(for: coin, root: block.root) }
        let checkSeconds = (clock.now - start).seconds
        guard held else { throw commandFailure("a proof the block served did not hold") }

        let sizes = proofs.map(\.proof.encoded.count)
        let movedSizes = sizes.prefix(movedCoins.count), unmovedSizes = sizes.suffix(unmovedCoins.count)
        let hashRate = Self.blake3NodeHashesPerSecond()

        say(String(format: "child block tree     %8.3f s  (%d moves, root committed to layer 1)", buildSeconds, moves))
        say(String(format: "proofs served        %8.3f s  (%d coins)", serveSeconds, coins))
        say(String(format: "client check         %8.3f s  (%d coins of one block: %d inclusion, %d non-inclusion proofs)",
                   checkSeconds, coins, movedCoins.count, unmovedCoins.count))
        say(String(format: "reference            %8.0f node hashes/s on 1 core; hashing all 256 levels of every proof would take %.3f s",
                   hashRate, Double(coins * 256) / hashRate))
        say(String(format: "proof bytes          inclusion mean %.0f, max %d; non-inclusion mean %.0f, max %d (limit %d)",
                   Self.mean(movedSizes), movedSizes.max() ?? 0, Self.mean(unmovedSizes), unmovedSizes.max() ?? 0,
                   SparseMerkleTree.Proof.maxByteCount))
    }

    /// H(0x01 ‖ l ‖ r) per second on this thread, through the tree's own node hash.
    static func blake3NodeHashesPerSecond() -> Double {
        var node = Hash32.zero
        let count = 500_000
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<count { node = SparseMerkleTree.nodeHash(node, node) }
        precondition(node != .zero)
        return Double(count) / (clock.now - start).seconds
    }

    static func mean(_ values: ArraySlice<Int>) -> Double {
        values.isEmpty ? 0 : Double(values.reduce(0, +)) / Double(values.count)
    }
}
