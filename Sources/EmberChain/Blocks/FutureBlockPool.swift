import EmberConsensus
import EmberCore
import EmberCrypto

/// Blocks refused only because their timestamp is ahead of our clock (DESIGN.md section 5), kept until
/// their time comes; bounded in count and bytes, the oldest dropped first, so a peer cannot fill memory
/// with blocks dated far ahead.
struct FutureBlockPool: Sendable {
    /// Bounds the blocks held: a block can only be 15 s early plus our clock's error, so a few suffice.
    static let defaultMaxBlocks = 32
    /// Bounds the bytes they take: 8 maximum-size blocks.
    static let defaultMaxBytes = 8 * 4 * 1_024 * 1_024

    let maxBlocks: Int
    let maxBytes: Int
    private var blocks: [(hash: Hash32, block: Block, size: Int)] = []
    private var bytes = 0

    init(maxBlocks: Int = Self.defaultMaxBlocks, maxBytes: Int = Self.defaultMaxBytes) {
        self.maxBlocks = maxBlocks
        self.maxBytes = maxBytes
    }

    var count: Int { blocks.count }
    var byteCount: Int { bytes }

    func contains(_ hash: Hash32) -> Bool { blocks.contains { $0.hash == hash } }

    /// Keeps `block`, dropping the oldest ones while the pool is over its bounds.
    mutating func add(_ block: Block, hash: Hash32, size: Int) {
        guard !contains(hash) else { return }
        blocks.append((hash, block, size))
        bytes += size
        while blocks.count > maxBlocks || bytes > maxBytes, !blocks.isEmpty {
            bytes -= blocks.removeFirst().size
        }
    }

    /// Takes out the blocks no longer from the future at `nowMs`, lowest height first.
    mutating func takeDue(nowMs: UInt64) -> [(hash: Hash32, block: Block)] {
        let (limit, overflow) = nowMs.addingReportingOverflow(ConsensusParams.maxFutureDriftMs)
        let isDue = { (block: Block) in overflow || block.header.timestamp < limit }
        let due = blocks.filter { isDue($0.block) }
        blocks.removeAll { isDue($0.block) }
        bytes = blocks.reduce(0) { $0 + $1.size }
        return due.sorted { $0.block.header.height < $1.block.header.height }.map { ($0.hash, $0.block) }
    }
}
