import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

@testable import EmberChain

/// A block from the future is refused for now, kept, and connected when its time comes (DESIGN.md §5).
@Suite("chain: blocks from the future")
struct ChainFutureBlockTests {
    static let params = ChainBuilder.fastParams()

    static func makeChain() async throws -> Chain {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        return try await Chain(params: params, store: InMemoryChainStore(identity: identity))
    }

    @Test("a block 60 s ahead is refused for now, never remembered invalid, and connects when the clock reaches it")
    func retriedWhenDue() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 2)
        let chain = try await Self.makeChain()
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: builder.nowMs) }
        let parentTime = builder.tip.header.timestamp
        let timestamp = parentTime + 60_000
        let early = builder.makeBlock(timestamp: timestamp)
        // The clock reads 1 s after the parent: the block is 59 s ahead, beyond the 15 s allowed.
        let now = parentTime + 1_000
        #expect(try await chain.submit(early, nowMs: now) == .rejected(.timestampInFuture(limit: now + 15_000, found: timestamp)))
        #expect(await !chain.isKnownInvalid(early.hash))
        #expect(await chain.futureBlockCount == 1)
        #expect(try await chain.retryFutureBlocks(nowMs: now + 30_000).isEmpty)
        #expect(await chain.tip.hash == builder.tip.hash)
        // Due once the timestamp is below now + 15 s: at timestamp − 15 000 + 1.
        #expect(try await chain.retryFutureBlocks(nowMs: timestamp - 15_000).isEmpty)
        let retried = try await chain.retryFutureBlocks(nowMs: timestamp - 14_999)
        #expect(retried.map(\.hash) == [early.hash])
        #expect(retried.first?.outcome == .connected(tip: early.hash, height: 3))
        #expect(await chain.tip.hash == early.hash)
        #expect(await chain.futureBlockCount == 0)
    }

    @Test("the pool of blocks from the future keeps at most its count and bytes, dropping the oldest")
    func bounded() {
        let builder = ChainBuilder(params: Self.params)
        let blocks = (1...4).map { offset in builder.makeBlock(timestamp: builder.tip.header.timestamp + UInt64(offset) * 100_000) }
        var pool = FutureBlockPool(maxBlocks: 2, maxBytes: 1_000_000)
        for block in blocks { pool.add(block, hash: block.hash, size: 10) }
        #expect(pool.count == 2 && pool.byteCount == 20)
        #expect(!pool.contains(blocks[0].hash) && !pool.contains(blocks[1].hash) && pool.contains(blocks[3].hash))
        var small = FutureBlockPool(maxBlocks: 10, maxBytes: 25)
        for block in blocks { small.add(block, hash: block.hash, size: 10) }
        #expect(small.count == 2 && small.byteCount == 20 && small.contains(blocks[2].hash))
        let due = small.takeDue(nowMs: blocks[2].header.timestamp - 14_999)
        #expect(due.map(\.hash) == [blocks[2].hash])
        #expect(small.count == 1 && small.byteCount == 10)
    }
}
