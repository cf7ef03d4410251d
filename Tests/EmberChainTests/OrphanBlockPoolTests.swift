import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@testable import EmberChain

/// The pool of blocks waiting for their parent, on its own.
@Suite("chain: orphan block pool")
struct OrphanBlockPoolTests {
    static let params = ChainBuilder.fastParams()

    /// Children of the tip, told apart by their timestamps.
    static func siblings(_ count: Int) -> (parent: Hash32, blocks: [CheckedBlock]) {
        let builder = ChainBuilder(params: params)
        let blocks = (1...count).map { offset in
            CheckedBlock(unchecked: builder.makeBlock(timestamp: builder.tip.header.timestamp + UInt64(offset)), params: params)
        }
        return (builder.tip.hash, blocks)
    }

    @Test("the children of a parent come out in arrival order, and only once")
    func childrenInArrivalOrder() {
        let (parent, blocks) = Self.siblings(3)
        var pool = OrphanBlockPool()
        for block in [blocks[2], blocks[0], blocks[1], blocks[0]] { pool.add(block) }
        #expect(pool.count == 3 && pool.contains(blocks[1].hash))
        #expect(pool.takeChildren(of: parent).map(\.hash) == [blocks[2].hash, blocks[0].hash, blocks[1].hash])
        #expect(pool.takeChildren(of: parent).isEmpty)
        #expect(pool.count == 0 && pool.byteCount == 0 && !pool.contains(blocks[1].hash))
    }

    @Test("the pool keeps at most its count and bytes, dropping the oldest")
    func bounded() {
        let (parent, blocks) = Self.siblings(4)
        let size = blocks[0].block.encoded.count
        var pool = OrphanBlockPool(maxBlocks: 2, maxBytes: 1_000_000)
        for block in blocks { pool.add(block) }
        #expect(pool.count == 2 && pool.byteCount == 2 * size)
        #expect(!pool.contains(blocks[0].hash) && !pool.contains(blocks[1].hash) && pool.contains(blocks[3].hash))
        var small = OrphanBlockPool(maxBlocks: 10, maxBytes: 2 * size + size / 2)
        for block in blocks { small.add(block) }
        #expect(small.count == 2 && small.byteCount == 2 * size)
        #expect(small.takeChildren(of: parent).map(\.hash) == [blocks[2].hash, blocks[3].hash])
    }

    @Test("the chain's pool holds 256 blocks or 64 of the largest size")
    func chainBounds() {
        let pool = OrphanBlockPool()
        #expect(pool.maxBlocks == 256 && pool.maxBytes == 64 * Block.maxSize)
    }
}
