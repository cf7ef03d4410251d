import EmberCore
import EmberCrypto

/// One child block of a Plasma chain: the moves of its coins, at most one per coin, and the sparse
/// Merkle tree of depth 256 keyed by coin id whose root the operator commits to layer 1 (the leaf of a
/// moved coin is the hash of its child transaction, every other leaf empty).
public struct ChildBlock: Sendable {
    /// The block's number on its chain (the `plasmaBlock` lock's `number`); 0 names the deposit.
    public let number: UInt64
    /// The moves, by coin id.
    public let transactions: [Hash32: ChildTransaction]
    private let tree: SparseMerkleTree

    /// Builds block `number` from `transactions`; refuses a block that moves a coin twice, since a coin
    /// has one leaf per block.
    public init(number: UInt64, transactions: [ChildTransaction]) throws(ChildBlockError) {
        guard number >= 1 else { throw .numberZero }
        var byCoin = [Hash32: ChildTransaction](minimumCapacity: transactions.count)
        for transaction in transactions {
            guard byCoin.updateValue(transaction, forKey: transaction.coinId) == nil else {
                throw .coinMovedTwice(transaction.coinId)
            }
        }
        self.number = number
        self.transactions = byCoin
        tree = SparseMerkleTree(leaves: byCoin.mapValues(\.leaf))
    }

    /// The root committed to layer 1.
    public var root: Hash32 { tree.root }

    /// What a client needs to check `coin` in this block: its move and the proof of inclusion, or the
    /// proof that it did not move.
    public func proof(for coin: Hash32) -> CoinProof {
        let proof = tree.proof(for: coin)
        if let move = transactions[coin] { return .moved(move, proof) }
        return .notMoved(proof)
    }
}

/// Why a child block cannot be built.
public enum ChildBlockError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Block 0 is the deposits' place in every coin's history, never a child block.
    case numberZero
    /// Two moves of one coin: a coin has one leaf per block.
    case coinMovedTwice(Hash32)

    public var description: String {
        switch self {
        case .numberZero: "child blocks are numbered from 1; 0 stands for the deposit"
        case .coinMovedTwice(let coin): "coin \(coin) moves twice in one block; it may move at most once"
        }
    }
}
