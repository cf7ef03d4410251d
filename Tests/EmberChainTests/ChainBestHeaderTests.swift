import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

/// The best header is kept as headers are indexed and blocks marked invalid, not found by a scan.
@Suite("chain: the best header")
struct ChainBestHeaderTests {
    static let params = ChainBuilder.fastParams()

    static func makeChain() async throws -> Chain {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        return try await Chain(params: params, store: InMemoryChainStore(identity: identity))
    }

    /// A mined header on top of `parent` (which `builder` need not hold), with the target the rules
    /// demand; `builder` supplies the ancestors below `parent`.
    static func childHeader(of parent: BlockHeader, below builder: ChainBuilder) throws -> BlockHeader {
        let ancestors = builder.blocks.map(\.header) + [parent]
        let spanStart = DifficultyAdjustment.spanStartHeight(parentHeight: parent.height).map { ancestors[Int($0)].timestamp }
        let target = try params.difficultyAdjustment.nextTarget(
            parentTarget: parent.target, parentHeight: parent.height, parentTimestampMs: parent.timestamp,
            spanStartTimestampMs: spanStart ?? parent.timestamp)
        let header = BlockHeader(
            nonce: .zero, height: parent.height + 1, parent: parent.hash, txRoot: .zero,
            timestamp: parent.timestamp + params.blockTimeMs, target: target)
        return ChainBuilder.mined(Block(header: header, transactions: [])).header
    }

    @Test("a heavier fork's header becomes the best; when its branch is found invalid the best falls back")
    func forkThenInvalid() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 3)
        var left = shared
        left.minerKey = .devnet(index: 1)
        try left.extend(by: 2)
        var right = shared
        right.minerKey = .devnet(index: 2)
        try right.extend(by: 1)
        // A header that passes tiers 1 and 2 over a coinbase that overpays: only tier 4 can tell.
        var bad = right.makeBlock()
        bad.transactions[0].outputs[0].amount = Amount(units: bad.transactions[0].outputs[0].amount.units + 1)
        bad = ChainBuilder.sealed(bad)
        let badChild = try Self.childHeader(of: bad.header, below: right)

        let chain = try await Self.makeChain()
        for block in shared.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: shared.nowMs) }
        #expect(await chain.bestHeaderSummary.hash == shared.tip.hash)

        let leftOutcome = try await chain.acceptHeaders(left.blocks.suffix(2).map(\.header), nowMs: left.nowMs)
        #expect(leftOutcome.needingBodies.count == 2 && leftOutcome.rejection == nil)
        #expect(await chain.bestHeaderSummary.hash == left.tip.hash)
        #expect(await chain.bestHeaderSummary.height == 5)
        #expect(await chain.locator().first == left.tip.hash)

        let rightHeaders = [right.tip.header, bad.header, badChild]
        let rightOutcome = try await chain.acceptHeaders(rightHeaders, nowMs: right.nowMs + 60_000)
        #expect(rightOutcome.needingBodies.count == 3 && rightOutcome.rejection == nil)
        #expect(await chain.bestHeaderSummary.hash == badChild.hash)
        #expect(await chain.bestHeaderSummary.height == 6)

        #expect(try await chain.submit(right.tip, nowMs: right.nowMs) == .connected(tip: right.tip.hash, height: 4))
        #expect(await chain.bestHeaderSummary.hash == badChild.hash)
        let outcome = try await chain.submit(bad, nowMs: right.nowMs)
        guard case .rejected(.coinbaseAmount) = outcome else {
            Issue.record("expected the overpaying coinbase to be refused, got \(outcome)")
            return
        }
        #expect(await chain.isKnownInvalid(bad.hash))
        // The child of the invalid block is not the best header, though it has the most work.
        #expect(await chain.bestHeaderSummary.hash == left.tip.hash)
        #expect(await chain.locator().first == left.tip.hash)
        #expect(await chain.blocksMissingBodies(limit: 10).map(\.hash) == left.blocks.suffix(2).map(\.hash))
    }
}
