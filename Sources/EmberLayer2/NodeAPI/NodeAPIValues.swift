import EmberCore
import EmberCrypto

/// The node's network and active tip, from `GET /v1/info`.
public struct ChainTip: Hashable, Sendable {
    public let network: NetworkID
    public let height: UInt64
    public let hash: Hash32

    public init(network: NetworkID, height: UInt64, hash: Hash32) {
        self.network = network
        self.height = height
        self.hash = hash
    }
}

/// A block as a node served it, decoded and checked to hash to what the node claimed.
public struct ObservedBlock: Hashable, Sendable {
    public let block: Block
    public let hash: Hash32
    public let height: UInt64
    /// Whether the node had it on its active chain when asked.
    public let isActive: Bool

    public init(block: Block, hash: Hash32, height: UInt64, isActive: Bool) {
        self.block = block
        self.hash = hash
        self.height = height
        self.isActive = isActive
    }

    /// The parent's hash, from the header.
    public var parent: Hash32 { block.header.parent }
}

/// A blob published on the active chain, from `GET /v1/blobs/{hash}`, checked to hash to its name.
public struct PublishedBlob: Hashable, Sendable {
    public let hash: Hash32
    /// The transaction that published it, and where that transaction is.
    public let txid: Hash32
    public let blockHash: Hash32
    public let height: UInt64
    public let bytes: [UInt8]

    public init(hash: Hash32, txid: Hash32, blockHash: Hash32, height: UInt64, bytes: [UInt8]) {
        self.hash = hash
        self.txid = txid
        self.blockHash = blockHash
        self.height = height
        self.bytes = bytes
    }
}
