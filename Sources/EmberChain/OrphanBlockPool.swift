import EmberCore
import EmberCrypto

/// Blocks whose parent we have not seen, kept until it arrives; bounded so a peer cannot fill memory
/// with blocks that connect to nothing.
struct OrphanBlockPool: Sendable {
    /// Bounds the orphans held: enough to ride out blocks arriving out of order during sync.
    static let maxBlocks = 256
    /// Bounds the bytes they take: 64 maximum-size blocks.
    static let maxBytes = 64 * 4 * 1_024 * 1_024

    private var blocks: [Hash32: (block: Block, size: Int)] = [:]
    private var arrivalOrder: [Hash32] = []
    private var byParent: [Hash32: Set<Hash32>] = [:]
    private var bytes = 0

    var count: Int { blocks.count }

    func contains(_ hash: Hash32) -> Bool { blocks[hash] != nil }

    /// Adds an orphan, evicting the oldest ones while the pool is over its bounds.
    mutating func add(_ block: Block, hash: Hash32, size: Int) {
        guard blocks[hash] == nil else { return }
        blocks[hash] = (block, size)
        arrivalOrder.append(hash)
        byParent[block.header.parent, default: []].insert(hash)
        bytes += size
        while blocks.count > Self.maxBlocks || bytes > Self.maxBytes, let oldest = arrivalOrder.first {
            remove(oldest)
        }
    }

    /// Takes out and returns the orphans waiting for `parent`.
    mutating func takeChildren(of parent: Hash32) -> [Block] {
        guard let children = byParent[parent] else { return [] }
        return children.sorted().compactMap { hash in
            let block = blocks[hash]?.block
            remove(hash)
            return block
        }
    }

    private mutating func remove(_ hash: Hash32) {
        guard let (block, size) = blocks.removeValue(forKey: hash) else { return }
        bytes -= size
        arrivalOrder.removeAll { $0 == hash }
        byParent[block.header.parent]?.remove(hash)
        if byParent[block.header.parent]?.isEmpty == true { byParent[block.header.parent] = nil }
    }
}
