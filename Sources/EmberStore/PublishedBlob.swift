import EmberCore
import EmberCrypto

/// A blob a connected block publishes (DESIGN.md section 15): its name `H(blob)` and where it sits in
/// the block, for the blob index a `BlockConnection` adds.
public struct PublishedBlob: Hashable, Sendable {
    /// `H(blob)`, the name covenants and clients give it.
    public var hash: Hash32
    /// The position of its transaction in the block (0 is the coinbase).
    public var position: Int
    /// Its index in that transaction's `blobs`.
    public var index: Int

    public init(hash: Hash32, position: Int, index: Int) {
        self.hash = hash
        self.position = position
        self.index = index
    }

    /// Every blob of `block`, in block order.
    public static func all(in block: Block) -> [PublishedBlob] {
        block.transactions.enumerated().flatMap { position, transaction in
            transaction.blobHashes.enumerated().map { index, hash in
                PublishedBlob(hash: hash, position: position, index: index)
            }
        }
    }
}
