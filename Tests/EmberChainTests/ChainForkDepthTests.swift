import EmberChain
import EmberConsensus
import EmberCore
import EmberStore
import EmberTestSupport
import Testing

/// DESIGN.md section 11: side branches are kept only when they fork from the active chain within
/// `maxForkDepth` blocks of the tip, whether their block arrives whole or its header came first.
@Suite("chain: fork depth")
struct ChainForkDepthTests {
    static let params = ChainBuilder.fastParams()

    /// A chain keeping forks at most 5 blocks deep, holding `active`'s blocks.
    static func makeChain(holding active: ChainBuilder) async throws -> Chain {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        let chain = try await Chain(params: params, store: InMemoryChainStore(identity: identity), maxForkDepth: 5)
        for block in active.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: block.header.timestamp + 1_000) }
        return chain
    }

    /// A one-block side branch on top of `shared`, mined by another key.
    static func sideBlock(on shared: ChainBuilder) throws -> Block {
        var side = shared
        side.minerKey = .devnet(index: 1)
        try side.extend(by: 1)
        return side.tip
    }

    @Test("a block forking 6 blocks below the tip is not kept; one forking 5 below is")
    func blockForkingTooDeep() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 2)
        let deep = try Self.sideBlock(on: shared)
        try shared.extend(by: 1)
        let within = try Self.sideBlock(on: shared)
        var active = shared
        try active.extend(by: 5)
        #expect(active.tip.header.height == 8)
        let chain = try await Self.makeChain(holding: active)
        #expect(try await chain.submit(deep, nowMs: deep.header.timestamp + 1_000) == .forkTooDeep(depth: 6))
        #expect(try await chain.submit(within, nowMs: within.header.timestamp + 1_000) == .sideBranch)
    }

    @Test("a body whose header was indexed in time is not kept once the tip has moved 6 blocks past the fork")
    func bodyAfterTheTipMovedOn() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 2)
        let side = try Self.sideBlock(on: shared)
        var active = shared
        try active.extend(by: 5)
        let chain = try await Self.makeChain(holding: active)
        let headers = try await chain.acceptHeaders([side.header], nowMs: side.header.timestamp + 1_000)
        #expect(headers.needingBodies == [side.hash])
        try active.extend(by: 1)
        _ = try await chain.submit(active.tip, nowMs: active.tip.header.timestamp + 1_000)
        #expect(try await chain.submit(side, nowMs: side.header.timestamp + 1_000) == .forkTooDeep(depth: 6))
    }
}
