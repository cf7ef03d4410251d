import EmberCore
import EmberCrypto

/// One block of the block index: its header, the chain work up to it and its status.
public struct BlockIndexEntry: Hashable, Sendable {
    /// The block hash, `header.hash`, kept so loading the index does not rehash every header.
    public var hash: Hash32
    /// The block's header.
    public var header: BlockHeader
    /// The cumulative chain work up to and including this block, as a big-endian unsigned integer.
    /// Opaque to the store, which neither compares nor adds it.
    public var cumulativeWork: [UInt8]
    /// What is known about the block.
    public var status: BlockStatus

    public init(hash: Hash32, header: BlockHeader, cumulativeWork: [UInt8], status: BlockStatus) {
        self.hash = hash
        self.header = header
        self.cumulativeWork = cumulativeWork
        self.status = status
    }

    /// An entry for `header`, hashing it.
    public init(header: BlockHeader, cumulativeWork: [UInt8], status: BlockStatus) {
        self.init(hash: header.hash, header: header, cumulativeWork: cumulativeWork, status: status)
    }

    /// The block's height.
    public var height: UInt64 { header.height }
}
