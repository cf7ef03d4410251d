import EmberCrypto
import Foundation

/// The `imported HEIGHT HASH` lines of `ember chain import --report-every N`, printed only once the
/// write-back store has written the blocks: a crash test reads them as proof of what survives a kill.
struct DurableBlockReport {
    /// Print every Nth durable block; 0 prints none.
    let every: Int
    /// Blocks connected but still in the write-back store's memory, oldest first.
    private var waiting: [(height: UInt64, hash: Hash32)] = []
    /// Blocks reported durable so far.
    private(set) var durableCount = 0

    init(every: Int) { self.every = every }

    mutating func connected(height: UInt64, hash: Hash32) {
        waiting.append((height, hash))
    }

    /// Every block connected so far is durable now.
    mutating func allDurable() {
        for block in waiting {
            durableCount += 1
            if every > 0, durableCount % every == 0 {
                // Written straight to the descriptor, so no line waits in a buffer when the process dies.
                FileHandle.standardOutput.write(Data("imported \(block.height) \(block.hash)\n".utf8))
            }
        }
        waiting.removeAll(keepingCapacity: true)
    }
}
