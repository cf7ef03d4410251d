import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Synchronization
import Testing

/// A node's REST API scripted from ChainBuilder chains: the active chain can be swapped to provoke a
/// reorganisation; every block ever served stays reachable by hash, as on a real node.
final class ScriptedNode: NodeAPITransport, Sendable {
    private struct State {
        var active: [Block] = []
        var known: [Hash32: Block] = [:]
        var lieAboutHashAtHeight: UInt64?
    }

    private let state = Mutex(State())

    func setActive(_ blocks: [Block]) {
        state.withLock { state in
            state.active = blocks
            for block in blocks { state.known[block.hash] = block }
        }
    }

    func lie(atHeight height: UInt64?) { state.withLock { $0.lieAboutHashAtHeight = height } }

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        let snapshot = state.withLock { $0 }
        func blockJSON(_ block: Block) -> NodeAPIResponse {
            let active = snapshot.active.indices.contains(Int(block.header.height)) && snapshot.active[Int(block.header.height)].hash == block.hash
            let hash = snapshot.lieAboutHashAtHeight == block.header.height ? Hash32.zero : block.hash
            let json = #"{"hash":"\#(hash.hex)","height":\#(block.header.height),"active":\#(active),"hex":"\#(block.encoded.hexString)"}"#
            return NodeAPIResponse(status: 200, body: Data(json.utf8))
        }
        let notFound = NodeAPIResponse(status: 404, body: Data(#"{"error":"not found","detail":"no such block"}"#.utf8))
        if request.path == "/v1/info" {
            let tip = snapshot.active.last!
            return NodeAPIResponse(status: 200, body: Data(#"{"networkID":2,"height":\#(tip.header.height),"tip":"\#(tip.hash.hex)"}"#.utf8))
        }
        if request.path.hasPrefix("/v1/blocks/height/") {
            guard let height = Int(request.path.dropFirst("/v1/blocks/height/".count)), snapshot.active.indices.contains(height) else { return notFound }
            return blockJSON(snapshot.active[height])
        }
        if request.path.hasPrefix("/v1/blocks/") {
            guard let hash = Hash32(hex: String(request.path.dropFirst("/v1/blocks/".count))), let block = snapshot.known[hash] else { return notFound }
            return blockJSON(block)
        }
        return notFound
    }
}

@Suite("chain watcher")
struct ChainWatcherTests {
    /// Chain A: heights 0–5. Chain B: A's 0–3, then three blocks of another miner (heights 4–6).
    static func forkedChains() throws -> (a: [Block], b: [Block]) {
        var a = ChainBuilder()
        try a.extend(by: 3)
        var b = a
        try a.extend(by: 2)
        b.minerKey = .devnet(index: 6)
        try b.extend(by: 3)
        return (a.blocks, b.blocks)
    }

    static func collect(_ watcher: ChainWatcher) async throws -> [(ChainEvent, ChainCursor?)] {
        var events = [(ChainEvent, ChainCursor?)]()
        try await watcher.poll { event, cursor in events.append((event, cursor)) }
        return events
    }

    @Test("a reorganisation is reported as disconnects down to the fork point, then connects of the new branch")
    func reorganisation() async throws {
        let (a, b) = try Self.forkedChains()
        #expect(a[3] == b[3] && a[4].hash != b[4].hash)
        let node = ScriptedNode()
        node.setActive(a)
        let watcher = ChainWatcher(client: NodeAPIClient(transport: node), network: .devnet, cursor: nil)
        let first = try await Self.collect(watcher)
        #expect(first.map(\.0) == a.enumerated().map { ChainEvent.blockConnected($1, height: UInt64($0)) })
        #expect(await watcher.cursor == ChainCursor(height: 5, hash: a[5].hash))
        #expect(try await Self.collect(watcher).isEmpty)

        node.setActive(b)
        let second = try await Self.collect(watcher)
        #expect(second.map(\.0) == [
            .blockDisconnected(a[5], height: 5), .blockDisconnected(a[4], height: 4),
            .blockConnected(b[4], height: 4), .blockConnected(b[5], height: 5), .blockConnected(b[6], height: 6),
        ])
        #expect(second.map(\.1) == [
            ChainCursor(height: 4, hash: a[4].hash), ChainCursor(height: 3, hash: a[3].hash),
            ChainCursor(height: 4, hash: b[4].hash), ChainCursor(height: 5, hash: b[5].hash), ChainCursor(height: 6, hash: b[6].hash),
        ])
    }

    @Test("a watcher resumed from a stored cursor on a chain that reorganised while it was stopped walks back first")
    func resumeAcrossReorganisation() async throws {
        let (a, b) = try Self.forkedChains()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-l2-watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = ScriptedNode()
        node.setActive(a)
        do {
            let store = try ClientStore(path: folder.appendingPathComponent("client.sqlite").path)
            let watcher = ChainWatcher(client: NodeAPIClient(transport: node), cursor: nil)
            try await watcher.poll { _, cursor in try store.saveCursor(cursor) }
        }
        node.setActive(b)
        let store = try ClientStore(path: folder.appendingPathComponent("client.sqlite").path)
        #expect(try store.cursor() == ChainCursor(height: 5, hash: a[5].hash))
        let watcher = ChainWatcher(client: NodeAPIClient(transport: node), cursor: try store.cursor())
        let events = try await Self.collect(watcher)
        #expect(events.map(\.0.height) == [5, 4, 4, 5, 6])
        #expect(events.first?.0 == .blockDisconnected(a[5], height: 5))
    }

    @Test("a block that does not hash to what the node claims stops the round with a clear error")
    func untrustedBlock() async throws {
        let (a, _) = try Self.forkedChains()
        let node = ScriptedNode()
        node.setActive(a)
        node.lie(atHeight: 2)
        let watcher = ChainWatcher(client: NodeAPIClient(transport: node), cursor: nil)
        var delivered = [UInt64]()
        await #expect(throws: ChainWatcherError.node(.badResponse(
            path: "/v1/blocks/height/2", reason: "the block hashes to \(a[2].hash), not \(Hash32.zero)"))) {
            try await watcher.poll { event, _ in delivered.append(event.height) }
        }
        #expect(delivered == [0, 1])
        #expect(await watcher.cursor == ChainCursor(height: 1, hash: a[1].hash))
    }

    @Test("a node of another network is refused")
    func wrongNetwork() async throws {
        let node = ScriptedNode()
        node.setActive(try Self.forkedChains().a)
        let watcher = ChainWatcher(client: NodeAPIClient(transport: node), network: .testnet, cursor: nil)
        await #expect(throws: ChainWatcherError.wrongNetwork(node: .devnet, expected: .testnet)) { try await watcher.poll { _, _ in } }
    }
}
