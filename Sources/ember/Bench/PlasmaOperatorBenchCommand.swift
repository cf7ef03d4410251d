import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberPlasma
import Foundation
import Logging

/// `ember bench plasma-operator`: issue 16's operator figures in one run: child transactions per second
/// through a running operator over HTTP, durable (`OperatorBenchmark`), beside the same run's Ed25519
/// verification ceiling; and what that rate costs layer 1: one commit per layer-1 block carries every
/// move of the block, so the layer-1 bytes per move are the commit's size over the moves per block.
struct PlasmaOperatorBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasma-operator",
        abstract: "Plasma operator: moves/s over HTTP (durable) vs the Ed25519 ceiling, layer-1 bytes per move, proof sizes."
    )

    @Option(help: "Moves posted (each a first move of its own coin).")
    var moves: Int = 100_000
    @Option(help: "Moves per HTTP request (1…4096).")
    var batch: Int = 4_096
    @Option(help: "Requests in flight.")
    var concurrent: Int = 4
    @Option(help: "Seconds between two seals while the moves come in.")
    var blockInterval: Double = 2

    func run() async throws {
        guard (1_000...1_000_000).contains(moves) else { throw commandFailure("--moves 1000…1000000") }
        var logger = Logger(label: "ember.bench.plasma-operator")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-plasma-operator-\(UUID().uuidString)")
        let report: OperatorBenchmark.Report
        do {
            report = try await OperatorBenchmark.run(
                moves: moves, batchSize: batch, concurrentRequests: concurrent, blockInterval: .milliseconds(Int64(blockInterval * 1_000)),
                folder: folder, logger: logger)
        } catch {
            throw commandFailure("\(error)")
        }
        print(report.description)

        let commitBytes = try Self.commitSize()
        print("commit transaction   \(commitBytes) bytes (one plain fee input and change; built and checked by the consensus rules)")
        for (name, params) in [("mainnet", ConsensusParams.mainnet), ("devnet", WalletSender.params(for: .devnet))] {
            let seconds = Double(params.blockTimeMs) / 1_000
            let perBlock = report.movesPerSecond * seconds
            let bytesPerMove = String(format: "%8.4f", Double(commitBytes) / perBlock)
            print("layer-1 bytes/move   \(bytesPerMove)  on \(name) (\(Int(seconds)) s blocks: \(Int(perBlock)) moves per commit at this rate; target ≤ 1 byte)")
        }

        // Proof sizes in a block of the moves one mainnet commit carries at this rate (up to the operator's cap).
        let blockMoves = min(250_000, max(2, Int(report.movesPerSecond * Double(ConsensusParams.mainnet.blockTimeMs) / 1_000)))
        let owner = RawPublicKey(SigningKey.devnet(index: 1).publicKey.bytes)!
        let sample = try ChildTransaction(coinId: .zero, parentBlock: 0, newOwnerKey: owner, signedBy: .devnet(index: 0), network: .devnet)
        let block = try ChildBlock(number: 1, transactions: (0..<blockMoves).map {
            ChildTransaction(coinId: Blake3.hash(Array("bench coin \($0)".utf8)), parentBlock: 0, newOwnerKey: owner, signature: sample.signature)
        })
        let included = (0..<200).map { block.proof(for: Blake3.hash(Array("bench coin \($0 * max(1, blockMoves / 200))".utf8))).proof.encoded.count }
        let absent = (0..<200).map { block.proof(for: Blake3.hash(Array("absent \($0)".utf8))).proof.encoded.count }
        print(String(
            format: "proof bytes          block of %d moves: inclusion mean %.0f, max %d; non-inclusion mean %.0f, max %d; a move is %d bytes",
            blockMoves, Double(included.reduce(0, +)) / 200, included.max() ?? 0, Double(absent.reduce(0, +)) / 200, absent.max() ?? 0,
            ChildTransaction.byteCount))
    }

    /// The size of a real commit (an operator output, its open bond read, one funding output of the
    /// operator key paying the fee), as `PlasmaOperatorTransactions` builds it on mainnet.
    static func commitSize() throws -> Int {
        let params = ConsensusParams.mainnet
        let key = SigningKey.devnet(index: 0)
        let transactions = PlasmaOperatorTransactions(params: params, operatorKey: key)
        let chainId = Blake3.hash(Array("bench chain".utf8))
        let operatorOutput = PlasmaOperatorTransactions.ChainOutput(
            outpoint: OutPoint(txid: Blake3.hash(Array("operator".utf8)), index: 0),
            unspent: UnspentOutput(
                output: Output(amount: params.dust, lock: .plasmaOperator(PlasmaOperatorLock(chainId: chainId, operatorKey: transactions.rawOperatorKey, nextNumber: 1000))),
                height: 100, isCoinbase: false))
        let bond = PlasmaOperatorTransactions.ChainOutput(
            outpoint: OutPoint(txid: Blake3.hash(Array("register".utf8)), index: 1),
            unspent: UnspentOutput(
                output: Output(amount: Amount(coins: 100)!, lock: .plasmaBond(PlasmaBondLock(chainId: chainId, exitWindow: 720, state: .open))),
                height: 50, isCoinbase: false))
        let funding = WalletOutput(outpoint: OutPoint(txid: Blake3.hash(Array("fees".utf8)), index: 1), amount: Amount(coins: 5)!, height: 99)
        do {
            return try transactions.commit(
                root: Blake3.hash(Array("root".utf8)), operator: operatorOutput, bond: bond,
                in: .init(height: 101, funding: [funding], nowMs: UInt64(Date().timeIntervalSince1970 * 1_000))
            ).transaction.encoded.count
        } catch {
            throw commandFailure("building a commit to measure failed: \(error)")
        }
    }
}
