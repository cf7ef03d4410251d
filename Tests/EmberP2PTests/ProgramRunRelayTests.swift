import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberP2P
import EmberTestSupport
import EmberVM
import EmberWire
import Foundation
import Testing

/// DESIGN.md section 15: mempool relay disconnects a peer that relays a transaction whose VM run
/// fails (a run's verdict never depends on the height, so no honest peer sends one), while other
/// invalid transactions only cost points. A node on the test-only covenant rules, with a confirmed
/// channel that a force-move runs a program to spend.
@Suite("peer network: failing program runs")
struct ProgramRunRelayTests {
    static let params = TestCovenants.params()
    static let recipient = Lock.pubKeyHash(SigningKey.devnet(index: 7).publicKey.publicKeyHash)

    static func frame(_ message: WireMessage) -> [UInt8] { Frame(network: params.networkID, message: message).encoded }

    /// A chain with a channel of 3 coins (window 5) confirmed at height 2.
    static func chainWithChannel() throws -> (ChainBuilder, channel: OutPoint) {
        var builder = ChainBuilder(params: params)
        try builder.extend(by: 1)
        let key = SigningKey.devnet(index: 1)
        let lock = Lock.channel(ChannelParams(
            keyA: RawPublicKey(key.publicKey.bytes)!, keyB: RawPublicKey(SigningKey.devnet(index: 3).publicKey.bytes)!, window: 5, app: .zero))
        let funding = builder.payment(
            from: builder.seedOutPoint(1), key: key, amount: Amount(coins: 3)!, fee: Amount(units: 10_000_000_000 * 1_000), to: lock)
        try builder.append(builder.makeBlock([funding]))
        return (builder, OutPoint(txid: funding.txid, index: 0))
    }

    /// A channel spend by `mode` with witness item `item` and `blobs`, paying 3 coins less a fee to the recipient.
    static func spend(
        _ channel: OutPoint, mode: CovenantUnlock.ChannelMode, maxSteps: UInt32, item: [UInt8], blobs: [[UInt8]], builder: ChainBuilder
    ) -> Transaction {
        let unlock = Unlock.channel(CovenantUnlock(mode: mode.rawValue, firstOutput: 0, maxSteps: maxSteps))
        return builder.covenantTransaction(
            covenant: [(channel, unlock, Witness(items: [item]))],
            outputs: [Output(amount: Amount(coins: 2)!, lock: recipient)], blobs: blobs)
    }

    /// Connects from `host`, completes the handshake, announces `transaction`, and sends it when asked.
    static func relay(_ transaction: Transaction, to node: TestPeer, from host: String) async throws -> RawSocket {
        let socket = try RawSocket(connectingTo: node.port, from: host)
        let version = VersionMessage(
            network: params.networkID, genesisHash: params.genesisBlock.hash, bestHeight: 0, cumulativeWork: [1],
            nonce: UInt64.random(in: 1...UInt64.max), userAgent: Array("relayer".utf8))
        socket.send(frame(.version(version)) + frame(.verack))
        socket.send(frame(.inventory(InventoryMessage(items: [InventoryItem(kind: .transaction, hash: transaction.txid)]))))
        let asked = try #require(await socket.awaitFrame(command: WireCommand.getData.rawValue, seconds: 60))
        #expect(try GetDataMessage.decode(payload: asked).items.map(\.hash) == [transaction.txid])
        socket.send(frame(.transaction(TransactionMessage(transaction: transaction))))
        return socket
    }

    @Test("a peer relaying a failing force-move is disconnected, not banned; one relaying an out-of-range deadline stays")
    func failingRunDisconnects() async throws {
        let (builder, channel) = try Self.chainWithChannel()
        // The test rules run programs on tag 1, so the node lifts the weight cap on channel spends that
        // the real rules need only for force-moves of tag 2 (docs/mempool.md).
        // The raw sockets never answer a ping: pings are pushed past the test's longest wait, so a slow
        // machine cannot drop the honest peer for silence before the last check.
        let node = try await TestPeer.start(
            params: Self.params, blocks: builder.blocks.dropFirst(), policy: MempoolPolicy(maxChannelSpendWeight: .max)
        ) { $0.pingIntervalMs = 600_000 }

        // A deadline out of range at this height is invalid, but a peer a block behind relays such a
        // transaction honestly: no one's fault, no score (docs/mempool.md), and no VM ran.
        let badDeadline = Self.spend(channel, mode: .settle, maxSteps: 0, item: [UInt8](repeating: 0, count: 8), blobs: [], builder: builder)
        let honestMistake = try await Self.relay(badDeadline, to: node, from: "127.0.0.51")

        let program = try Assembler.assemble("_start:\n  li a0, 1\n  li a7, 93\n  ecall\n").elf()
        let failing = Self.spend(channel, mode: .forceMove, maxSteps: 100, item: [], blobs: [program], builder: builder)
        let relayer = try await Self.relay(failing, to: node, from: "127.0.0.52")
        #expect(await relayer.readUntilClosed(seconds: 60).closed, "the node kept a peer that relayed a failing run")
        #expect(await node.network.bans().isEmpty)
        #expect(await !honestMistake.readUntilClosed(seconds: 1).closed, "the node dropped a peer for an ordinary invalid transaction")
        #expect(try await TestPeer.eventually { await node.network.snapshot().count == 1 })
        #expect(await node.network.snapshot().first?.score == 0, "the peer was scored for a deadline out of range at this height")
        #expect(await node.mempool.count == 0)
        await node.stop()
    }
}
