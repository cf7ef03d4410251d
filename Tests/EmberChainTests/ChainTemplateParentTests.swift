import EmberChain
import EmberConsensus
import EmberCore
import EmberStore
import EmberTestSupport
import Testing

/// A template's inputs come from one chain call: the tip and the context it is checked against.
@Suite("chain: template parent")
struct ChainTemplateParentTests {
    @Test("the template parent's context is that of its tip, with the span start N blocks back")
    func oneCall() async throws {
        var builder = ChainBuilder(params: ChainHeadersTests.params)
        try builder.extend(by: 20)
        let chain = try await ChainHeadersTests.makeChain()
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: .max / 2) }
        let parent = try await chain.templateParent
        #expect(parent.tip.hash == builder.tip.hash)
        #expect(parent.context.header == builder.tip.header)
        // The tip is at height 20, so the span starts at height 20 − 17 = 3 (DESIGN.md section 7).
        #expect(parent.context.spanStartTimestampMs == builder.blocks[3].header.timestamp)
    }
}
