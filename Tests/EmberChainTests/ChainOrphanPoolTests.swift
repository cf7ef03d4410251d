import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

/// The chain's orphan pool is the only one: a block whose parent's body has not arrived waits there
/// (headers-first sync delivers bodies out of order) and follows the parent in, each follower's outcome
/// reported so the peer network can score whoever sent it.
@Suite("chain: blocks waiting for their parent's body")
struct ChainOrphanPoolTests {
    static let params = ChainBuilder.fastParams()

    /// A chain holding genesis and block 1, with the headers of blocks 2…5 of `builder` indexed.
    static func chainWithHeaders(_ builder: ChainBuilder) async throws -> Chain {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        let chain = try await Chain(params: params, store: InMemoryChainStore(identity: identity))
        #expect(try await chain.submit(builder.blocks[1], nowMs: builder.nowMs) == .connected(tip: builder.blocks[1].hash, height: 1))
        let headers = try await chain.acceptHeaders(builder.blocks[2...].map(\.header), nowMs: builder.nowMs)
        #expect(headers.needingBodies.count == builder.blocks.count - 2)
        return chain
    }

    @Test("bodies that arrive before their parent's wait unstored, are not asked for again, and follow it in, in order")
    func outOfOrderBodiesFollowTheParent() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 5)
        let blocks = builder.blocks
        let chain = try await Self.chainWithHeaders(builder)

        #expect(try await chain.submit(CheckedBlock(blocks[5], params: Self.params), nowMs: builder.nowMs) == .orphan)
        #expect(try await chain.submit(CheckedBlock(blocks[3], params: Self.params), nowMs: builder.nowMs) == .orphan)
        #expect(try await chain.submit(CheckedBlock(blocks[4], params: Self.params), nowMs: builder.nowMs) == .orphan)
        // Held in memory only: nothing of them is stored, and only block 2's body is still missing.
        #expect(await chain.tip.hash == blocks[1].hash)
        #expect(await chain.blocksMissingBodies(limit: 100).map(\.hash) == [blocks[2].hash])

        let report = try await chain.submitFollowing(CheckedBlock(blocks[2], params: Self.params), nowMs: builder.nowMs)
        #expect(report.outcome == .connected(tip: blocks[2].hash, height: 2))
        #expect(report.followers.map(\.hash) == [blocks[3].hash, blocks[4].hash, blocks[5].hash])
        #expect(report.followers.map(\.outcome) == (3...5).map { .connected(tip: blocks[$0].hash, height: UInt64($0)) })
        #expect(await chain.tip.hash == blocks[5].hash)
        #expect(await chain.blocksMissingBodies(limit: 100).isEmpty)
    }

    @Test("a waiting body that fails tier 3 is reported refused when its parent comes in; the real body still connects")
    func refusedFollowerIsReported() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let blocks = builder.blocks
        let chain = try await Self.chainWithHeaders(builder)
        // Block 3's header over another body (block 2's transactions): the Merkle root no longer matches.
        let swapped = Block(header: blocks[3].header, transactions: blocks[2].transactions)
        #expect(try await chain.submit(CheckedBlock(swapped, params: Self.params), nowMs: builder.nowMs) == .orphan)

        let report = try await chain.submitFollowing(CheckedBlock(blocks[2], params: Self.params), nowMs: builder.nowMs)
        #expect(report.outcome == .connected(tip: blocks[2].hash, height: 2))
        #expect(report.followers.count == 1)
        guard case .rejected(let rejection)? = report.followers.first?.outcome else {
            Issue.record("the swapped body was not refused: \(report.followers)")
            return
        }
        #expect(rejection.isSenderAtFault)
        // A swapped body proves nothing against the header: the genuine block still connects.
        #expect(try await chain.submit(blocks[3], nowMs: builder.nowMs) == .connected(tip: blocks[3].hash, height: 3))
    }
}
