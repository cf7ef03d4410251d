import EmberCore
import EmberCrypto

/// A blob published on the active chain, read from the block that carries it.
public struct StoredBlob: Hashable, Sendable {
    /// `H(bytes)`.
    public var hash: Hash32
    /// The block that published it.
    public var blockHash: Hash32
    /// That block's height.
    public var height: UInt64
    /// The transaction that published it.
    public var txid: Hash32
    /// Its index in that transaction's `blobs`.
    public var index: Int
    /// The blob itself.
    public var bytes: [UInt8]

    public init(hash: Hash32, blockHash: Hash32, height: UInt64, txid: Hash32, index: Int, bytes: [UInt8]) {
        self.hash = hash
        self.blockHash = blockHash
        self.height = height
        self.txid = txid
        self.index = index
        self.bytes = bytes
    }

    /// The blob `published` names in `block` at `height`, or nil when the block holds no such blob or
    /// its bytes do not hash to the name (a damaged index, reported by the caller).
    init?(_ published: PublishedBlob, in block: Block, height: UInt64) {
        guard block.transactions.indices.contains(published.position) else { return nil }
        let transaction = block.transactions[published.position]
        guard transaction.blobs.indices.contains(published.index) else { return nil }
        let bytes = transaction.blobs[published.index]
        guard Blake3.hash(bytes) == published.hash else { return nil }
        self.init(
            hash: published.hash, blockHash: block.hash, height: height, txid: transaction.txid,
            index: published.index, bytes: bytes)
    }
}
