import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Testing

/// The watcher and the node client against a real `ember node` process on 127.0.0.1.
@Suite("layer-2 client against a node process", .serialized)
struct NodeWatcherProcessTests {
    @Test("the watcher follows a mining devnet node block by block, and resumes from its stored cursor; lock outputs and blobs")
    func followsNode() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-l2-node-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let node = try NodeProcess(
            folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
            arguments: ["--network", "devnet", "--block-time-ms", "500", "--mine", "--threads", "1"])
        defer { node.process.terminate() }
        #expect(await node.waitForInfo(seconds: 90) { NodeProcess.height($0) >= 3 } != nil, "\(node.output.suffix(800))")
        let client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:\(node.apiPort)")!)
        let store = try ClientStore(path: root.appendingPathComponent("client.sqlite").path)

        let watcher = ChainWatcher(client: client, network: .devnet, cursor: nil, maxBlocksPerPoll: 3)
        var connected = [(Block, UInt64)]()
        try await watcher.poll { event, cursor in
            guard case .blockConnected(let block, let height) = event else { Issue.record("unexpected \(event)"); return }
            connected.append((block, height))
            try store.saveCursor(cursor)
        }
        #expect(connected.map(\.1) == [0, 1, 2])
        for index in 1..<connected.count { #expect(connected[index].0.header.parent == connected[index - 1].0.hash) }
        let stored = try #require(try store.cursor())
        #expect(stored == ChainCursor(height: 2, hash: connected[2].0.hash))

        let resumed = ChainWatcher(client: client, network: .devnet, cursor: stored, maxBlocksPerPoll: 2)
        var next = [ChainEvent]()
        try await resumed.poll { event, _ in next.append(event) }
        #expect(next.first == .blockConnected(try #require(next.first?.block), height: 3))
        #expect(next.first?.block.header.parent == stored.hash)

        // Seed key 3's genesis output (it does not mine, so nothing changes between the two requests).
        let key = SigningKey.devnet(index: 3)
        let byLock = try await client.outputs(under: .pubKeyHash(key.publicKey.publicKeyHash))
        let byAddress = try await client.outputs(of: key.publicKey.address(on: .devnet))
        #expect(byLock.count == 1)
        #expect(Set(byLock.map(\.outpoint)) == Set(byAddress.map(\.outpoint)))
        #expect(try await client.blob(hash: Hash32(hex: String(repeating: "5a", count: 32))!) == nil)
        await node.stop()
    }
}
