import EmberCore
import EmberCrypto

/// Blocks waiting for their parent, kept until it comes in; bounded in count and bytes, the oldest
/// dropped first, so a peer cannot fill memory with blocks that connect to nothing.
///
/// The one pool for such blocks, the chain's: blocks whose parent it has not seen, and blocks downloaded
/// ahead of their parent's body.
public struct OrphanBlockPool: Sendable {
    /// The chain's bound on the orphans held: enough to ride out blocks arriving out of order during sync.
    public static let defaultMaxBlocks = 256
    /// The chain's bound on the bytes they take: 64 maximum-size blocks.
    public static let defaultMaxBytes = 64 * Block.maxSize

    public let maxBlocks: Int
    public let maxBytes: Int
    private var blocks: [Hash32: (block: CheckedBlock, size: Int)] = [:]
    private var arrivalOrder: [Hash32] = []
    /// The waiting children of each parent, in arrival order.
    private var byParent: [Hash32: [Hash32]] = [:]
    private var bytes = 0

    public init(maxBlocks: Int = Self.defaultMaxBlocks, maxBytes: Int = Self.defaultMaxBytes) {
        self.maxBlocks = maxBlocks
        self.maxBytes = maxBytes
    }

    public var count: Int { blocks.count }
    public var byteCount: Int { bytes }

    public func contains(_ hash: Hash32) -> Bool { blocks[hash] != nil }

    /// Keeps `block` until its parent comes in, dropping the oldest blocks while the pool is over its
    /// bounds.
    public mutating func add(_ block: CheckedBlock) {
        let hash = block.hash
        guard blocks[hash] == nil else { return }
        let size = block.encodedSize
        blocks[hash] = (block, size)
        arrivalOrder.append(hash)
        byParent[block.block.header.parent, default: []].append(hash)
        bytes += size
        while blocks.count > maxBlocks || bytes > maxBytes, let oldest = arrivalOrder.first {
            remove(oldest)
        }
    }

    /// Takes out and returns the blocks waiting for `parent`, in the order they arrived.
    public mutating func takeChildren(of parent: Hash32) -> [CheckedBlock] {
        guard let children = byParent[parent] else { return [] }
        return children.compactMap { hash in
            let block = blocks[hash]?.block
            remove(hash)
            return block
        }
    }

    private mutating func remove(_ hash: Hash32) {
        guard let (block, size) = blocks.removeValue(forKey: hash) else { return }
        let parent = block.block.header.parent
        bytes -= size
        arrivalOrder.removeAll { $0 == hash }
        byParent[parent]?.removeAll { $0 == hash }
        if byParent[parent]?.isEmpty == true { byParent[parent] = nil }
    }
}
