import EmberCrypto
import Foundation

/// A child block as the operator stored it: what the layer-1 committer commits (number and root) and,
/// once it has, where.
public struct SealedBlock: Hashable, Sendable {
    public let number: UInt64
    /// The root of the block's sparse Merkle tree, the value the `plasmaBlock` lock pins.
    public let root: Hash32
    /// When the operator sealed it, to the millisecond.
    public let sealedAt: Date
    public let transactionCount: Int
    /// The layer-1 transaction that committed the root, once there is one.
    public let commitTxid: Hash32?
    /// The layer-1 height of that transaction.
    public let commitHeight: UInt64?

    public init(number: UInt64, root: Hash32, sealedAt: Date, transactionCount: Int, commitTxid: Hash32? = nil, commitHeight: UInt64? = nil) {
        self.number = number
        self.root = root
        self.sealedAt = sealedAt
        self.transactionCount = transactionCount
        self.commitTxid = commitTxid
        self.commitHeight = commitHeight
    }
}
