import EmberCore
import EmberCrypto
import EmberNode
import Foundation
import Testing

/// `BenchNode`: two nodes in this process, each with its own temporary folder, on ephemeral ports of
/// 127.0.0.1.
@Suite("A node inside a benchmark's process")
struct BenchNodeTests {
    @Test("a node started with the other as its peer catches up with it, and a block submitted later reaches it")
    func syncsAndRelays() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-node-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let settings = NetworkSettings()
        var generator = SyntheticChain(params: try settings.consensusParams())
        let source = try await BenchNode.open(folder: work.appendingPathComponent("source").path, settings: settings)
        for _ in 0..<3 { try await source.submit(try generator.nextBlock(transactions: 4)) }
        #expect(await source.tip.height == 3)
        try await source.startNetwork(peers: [])
        let sink = try await BenchNode.open(folder: work.appendingPathComponent("sink").path, settings: settings)
        try await sink.startNetwork(peers: [await source.endpoint], maxOutbound: 1)

        #expect(try await Self.waitFor(sink, toReach: await source.tip.hash))
        let late = try generator.nextBlock(transactions: 4)
        try await source.submit(late)
        #expect(try await Self.waitFor(sink, toReach: late.hash))
        let peers = (sink: await sink.peerCount, source: await source.peerCount)
        #expect(peers.sink == 1 && peers.source == 1)
        await sink.stop()
        await source.stop()
    }

    /// Whether `node`'s tip becomes `hash` within 90 seconds (the full suite runs process-heavy
    /// channel tests beside this one on two cores; alone it takes well under a second).
    static func waitFor(_ node: BenchNode, toReach hash: Hash32) async throws -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while await node.tip.hash != hash {
            guard clock.now - start < .seconds(90) else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
