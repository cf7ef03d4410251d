import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import EmberTruebit
import Foundation
import Testing

/// The SPV input fetched from a real `ember node` process on 127.0.0.1, then checked by the program.
@Suite("SPV input from a node", .serialized)
struct SPVNodeFetchTests {
    @Test("the last headers of a devnet node make an input the program accepts, ending at the node's tip")
    func fetchesFromNode() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-spv-node-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let node = try NodeProcess(
            folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
            arguments: ["--network", "devnet", "--block-time-ms", "500"])
        defer { node.process.terminate() }
        #expect(await node.waitForInfo(seconds: 90) != nil, "\(node.output.suffix(800))")
        for _ in 0..<4 {
            let mined = try await node.mineBlock()
            #expect(mined.outcome == "connected")
        }
        let client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:\(node.apiPort)")!)
        let maximumTarget = try ConsensusParams.devnet().maxTarget
        let tip = try await client.tip()
        #expect(tip.height == 4)

        let input = try await SPVTaskInput.fetchLatest(count: 4, from: client, maximumTarget: maximumTarget)
        #expect(input.headers.map(\.height) == [1, 2, 3, 4])
        let genesis = try #require(try await client.block(atHeight: 0))
        let run = try #require(try SPVProgramRunner.run(input.encoded))
        guard case .valid(let output) = run.verdict else {
            Issue.record("the node's chain was refused: \(run.verdict)")
            return
        }
        #expect(output.tip == tip.hash, "the program's tip is the node's")
        #expect(output.anchor == genesis.hash)
        #expect(output.headerCount == 4)
        #expect(run.verdict == SPVReference.verdict(for: input))

        await #expect(throws: SPVFetchError.missingBlock(height: 5)) {
            try await SPVTaskInput.fetch(heights: 3...5, from: client, maximumTarget: maximumTarget)
        }
        await #expect(throws: SPVFetchError.chainTooShort(tipHeight: 4, requested: 6)) {
            try await SPVTaskInput.fetchLatest(count: 6, from: client, maximumTarget: maximumTarget)
        }
        await node.stop()
    }

    @Test("a range of more headers than one input holds is refused before any request", arguments: [
        (0...2_404 as ClosedRange<UInt64>, 2_405), (0...UInt64.max, Int.max), (UInt64.max - 2_404...UInt64.max, 2_405),
    ])
    func tooManyHeaders(heights: ClosedRange<UInt64>, found: Int) async {
        // Nothing listens on port 1: a request would fail as unreachable, not as too many headers.
        let client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:1")!)
        await #expect(throws: SPVFetchError.input(.tooManyHeaders(limit: 2_404, found: found))) {
            try await SPVTaskInput.fetch(heights: heights, from: client, maximumTarget: SPVChains.fastMaximumTarget)
        }
    }
}
