import EmberCore
import EmberCrypto

/// Walks the active chain's blocks in height order, a page at a time, so re-deriving state from the
/// stored blocks or exporting them never holds the whole chain in memory.
///
/// Each page is read in its own transaction; the cursor checks that every block is the child of the
/// one before, and reports `activeChainChanged` when a reorg ran between two pages.
public struct ActiveBlockCursor: Sendable {
    private let store: any ChainStore
    private let pageSize: Int
    private var nextHeight: UInt64
    private var previousHash: Hash32?
    /// The rest of the current page, last block first, so taking the next one is `removeLast`.
    private var pendingReversed: [Block] = []

    init(store: any ChainStore, from height: UInt64, pageSize: Int) {
        self.store = store
        self.pageSize = max(1, pageSize)
        nextHeight = height
    }

    /// The next block of the active chain, or nil after the tip.
    public mutating func next() throws(StoreError) -> Block? {
        if pendingReversed.isEmpty {
            pendingReversed = try store.activeBlocks(from: nextHeight, limit: pageSize).reversed()
        }
        guard let block = pendingReversed.popLast() else { return nil }
        let followsPrevious = previousHash.map { block.header.parent == $0 } ?? true
        guard block.header.height == nextHeight, followsPrevious else {
            throw .activeChainChanged(atHeight: nextHeight)
        }
        previousHash = block.hash
        nextHeight += 1
        return block
    }
}

extension ChainStore {
    /// A cursor over the active chain's blocks from `height` up, reading `pageSize` blocks at a time.
    public func activeBlocks(from height: UInt64 = 0, pageSize: Int = 64) -> ActiveBlockCursor {
        ActiveBlockCursor(store: self, from: height, pageSize: pageSize)
    }
}
