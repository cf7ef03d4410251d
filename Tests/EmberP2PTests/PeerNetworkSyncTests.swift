import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberP2P
import EmberTestSupport
import EmberWire
import Testing

/// Two or three in-process networks over real sockets on 127.0.0.1.
@Suite("peer network: sync and relay")
struct PeerNetworkSyncTests {
    static let params = ChainBuilder.fastParams()

    static func chain(length: Int) throws -> [Block] {
        var builder = ChainBuilder(params: params)
        try builder.extend(by: length)
        return builder.blocks
    }

    @Test("an empty node syncs a longer chain header-first from its peer")
    func syncsFromPeer() async throws {
        let blocks = try Self.chain(length: 120)
        let source = try await TestPeer.start(params: Self.params, blocks: blocks.dropFirst())
        let fresh = try await TestPeer.start(params: Self.params, peers: [source.endpoint])
        let synced = try await TestPeer.eventually { await fresh.chain.tip.hash == blocks.last!.hash }
        let height = await fresh.chain.tip.height
        #expect(synced, "stopped at height \(height)")
        // Under load a slow handshake can be retried, so the links are checked once they settle.
        let settled = try await TestPeer.eventually {
            let peers = await fresh.network.snapshot()
            return peers.count == 1 && peers[0].handshakeComplete && peers[0].direction == .outbound
        }
        let links = await fresh.network.snapshot()
        #expect(settled, "\(links)")
        #expect(try await TestPeer.eventually { await source.network.snapshot().first?.direction == .inbound })
        await fresh.stop()
        await source.stop()
    }

    @Test("a new block is relayed along a line of three nodes, and a transaction reaches every mempool")
    func relaysAlongALine() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 5)
        let first = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst())
        let second = try await TestPeer.start(params: Self.params, peers: [first.endpoint])
        let third = try await TestPeer.start(params: Self.params, peers: [second.endpoint])
        #expect(try await TestPeer.eventually { await third.chain.tip.height == 5 })

        let next = builder.makeBlock()
        try builder.append(next)
        _ = try await first.chain.submit(next, nowMs: UInt64.max / 2)
        #expect(try await TestPeer.eventually { await third.chain.tip.hash == next.hash })

        let payment = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 5)!,
            fee: Amount(units: 10_000_000_000_000_000), to: .pubKeyHash(SigningKey.devnet(index: 2).publicKey.publicKeyHash))
        _ = try await third.network.accept(payment)
        // Gossip may have given the third node a direct link to the first: the second need not be first.
        #expect(try await TestPeer.eventually { await first.mempool.entry(payment.txid) != nil })
        #expect(try await TestPeer.eventually { await second.mempool.entry(payment.txid) != nil })
        for node in [third, second, first] { await node.stop() }
    }

    @Test("a configured peer that is down at first is reached once it starts, after backing off")
    func reconnectsWithBackoff() async throws {
        let port = try PortAllocator.freePort()
        let blocks = try Self.chain(length: 4)
        let dialer = try await TestPeer.start(params: Self.params, peers: [PeerEndpoint(host: "127.0.0.1", port: port)])
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(await dialer.network.snapshot().isEmpty)
        let late = try await TestPeer.start(params: Self.params, blocks: blocks.dropFirst()) { $0.port = port }
        #expect(try await TestPeer.eventually { await dialer.chain.tip.hash == blocks.last!.hash })
        await late.stop()
        await dialer.stop()
    }

    @Test("two nodes that mined apart converge on the branch with more work")
    func convergesOnHeavierBranch() async throws {
        var shared = ChainBuilder(params: Self.params)
        try shared.extend(by: 10)
        var short = shared
        var long = shared
        try short.extend(by: 3)
        long.minerKey = .devnet(index: 3)
        try long.extend(by: 6)
        let a = try await TestPeer.start(params: Self.params, blocks: short.blocks.dropFirst())
        let b = try await TestPeer.start(params: Self.params, blocks: long.blocks.dropFirst())
        await a.network.connect(to: b.endpoint)
        #expect(try await TestPeer.eventually { await a.chain.tip.hash == long.tip.hash })
        #expect(await b.chain.tip.hash == long.tip.hash)
        await a.stop()
        await b.stop()
    }
}
