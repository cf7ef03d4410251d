import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

/// Header-first sync as the chain sees it: headers indexed before bodies, locators, answering a
/// peer's getheaders, and bodies that arrive later connecting in order.
@Suite("chain: headers first")
struct ChainHeadersTests {
    static let params = ChainBuilder.fastParams()

    static func makeChain() async throws -> Chain {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        return try await Chain(params: params, store: InMemoryChainStore(identity: identity))
    }

    static func blocks(_ count: Int) throws -> [Block] {
        var builder = ChainBuilder(params: params)
        try builder.extend(by: count)
        return Array(builder.blocks.dropFirst())
    }

    @Test("headers are indexed without bodies, then the bodies connect in order")
    func headersThenBodies() async throws {
        let blocks = try Self.blocks(30)
        let chain = try await Self.makeChain()
        let outcome = try await chain.acceptHeaders(blocks.map(\.header), nowMs: .max / 2)
        #expect(outcome.needingBodies == blocks.map(\.hash))
        #expect(outcome.rejection == nil && outcome.disconnectedAt == nil && outcome.knownInvalidAt == nil)
        #expect(await chain.bestHeaderSummary.height == 30)
        #expect(await chain.tip.height == 0)
        #expect(await chain.knows(blocks[29].hash))
        #expect(await !chain.hasBlock(blocks[29].hash))
        // A second delivery is recognised.
        let again = try await chain.acceptHeaders(blocks.map(\.header), nowMs: .max / 2)
        #expect(again.alreadyKnown == 30 && again.needingBodies.count == 30)
        for block in blocks { _ = try await chain.submit(block, nowMs: .max / 2) }
        #expect(await chain.tip.hash == blocks[29].hash)
    }

    @Test("a header that breaks a rule is refused and remembered; headers that connect to nothing are flagged")
    func badHeaders() async throws {
        let blocks = try Self.blocks(5)
        let chain = try await Self.makeChain()
        // Mined again after the edit, so the header has valid work and fails on its height alone.
        var edited = blocks[2]
        edited.header.height = 9
        let wrongHeight = ChainBuilder.mined(edited).header
        let refused = try await chain.acceptHeaders([blocks[0].header, blocks[1].header, wrongHeight], nowMs: .max / 2)
        #expect(refused.rejection?.index == 2)
        #expect(refused.rejection?.rejection == .wrongHeight(expected: 3, found: 9))
        #expect(refused.needingBodies.count == 2)
        let stray = try await chain.acceptHeaders([blocks[4].header], nowMs: .max / 2)
        #expect(stray.disconnectedAt == 0 && stray.needingBodies.isEmpty)
    }

    @Test("the locator is dense near the tip and reaches genesis; getheaders answers from the fork point")
    func locatorAndAnswer() async throws {
        let blocks = try Self.blocks(60)
        let chain = try await Self.makeChain()
        for block in blocks { _ = try await chain.submit(block, nowMs: .max / 2) }
        let locator = await chain.locator()
        #expect(Array(locator.prefix(10)) == blocks.suffix(10).reversed().map(\.hash))
        #expect(locator.last == Self.params.genesisBlock.hash)
        #expect(locator.count < 25)

        let afterTwenty = await chain.headers(after: [Hash32.zero, blocks[19].hash], stop: .zero)
        #expect(afterTwenty.map(\.hash) == blocks[20...].map(\.hash))
        let limited = await chain.headers(after: [], stop: blocks[4].hash)
        #expect(limited.map(\.hash) == blocks[..<5].map(\.hash))
        let capped = await chain.headers(after: [], stop: .zero, limit: 7)
        #expect(capped.count == 7)
    }
}
