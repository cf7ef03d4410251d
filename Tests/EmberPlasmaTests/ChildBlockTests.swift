import EmberCore
import EmberCrypto
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// Child blocks as the operator builds them and a client checks them (DESIGN.md section 17), against
/// the plasma section of `../shared/vectors/layer2.json` as it is.
@Suite("Plasma child blocks")
struct ChildBlockTests {
    struct Vectors: Decodable {
        struct ChildTx: Decodable { let encoding: String }
        struct Tree: Decodable {
            struct Proof: Decodable {
                let key: String
                let included: Bool
                let proof: String
            }
            let name: String
            let root: String
            let proofs: [Proof]
        }
        let childTx: ChildTx
        let smt: [Tree]
    }

    static func vectors() throws -> Vectors {
        struct File: Decodable { let plasma: Vectors }
        return try JSONDecoder().decode(File.self, from: SharedVectors.data(named: "layer2.json")).plasma
    }

    static func hash(_ hex: String) throws -> Hash32 { try #require(Hash32(hex: hex)) }

    /// A move of a coin made up from `seed`, signed by devnet key 0.
    static func move(_ seed: UInt8, parentBlock: UInt64 = 0) throws -> ChildTransaction {
        try ChildTransaction(
            coinId: Blake3.hash([seed]), parentBlock: parentBlock, newOwnerKey: RawPublicKey(SigningKey.devnet(index: 1).publicKey.bytes)!,
            signedBy: .devnet(index: 0), network: .devnet)
    }

    @Test("the vector's child transaction alone makes the vector's root, with its proof of inclusion and a coin's proof of non-inclusion")
    func vectorBlock() throws {
        let vectors = try Self.vectors()
        let move = try ChildTransaction.decode(from: try #require([UInt8](hexString: vectors.childTx.encoding)), limit: ChildTransaction.byteCount)
        let tree = try #require(vectors.smt.first { $0.name.hasPrefix("one leaf") })
        let block = try ChildBlock(number: 1, transactions: [move])
        #expect(block.root == (try Self.hash(tree.root)))
        for expected in tree.proofs {
            let coin = try Self.hash(expected.key)
            let proof = block.proof(for: coin)
            #expect((proof.move != nil) == expected.included)
            #expect(proof.proof.encoded == [UInt8](hexString: expected.proof))
            #expect(proof.holds(for: coin, root: block.root))
        }
    }

    @Test("every coin of a block of 300 moves checks out, and so does an unmoved coin; none against another block's root")
    func proofsHoldOnlyForTheirBlock() throws {
        let moves = try (0..<300).map { try Self.move(UInt8(truncatingIfNeeded: $0)) }
        // 300 seeds wrap at 256: keep one move per coin.
        let unique = Dictionary(moves.map { ($0.coinId, $0) }, uniquingKeysWith: { first, _ in first }).values.map { $0 }
        let block = try ChildBlock(number: 7, transactions: unique)
        let other = try ChildBlock(number: 8, transactions: [try Self.move(1, parentBlock: 7)])
        for move in unique {
            let proof = block.proof(for: move.coinId)
            #expect(proof.move == move)
            #expect(proof.holds(for: move.coinId, root: block.root))
            #expect(!proof.holds(for: move.coinId, root: other.root))
        }
        let unmoved = Blake3.hash(Array("never moved".utf8))
        #expect(block.proof(for: unmoved).holds(for: unmoved, root: block.root))
        #expect(block.proof(for: unmoved).move == nil)
    }

    @Test("a proof does not hold for another coin, nor with another coin's move in it")
    func proofIsTiedToItsCoin() throws {
        let (first, second) = (try Self.move(1), try Self.move(2))
        let block = try ChildBlock(number: 3, transactions: [first, second])
        guard case .moved(_, let inclusion) = block.proof(for: first.coinId) else {
            Issue.record("the first coin moved in this block")
            return
        }
        #expect(!block.proof(for: first.coinId).holds(for: second.coinId, root: block.root))
        #expect(!CoinProof.moved(second, inclusion).holds(for: first.coinId, root: block.root))
        // A moved coin's proof offered as "not moved" fails: its leaf is not empty.
        #expect(!CoinProof.notMoved(inclusion).holds(for: first.coinId, root: block.root))
    }

    @Test("a block that moves a coin twice, or is numbered 0, is refused")
    func refusedBlocks() throws {
        let move = try Self.move(5)
        let again = try Self.move(5, parentBlock: 2)
        #expect(throws: ChildBlockError.coinMovedTwice(move.coinId)) { try ChildBlock(number: 3, transactions: [move, again]) }
        #expect(throws: ChildBlockError.numberZero) { try ChildBlock(number: 0, transactions: [move]) }
        let empty = try #require(try Self.vectors().smt.first { $0.name == "empty" })
        #expect(try ChildBlock(number: 1, transactions: []).root == (try Self.hash(empty.root)))
    }
}
