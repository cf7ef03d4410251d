import EmberCore
import EmberCrypto

/// What one connected block minted and burnt (its reward, and its PoLW burn plus the burnt half of
/// its fees plus its covenants' burns), kept with its undo data so a disconnection and a restart
/// need not re-derive them.
public struct BlockSupply: Hashable, Sendable {
    /// The block reward the coinbase could claim.
    public var minted: Amount
    /// Everything the block burnt.
    public var burnt: Amount

    public static let zero = BlockSupply(minted: .zero, burnt: .zero)

    public init(minted: Amount, burnt: Amount) {
        self.minted = minted
        self.burnt = burnt
    }
}

/// The supply figures the store holds for the active chain, read at one instant.
public struct ActiveChainSupply: Hashable, Sendable {
    /// The sum of the figures of the active blocks that have them.
    public var recorded: BlockSupply
    /// The active blocks connected before the store kept figures (schema 2 and older), lowest first:
    /// their figures are derived from their body and undo data, then stored with `recordSupply`.
    public var blocksWithoutFigures: [Hash32]

    public init(recorded: BlockSupply, blocksWithoutFigures: [Hash32]) {
        self.recorded = recorded
        self.blocksWithoutFigures = blocksWithoutFigures
    }
}

/// One row of the blob index: blob `hash` published by the active block `blockHash` at `height`, in
/// transaction `position`, as its blob `index`.
public struct BlobLocation: Hashable, Sendable, CustomStringConvertible {
    public var hash: Hash32
    public var blockHash: Hash32
    public var height: UInt64
    public var position: Int
    public var index: Int

    public init(hash: Hash32, blockHash: Hash32, height: UInt64, position: Int, index: Int) {
        self.hash = hash
        self.blockHash = blockHash
        self.height = height
        self.position = position
        self.index = index
    }

    /// The blob index's key order: hash, height, position, index.
    public static func indexOrder(_ left: BlobLocation, _ right: BlobLocation) -> Bool {
        (left.hash, left.height, left.position, left.index) < (right.hash, right.height, right.position, right.index)
    }

    public var description: String {
        "blob \(hash) at block \(blockHash) (height \(height)), transaction \(position), blob \(index)"
    }
}
