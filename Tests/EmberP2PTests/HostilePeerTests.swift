import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberP2P
import EmberTestSupport
import EmberWire
import Foundation
import Testing

/// Peers that break the protocol on purpose, over raw sockets from their own loopback addresses: each
/// is scored or banned, and the node goes on serving an honest peer throughout.
@Suite("peer network: hostile peers")
struct HostilePeerTests {
    static let params = ChainBuilder.fastParams()

    static func frame(_ message: WireMessage) -> [UInt8] { Frame(network: params.networkID, message: message).encoded }

    /// A raw connection from `host` that has completed the handshake with `node`.
    static func handshakenSocket(to node: TestPeer, from host: String) async throws -> RawSocket {
        let socket = try RawSocket(connectingTo: node.port, from: host)
        socket.send(frame(version()) + frame(.verack))
        #expect(try await TestPeer.eventually { await node.network.snapshot().first?.handshakeComplete == true })
        return socket
    }

    static func version(nonce: UInt64 = 42) -> WireMessage {
        .version(VersionMessage(
            network: params.networkID, genesisHash: params.genesisBlock.hash, bestHeight: 0, cumulativeWork: [1], nonce: nonce,
            userAgent: Array("hostile".utf8)))
    }

    static func banFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("garbage, a bad checksum and an oversize frame each get the sender banned; the ban survives a restart")
    func malformedFramesBan() async throws {
        let folder = try Self.banFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let banPath = folder.appendingPathComponent("bans.json").path
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 30)
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst()) { $0.banListPath = banPath }

        var badChecksum = Self.frame(.ping(PingMessage(nonce: 7)))
        badChecksum[10] ^= 0xFF
        var oversize = Array("EMB".utf8) + [Self.params.networkID.rawValue, WireCommand.block.rawValue]
        oversize += [0x00, 0x90, 0x00, 0x00] + [0, 0, 0, 0]
        let attacks: [(String, [UInt8])] = [
            ("127.0.0.11", Array(repeating: 0xAB, count: 64)),
            ("127.0.0.12", badChecksum),
            ("127.0.0.13", oversize),
        ]
        for (host, bytes) in attacks {
            let socket = try RawSocket(connectingTo: node.port, from: host)
            socket.send(bytes)
            #expect(await socket.readUntilClosed(seconds: 60).closed, "the node kept talking to \(host)")
        }
        #expect(try await TestPeer.eventually { Set(await node.network.bans().map(\.host)) == ["127.0.0.11", "127.0.0.12", "127.0.0.13"] })

        // Meanwhile an honest peer syncs from the same node.
        let honest = try await TestPeer.start(params: Self.params, peers: [node.endpoint])
        #expect(try await TestPeer.eventually { await honest.chain.tip.height == 30 })
        await honest.stop()
        await node.stop()

        let restarted = try await TestPeer.start(params: Self.params) { $0.banListPath = banPath }
        #expect(Set(await restarted.network.bans().map(\.host)) == ["127.0.0.11", "127.0.0.12", "127.0.0.13"])
        let again = try RawSocket(connectingTo: restarted.port, from: "127.0.0.11")
        again.send(Self.frame(Self.version()))
        let answer = await again.readUntilClosed(seconds: 60)
        #expect(answer.closed && answer.bytes.isEmpty, "a banned host was answered")
        #expect(try await restarted.network.unban(host: "127.0.0.11"))
        #expect(await !restarted.network.bans().map(\.host).contains("127.0.0.11"))
        await restarted.stop()
    }

    @Test("an invalid block from a peer gets it banned")
    func invalidBlockBans() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst())
        var bad = builder.makeBlock()
        bad.transactions[0].outputs[0].amount = Amount(coins: 1_000_000)!
        bad = ChainBuilder.sealed(bad)
        let socket = try await Self.handshakenSocket(to: node, from: "127.0.0.21")
        // Announce it, as a peer must; the node asks for it and then bans the sender.
        socket.send(Self.frame(.inventory(InventoryMessage(items: [InventoryItem(kind: .block, hash: bad.hash)]))))
        try await Task.sleep(for: .milliseconds(300))
        socket.send(Self.frame(.block(BlockMessage(block: bad))))
        #expect(await socket.readUntilClosed(seconds: 60).closed)
        #expect(try await TestPeer.eventually { await node.network.bans().map(\.host) == ["127.0.0.21"] })
        #expect(await node.chain.tip.height == 3)
        await node.stop()
    }

    @Test("an invalid block sent ahead of its parent is judged when the parent comes in, and its sender banned")
    func invalidBlockAheadOfItsParentBans() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst())
        let parent = builder.makeBlock()
        try builder.append(parent)
        var bad = builder.makeBlock()
        bad.transactions[0].outputs[0].amount = Amount(coins: 1_000_000)!
        bad = ChainBuilder.sealed(bad)
        let socket = try await Self.handshakenSocket(to: node, from: "127.0.0.22")
        // The child first: its parent is unknown, so the chain holds it in its orphan pool.
        for block in [bad, parent] {
            socket.send(Self.frame(.inventory(InventoryMessage(items: [InventoryItem(kind: .block, hash: block.hash)]))))
            try await Task.sleep(for: .milliseconds(300))
            socket.send(Self.frame(.block(BlockMessage(block: block))))
        }
        // The parent connects; the held child follows it in, breaks the coinbase rule, and costs its sender the ban.
        #expect(try await TestPeer.eventually { await node.network.bans().map(\.host) == ["127.0.0.22"] })
        #expect(await node.chain.tip.hash == parent.hash)
        await node.stop()
    }

    @Test("unrequested messages and an unknown command cost points but not the connection")
    func smallFaultsScore() async throws {
        let node = try await TestPeer.start(params: Self.params)
        let socket = try await Self.handshakenSocket(to: node, from: "127.0.0.31")
        let builder = ChainBuilder(params: Self.params)
        socket.send(Self.frame(.block(BlockMessage(block: builder.makeBlock()))) + Self.frame(.unknown(command: 200, payload: [1, 2, 3])))
        #expect(try await TestPeer.eventually { await node.network.snapshot().first?.score == 6 })
        #expect(await node.network.bans().isEmpty)
        await node.stop()
    }

    @Test("a getdata for 40 blocks costs 10 points once, as docs/p2p.md says, and the excess is answered notfound")
    func oversizeGetDataScoresOnce() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst())
        let socket = try await Self.handshakenSocket(to: node, from: "127.0.0.33")
        let asked = (0..<40).map { InventoryItem(kind: .block, hash: Hash32(Array(repeating: UInt8($0), count: 32))!) }
        socket.send(Self.frame(.getData(GetDataMessage(items: asked))))
        // The first 16 are looked up one by one (each unknown here: a notfound of one); the excess 24 at once.
        let answers = await socket.frames(seconds: 3).filter { $0.command == WireCommand.notFound.rawValue }
        let notFound = try answers.map { try NotFoundMessage.decode(payload: $0.payload).items.count }.reduce(0, +)
        #expect(notFound == 40)
        let score = await node.network.snapshot().first?.score
        #expect(score == 10, "scored \(String(describing: score))")
        #expect(await node.network.bans().isEmpty)
        await node.stop()
    }

    @Test("endless transaction announcements never make the node ask for more than its cap")
    func announcementFloodIsCapped() async throws {
        let node = try await TestPeer.start(params: Self.params)
        let socket = try await Self.handshakenSocket(to: node, from: "127.0.0.32")
        var seed = SeededGenerator(seed: 7)
        let announced = (0..<6_000).map { _ in
            InventoryItem(kind: .transaction, hash: Hash32((0..<32).map { _ in UInt8.random(in: 0...255, using: &seed) })!)
        }
        socket.send(Self.frame(.inventory(InventoryMessage(items: announced))))
        let asked = try #require(await socket.awaitFrame(command: WireCommand.getData.rawValue, seconds: 60))
        let request = try GetDataMessage.decode(payload: asked)
        #expect(request.items.count == 5_000)
        await node.stop()
    }

    @Test("a peer that never completes the handshake is dropped after the timeout")
    func handshakeTimeout() async throws {
        let node = try await TestPeer.start(params: Self.params) { $0.handshakeTimeoutMs = 500 }
        let socket = try RawSocket(connectingTo: node.port, from: "127.0.0.41")
        let result = await socket.readUntilClosed(seconds: 60)
        #expect(result.closed, "the silent peer was not dropped")
        #expect(await node.network.bans().isEmpty)
        await node.stop()
    }

    @Test("a peer that stops answering pings is dropped, without a ban")
    func pingTimeout() async throws {
        let node = try await TestPeer.start(params: Self.params) {
            $0.pingIntervalMs = 200
            $0.pingTimeoutMs = 300
        }
        let socket = try RawSocket(connectingTo: node.port, from: "127.0.0.42")
        socket.send(Self.frame(Self.version()) + Self.frame(.verack))
        #expect(await socket.awaitFrame(command: WireCommand.ping.rawValue, seconds: 60) != nil, "the node never pinged")
        #expect(await socket.readUntilClosed(seconds: 60).closed, "a silent peer was kept")
        #expect(await node.network.bans().isEmpty)
        await node.stop()
    }

    @Test("a node that dials itself notices by the version nonce and stops")
    func selfConnection() async throws {
        let node = try await TestPeer.start(params: Self.params)
        await node.network.connect(to: node.endpoint)
        #expect(try await TestPeer.eventually { await node.network.ownEndpoints().contains(node.endpoint) })
        #expect(try await TestPeer.eventually { await node.network.snapshot().isEmpty })
        await node.stop()
    }
}
