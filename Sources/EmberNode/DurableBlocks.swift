import EmberCrypto

/// The blocks an import has connected through a write-back store, held until a flush writes them, so
/// each is reported durable only once it would survive a kill (a crash test reads the reports as
/// proof of what survives).
struct DurableBlocks {
    /// Blocks connected but still in the write-back store's memory, oldest first.
    private var waiting: [(height: UInt64, hash: Hash32)] = []
    /// Blocks reported durable so far.
    private(set) var durableCount = 0

    mutating func connected(height: UInt64, hash: Hash32) {
        waiting.append((height, hash))
    }

    /// Every block connected so far is durable now: reports each, oldest first.
    mutating func allDurable(_ report: (ChainImportProgress) -> Void) {
        for block in waiting {
            durableCount += 1
            report(.durable(ordinal: durableCount, height: block.height, hash: block.hash))
        }
        waiting.removeAll(keepingCapacity: true)
    }
}
