import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTestSupport
import Foundation
import Synchronization
import Testing

/// A watchtower against a real `ember node` process on 127.0.0.1 (devnet). The test mines each block
/// itself through the node's template and submit routes, so every step waits for what the tower does,
/// never for a clock: the node's own miner slows down with the machine's load.
@Suite("watchtower against a node process", .serialized)
struct WatchtowerNodeProcessTests {
    static let keyA = SigningKey.devnet(index: 3)
    static let keyB = SigningKey.devnet(index: 4)
    static let towerKey = SigningKey.devnet(index: 5)
    static let amount = Amount(coins: 10)!
    static let window: UInt32 = 6

    /// Polls `condition` every 100 ms for at most `seconds`; whether it held.
    static func eventually(seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Mines one block on the node: its template, solved here, submitted back; returns its height.
    @discardableResult
    static func mine(_ node: NodeProcess) async throws -> UInt64 {
        let mined = try await node.mineBlock()
        #expect(mined.outcome == "connected", "the node refused the mined block: \(String(describing: mined.outcome))")
        return mined.height
    }

    @Test("a thief disputes with version 2; the tower holding version 5 overrides before the deadline, then settles and the balances of version 5 are paid")
    func towerDefeatsStaleDispute() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tower-node-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let node = try NodeProcess(
            folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
            arguments: ["--network", "devnet", "--block-time-ms", "500"])
        defer { node.process.terminate() }
        #expect(await node.waitForInfo(seconds: 90) != nil, "\(node.output.suffix(800))")
        try await Self.mine(node)
        let client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:\(node.apiPort)")!)
        let params = try ConsensusParams.devnet(blockTimeMs: 500)
        let network = params.networkID

        // A opens the channel with a plain payment of 10 EMB to its lock.
        let channelParams = ChannelParams(
            keyA: RawPublicKey(Self.keyA.publicKey.bytes)!, keyB: RawPublicKey(Self.keyB.publicKey.bytes)!, window: Self.window, app: .zero)
        let coin = try #require(try await client.outputs(of: Self.keyA.publicKey.address(on: network)).max { $0.amount < $1.amount })
        let fee = Amount(units: 10_000_000_000_000_000)
        var funding = Transaction(
            inputs: [Input(outpoint: coin.outpoint, unlock: .publicKey(RawPublicKey(Self.keyA.publicKey.bytes)!))],
            outputs: [
                Output(amount: Self.amount, lock: .channel(channelParams)),
                Output(amount: try #require(coin.amount.subtracting(Self.amount)?.subtracting(fee)), lock: .pubKeyHash(Self.keyA.publicKey.publicKeyHash)),
            ], witnesses: [])
        funding.witnesses = [Witness(items: [try Self.keyA.sign(txid: funding.txid, network: network).bytes])]
        _ = try await client.submit(funding)
        try await Self.mine(node)
        let fundingOutpoint = OutPoint(txid: funding.txid, index: 0)
        #expect(try await client.outputs(under: .channel(channelParams)).contains { $0.outpoint == fundingOutpoint })
        let channelId = channelParams.channelId(network: network, funding: fundingOutpoint)

        // States 1…5, each moving one more coin from A to B, co-signed by both.
        let states = (1...5).map { version in
            let toA = Amount(coins: UInt128(10 - version))!
            let state = ChannelState(channelId: channelId, version: UInt64(version), isFinal: false, balances: [
                Output(amount: toA, lock: .pubKeyHash(Self.keyA.publicKey.publicKeyHash)),
                Output(amount: Self.amount.subtracting(toA)!, lock: .pubKeyHash(Self.keyB.publicKey.publicKeyHash)),
            ])
            let hash = state.hash(network: network).bytes
            return CoSignedState(
                state: state, sigA: try! Self.keyA.sign(domain: .channelState, network: network, message: hash),
                sigB: try! Self.keyB.sign(domain: .channelState, network: network, message: hash))
        }

        // The tower is given version 5 and runs.
        let store = try ChannelStore(path: root.appendingPathComponent("tower.sqlite").path)
        let tower = try Watchtower(store: store, params: params, client: client, fundingKey: Self.towerKey, pollInterval: .milliseconds(100))
        try await tower.watch(TowerEntry(network: network, params: channelParams, funding: fundingOutpoint, latest: states[4]))
        let seen = Observed()
        let listener = Task { for await event in tower.channelGuard.events { seen.events.withLock { $0.append(event) } } }
        let running = Task {
            do { try await tower.run() } catch { seen.loopError.withLock { $0 = "\(error)" } }
        }
        defer {
            running.cancel()
            listener.cancel()
        }
        func published(_ action: ChannelGuardAction) -> Hash32? {
            seen.events.withLock { events in
                events.compactMap { event -> Hash32? in
                    if case .published(_, action, let txid) = event { return txid }
                    return nil
                }.first
            }
        }
        func report() -> String { "loop: \(seen.loopError.withLock { $0 } ?? "running"); events: \(seen.events.withLock { $0 })" }
        #expect(await Self.eventually(seconds: 30) { await tower.channelGuard.records().first?.status == .open }, "\(report())")

        // A, the thief, disputes with version 2 (more coin for A), paying the fee from its change.
        let record = ChannelRecord(
            id: channelId, network: network, params: channelParams, funding: fundingOutpoint, amount: Self.amount, side: .a, peerURL: nil,
            app: "payments", status: .open)
        let theft = try await ChannelTransactions(params: params, fundingKey: Self.keyA, client: client).dispute(record, latest: states[1])
        _ = try await client.submit(theft.transaction)
        guard case .channelDispute(let theftLock) = theft.transaction.outputs[0].lock else {
            Issue.record("the dispute pins no dispute output")
            return
        }
        let theftHeight = try await Self.mine(node)
        #expect(theftHeight + UInt64(Self.window) <= theftLock.deadline)

        // The tower sends an override with version 5 as soon as it sees the dispute; it is mined before the deadline.
        #expect(await Self.eventually(seconds: 60) { published(.override) != nil }, "\(report())")
        let overrideHeight = try await Self.mine(node)
        #expect(overrideHeight < theftLock.deadline)
        #expect(await Self.eventually(seconds: 30) { await tower.channelGuard.records().first?.dispute?.version == 5 }, "\(report())")
        let overridden = try #require(await tower.channelGuard.records().first?.dispute)
        #expect(overridden.outpoint.txid == published(.override))
        #expect(overridden.deadline == theftLock.deadline && overridden.stateHash == states[4].state.hash(network: network))

        // Up to the block before the deadline nothing settles; from the deadline on the tower settles.
        var height = overrideHeight
        while height + 1 < overridden.deadline { height = try await Self.mine(node) }
        #expect(await Self.eventually(seconds: 60) { published(.settle) != nil }, "\(report())")
        let settleHeight = try await Self.mine(node)
        #expect(settleHeight >= overridden.deadline)
        #expect(await Self.eventually(seconds: 30) { await tower.channelGuard.records().first?.status == .closed }, "\(report())")
        let closing = try #require(await tower.channelGuard.records().first?.closingTxid)
        #expect(closing == published(.settle))

        // The balances of version 5 are paid: 5 EMB to A, 5 EMB to B.
        let paidA = try await client.outputs(under: .pubKeyHash(Self.keyA.publicKey.publicKeyHash))
        let paidB = try await client.outputs(under: .pubKeyHash(Self.keyB.publicKey.publicKeyHash))
        #expect(paidA.first { $0.outpoint == OutPoint(txid: closing, index: 0) }?.amount == states[4].state.balances[0].amount)
        #expect(paidB.first { $0.outpoint == OutPoint(txid: closing, index: 1) }?.amount == states[4].state.balances[1].amount)
        running.cancel()
        await node.stop()
    }
}

/// What the tower reported, and the error that ended its loop, for the test's checks and failure messages.
private final class Observed: Sendable {
    let events = Mutex([ChannelGuardEvent]())
    let loopError = Mutex<String?>(nil)
}
