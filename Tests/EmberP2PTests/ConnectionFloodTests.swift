import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberP2P
import EmberTestSupport
import EmberWire
import Foundation
import Synchronization
import Testing

/// Floods of connections, half-sent frames and gossiped addresses, over real sockets from loopback
/// addresses (all of 127.0.0.0/8 reaches the node; 127.0.x.y and 127.1.x.y are different /16s).
@Suite("peer network: connection, memory and address floods")
struct ConnectionFloodTests {
    static let params = ChainBuilder.fastParams()
    static var handshake: [UInt8] { HostilePeerTests.frame(HostilePeerTests.version()) + HostilePeerTests.frame(.verack) }

    static func connections(from host: String, to node: TestPeer) async -> Int {
        await node.network.snapshot().count { $0.address.hasPrefix(host + ":") }
    }

    @Test("200 connections from one address get 8 slots; a peer from another address still connects and syncs")
    func oneAddressFlood() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 5)
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst()) { $0.handshakeTimeoutMs = 60_000 }
        var flood = [RawSocket]()
        for _ in 0..<200 {
            let socket = try RawSocket(connectingTo: node.port, from: "127.0.0.50")
            socket.send(Self.handshake)
            flood.append(socket)
        }
        // The refused ones are closed by the node; the admitted ones stay.
        #expect(try await TestPeer.eventually { await Self.connections(from: "127.0.0.50", to: node) == 8 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(await Self.connections(from: "127.0.0.50", to: node) == 8)

        let honest = try RawSocket(connectingTo: node.port, from: "127.0.0.51")
        honest.send(Self.handshake)
        #expect(try await TestPeer.eventually {
            await node.network.snapshot().contains { $0.address.hasPrefix("127.0.0.51:") && $0.handshakeComplete }
        })
        // A whole node from 127.0.0.1 (the node's own host, exempt from the per-address limit) syncs too.
        let follower = try await TestPeer.start(params: Self.params, peers: [node.endpoint])
        #expect(try await TestPeer.eventually { await follower.chain.tip.height == 5 })
        await follower.stop()
        await node.stop()
        withExtendedLifetime(flood) {}
    }

    @Test("one /16 gets at most 16 inbound slots; another /16 still gets in")
    func oneNetworkGroupFlood() async throws {
        let node = try await TestPeer.start(params: Self.params) { $0.handshakeTimeoutMs = 60_000 }
        var flood = [RawSocket]()
        for last in 1...24 {
            let socket = try RawSocket(connectingTo: node.port, from: "127.1.0.\(last)")
            socket.send(Self.handshake)
            flood.append(socket)
        }
        #expect(try await TestPeer.eventually { await node.network.snapshot().count { $0.address.hasPrefix("127.1.") } == 16 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(await node.network.snapshot().count { $0.address.hasPrefix("127.1.") } == 16)
        let other = try RawSocket(connectingTo: node.port, from: "127.2.0.1")
        other.send(Self.handshake)
        #expect(try await TestPeer.eventually { await Self.connections(from: "127.2.0.1", to: node) == 1 })
        await node.stop()
        withExtendedLifetime((flood, other)) {}
    }

    @Test("when every inbound slot is taken, a newcomer evicts the worst unprotected peer, not the longest connected")
    func fullNodeEvicts() async throws {
        let node = try await TestPeer.start(params: Self.params) {
            $0.maxInbound = 8
            $0.handshakeTimeoutMs = 60_000
        }
        var sockets = [String: RawSocket]()
        for last in 61...68 {
            let host = "127.0.0.\(last)"
            let socket = try RawSocket(connectingTo: node.port, from: host)
            socket.send(Self.handshake)
            sockets[host] = socket
            // Distinct connection times make "longest connected" unambiguous.
            #expect(try await TestPeer.eventually { await Self.connections(from: host, to: node) == 1 })
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await TestPeer.eventually { await node.network.snapshot().allSatisfy(\.handshakeComplete) })
        // 127.0.0.66 misbehaves a little: an unrequested block costs 5 points.
        sockets["127.0.0.66"]?.send(HostilePeerTests.frame(.block(BlockMessage(block: ChainBuilder(params: Self.params).makeBlock()))))
        #expect(try await TestPeer.eventually {
            await node.network.snapshot().first { $0.address.hasPrefix("127.0.0.66:") }?.score == 5
        })

        let newcomer = try RawSocket(connectingTo: node.port, from: "127.0.0.69")
        newcomer.send(Self.handshake)
        #expect(try await TestPeer.eventually { await Self.connections(from: "127.0.0.69", to: node) == 1 })
        #expect(await sockets["127.0.0.66"]?.readUntilClosed(seconds: 60).closed == true, "the misbehaving peer kept its slot")
        let hosts = Set(await node.network.snapshot().map { String($0.address.split(separator: ":")[0]) })
        #expect(hosts == Set((61...69).filter { $0 != 66 }.map { "127.0.0.\($0)" }))
        #expect(await node.network.bans().isEmpty)
        await node.stop()
    }

    @Test("many peers each holding a partial 8 MiB frame never make the node buffer more than its budget")
    func partialFramesStayWithinBudget() async throws {
        let budget = 32 * 1_024 * 1_024
        let node = try await TestPeer.start(params: Self.params) { $0.maxBufferedFrameBytes = budget }
        let residentBefore = residentBytes()
        var header = Array("EMB".utf8) + [Self.params.networkID.rawValue, WireCommand.block.rawValue]
        header += [0x00, 0x80, 0x00, 0x00] + [0, 0, 0, 0]  // an 8 MiB payload announced
        let almostAll = header + [UInt8](repeating: 0x5A, count: 8 * 1_024 * 1_024 - 1)
        var sockets = [RawSocket]()
        for last in 1...12 {
            let socket = try RawSocket(connectingTo: node.port, from: "127.0.0.\(120 + last)")
            socket.send(Self.handshake)
            sockets.append(socket)
        }
        #expect(try await TestPeer.eventually { await node.network.snapshot().count(where: \.handshakeComplete) == 12 })
        let sent = await withTaskGroup(of: Bool.self) { group in
            for socket in sockets { group.addTask { await socket.sendOnThread(almostAll) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try await Task.sleep(for: .seconds(1))
        let peak = node.network.frameBudget.peakBufferedBytes
        let residentDuring = residentBytes()
        // Three nearly complete frames fit in 32 MiB, a fourth does not.
        #expect(peak <= budget, "the node buffered \(peak) bytes")
        #expect(peak > 3 * 8 * 1_024 * 1_024 - 3 * 65_536, "the frames were not buffered as they arrived (peak \(peak))")
        // Dropping the peers whose frames do not fit takes the node's actor; a loaded machine delays it.
        #expect(try await TestPeer.eventually { await node.network.snapshot().count <= 3 })
        #expect(await node.network.bans().isEmpty, "dropping for memory is not a ban")
        sockets.removeAll()
        #expect(try await TestPeer.eventually { node.network.frameBudget.bufferedBytes == 0 })
        let residentAfter = residentBytes()
        if ProcessInfo.processInfo.environment["EMBER_TEST_LOG"] != nil {
            print("partial frames: \(sent) of 12 sent whole; peak buffered \(peak) bytes; test process RSS \(residentBefore >> 20) MiB before, \(residentDuring >> 20) MiB during, \(residentAfter >> 20) MiB after")
        }
        await node.stop()
    }

    @Test("16 addr messages of 1 000 random 10.x addresses: the node takes what it asked for and dials at most its bound")
    func addrFloodIsRateLimited() async throws {
        let dials = Mutex<[PeerEndpoint]>([])
        let listener = try RawListener(host: "127.0.0.70")
        let hostile = PeerEndpoint(host: "127.0.0.70", port: listener.port)
        let started = Date()
        let node = try await TestPeer.start(params: Self.params, peers: [hostile]) { configuration in
            configuration.dialObserver = { endpoint in
                dials.withLock { $0.append(endpoint) }
                // Never connect anywhere but loopback.
                return endpoint.host.hasPrefix("127.")
            }
        }
        let socket = try #require(await listener.accept(seconds: 60), "the node did not dial its configured peer")
        socket.send(Self.handshake)
        #expect(await socket.awaitFrame(command: WireCommand.getAddr.rawValue, seconds: 60) != nil, "the node never asked for addresses")
        var seed = SeededGenerator(seed: 11)
        for _ in 0..<16 {
            let addresses = (0..<AddrMessage.maxAddresses).map { _ in
                PeerAddress(
                    ipv4: (10, UInt8.random(in: 0...255, using: &seed), UInt8.random(in: 0...255, using: &seed), UInt8.random(in: 1...254, using: &seed)),
                    port: 9270, lastSeen: 1)
            }
            socket.send(HostilePeerTests.frame(.addr(AddrMessage(addresses: addresses))))
        }
        // Let the node tick for a few seconds (every 100 ms in tests) with 16 000 addresses offered.
        try await Task.sleep(for: .seconds(4))
        let learnt = await node.network.learntAddressCount()
        let strangers = dials.withLock { $0 }.filter { !$0.host.hasPrefix("127.") }
        // One token to start with, 1 000 for the getaddr we sent, 0.1 a second since the node started
        // (seconds under a loaded machine, where the handshake alone can take half a minute).
        let refill = Int((Date().timeIntervalSince(started) * 0.1).rounded(.up))
        #expect(learnt <= 1_001 + refill, "the node took \(learnt) addresses in \(Date().timeIntervalSince(started)) s")
        #expect(learnt >= 1_000, "the node took only \(learnt) addresses")
        #expect(!strangers.isEmpty, "the node dialed none of the learnt addresses")
        #expect(strangers.count <= 12, "the node dialed \(strangers.count) learnt addresses within seconds")
        #expect(strangers.allSatisfy { $0.host.hasPrefix("10.") })
        await node.stop()
    }
}
