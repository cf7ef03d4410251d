@testable import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Logging
import Testing

/// Batches of co-signed updates (docs/channels.md, "Batches"): every state in a batch is its own
/// update, checked on the one before and signed by both sides; one bad state refuses them all.
@Suite("Channel update batches")
struct ChannelBatchTests {
    static let keyA = SigningKey.devnet(index: 3)
    static let keyB = SigningKey.devnet(index: 4)
    static let params = try! ConsensusParams.devnet()
    static let unit = Amount(units: 1_000)

    /// One open payment channel of 10 EMB (A 7, B 3), co-signed at version 0 and stored by both sides.
    struct Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-batch-\(UUID().uuidString)")
        let channel = ChannelParams(
            keyA: RawPublicKey(ChannelBatchTests.keyA.publicKey.bytes)!, keyB: RawPublicKey(ChannelBatchTests.keyB.publicKey.bytes)!,
            window: 30, app: .zero)
        let funding = OutPoint(txid: Blake3.hash(Array("batches".utf8)), index: 0)
        var id: Hash32 { channel.channelId(network: .devnet, funding: funding) }

        func record(side: ChannelRecord.Side, peerURL: String? = nil) -> ChannelRecord {
            ChannelRecord(
                id: id, network: .devnet, params: channel, funding: funding, amount: Amount(coins: 10)!, side: side, peerURL: peerURL,
                app: "payments", status: .open)
        }

        var opening: CoSignedState {
            let payoutA = record(side: .a).payoutA, payoutB = record(side: .a).payoutB
            let state = ChannelState(channelId: id, version: 0, isFinal: false, balances: [
                Output(amount: Amount(coins: 7)!, lock: payoutA), Output(amount: Amount(coins: 3)!, lock: payoutB),
            ])
            return CoSignedState(state: state, sigA: ChannelBatchTests.sign(state, keyA), sigB: ChannelBatchTests.sign(state, keyB))
        }

        var storePathA: String { folder.appendingPathComponent("a.sqlite").path }
        var storePathB: String { folder.appendingPathComponent("b.sqlite").path }

        func service(_ side: ChannelRecord.Side, peerURL: String? = nil) throws -> ChannelService {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try ChannelStore(path: side == .a ? storePathA : storePathB)
            try store.save(record(side: side, peerURL: peerURL), latest: opening)
            // No node runs: nothing here reaches layer 1.
            var logger = Logger(label: "ember.test.batches")
            logger.logLevel = .critical
            return try ChannelService(
                params: ChannelBatchTests.params, key: side == .a ? keyA : keyB, store: store,
                node: NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:9")!), logger: logger)
        }
    }

    static func sign(_ state: ChannelState, _ key: SigningKey) -> Signature {
        try! key.sign(domain: .channelState, network: .devnet, message: state.hash(network: .devnet).bytes)
    }

    /// `count` payments of `unit` from A to B after `base`, each signed by A.
    static func payments(after base: ChannelState, count: Int, fixture: Fixture) -> [ProposedState] {
        var proposals = [ProposedState]()
        var state = base
        for _ in 0..<count {
            state = try! ChannelService.payment(of: unit, in: state, record: fixture.record(side: .a), dust: params.dust)
            proposals.append(ProposedState(state: state, signature: sign(state, keyA)))
        }
        return proposals
    }

    /// B's answer to `proposals` arriving from A.
    static func answer(of b: ChannelService, to proposals: [ProposedState]) async -> ChannelMessage? {
        let (replies, queue) = AsyncStream.makeStream(of: ChannelMessage.self)
        let link = PeerLink(id: 1, queue: queue)
        await b.receiveUpdateBatch(proposals, from: RawPublicKey(keyA.publicKey.bytes)!, link: link)
        queue.finish()
        for await reply in replies { return reply }
        return nil
    }

    /// A and B of `fixture`, B serving its peer WebSocket on 127.0.0.1 and A connected to it.
    static func connected(_ fixture: Fixture) async throws -> (a: ChannelService, b: ChannelService, serving: Task<Void, any Error>) {
        let port = try PortAllocator.freePort()
        let b = try fixture.service(.b)
        let a = try fixture.service(.a, peerURL: "ws://127.0.0.1:\(port)/v1/peer")
        var logger = Logger(label: "ember.test.batches")
        logger.logLevel = .critical
        let server = ChannelServer(service: b, peerHost: "127.0.0.1", peerPort: port, controlPort: try PortAllocator.freePort(), logger: logger)
        let serving = Task { try await server.run() }
        await a.resume()
        for _ in 0..<400 {
            let fromA = try await a.status(of: fixture.id).connected
            let fromB = try await b.status(of: fixture.id).connected
            if fromA && fromB { return (a, b, serving) }
            try await Task.sleep(for: .milliseconds(25))
        }
        serving.cancel()
        throw ChannelServiceError.peerUnreachable(url: "ws://127.0.0.1:\(port)/v1/peer", reason: "no link within 10 s")
    }

    @Test("a valid batch is co-signed state by state, and the newest is stored before the acknowledgement")
    func validBatch() async throws {
        let fixture = Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let b = try fixture.service(.b)
        let proposals = Self.payments(after: fixture.opening.state, count: 40, fixture: fixture)
        guard case .ackBatch(let channel, let firstVersion, let signatures) = await Self.answer(of: b, to: proposals) else {
            Issue.record("no acknowledgement")
            return
        }
        #expect(channel == fixture.id && firstVersion == 1 && signatures.count == 40)
        // Each signature is B's over its own state.
        for (proposal, signature) in zip(proposals, signatures) {
            #expect(Self.keyB.publicKey.isValidSignature(
                signature, domain: .channelState, network: .devnet, message: proposal.state.hash(network: .devnet).bytes))
        }
        let stored = try #require(try ChannelStore(path: fixture.storePathB).latest(fixture.id))
        #expect(stored.state.version == 40)
        #expect(stored.isValid(for: fixture.channel, network: .devnet))
    }

    @Test("one bad state refuses the whole batch and names its version; B stays at its last co-signed state")
    func oneBadStateRefusesAll() async throws {
        let fixture = Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let b = try fixture.service(.b)
        let good = Self.payments(after: fixture.opening.state, count: 20, fixture: fixture)

        var forged = good
        forged[11].signature = Self.sign(good[11].state, Self.keyB)
        var gap = good
        gap.remove(at: 5)
        var taking = good
        taking[7].state.balances = fixture.opening.state.balances
        taking[7].signature = Self.sign(taking[7].state, Self.keyA)
        var mixed = good
        mixed[3].state.channelId = Blake3.hash([7])
        mixed[3].signature = Self.sign(mixed[3].state, Self.keyA)

        for (batch, version, reason) in [
            (forged, 12, "signature"), (gap, 7, "version 7 proposed, 6 expected"), (taking, 8, "lowers the receiver's balance"),
            (mixed, 1, "mixes channels"),
        ] as [([ProposedState], UInt64, String)] {
            let answer = await Self.answer(of: b, to: batch)
            guard case .refuse(_, let refused, let why) = answer else {
                Issue.record("batch with a bad version \(version) was not refused: \(String(describing: answer))")
                continue
            }
            #expect(refused == UInt64(version))
            #expect(why.contains(reason), "\(why)")
            #expect(try await b.latestState(of: fixture.id).state.version == 0)
            #expect(try ChannelStore(path: fixture.storePathB).latest(fixture.id)?.state.version == 0)
        }
    }

    @Test("an acknowledgement counts only when every signature in it is the peer's over its own state")
    func acknowledgementSignatures() {
        let fixture = Fixture()
        let hashes = Self.payments(after: fixture.opening.state, count: 40, fixture: fixture).map { $0.state.hash(network: .devnet) }
        let byB = hashes.map { try! Self.keyB.sign(domain: .channelState, network: .devnet, message: $0.bytes) }
        // A checks B's signatures: the record is A's, whose peer is B.
        let check = UpdateCheck(params: Self.params, record: fixture.record(side: .a))
        #expect(check.firstBadSignature(byB, over: hashes) == nil)
        var ownInstead = byB
        ownInstead[37] = try! Self.keyA.sign(domain: .channelState, network: .devnet, message: hashes[37].bytes)
        #expect(check.firstBadSignature(ownInstead, over: hashes) == 37)
        var swapped = byB
        swapped.swapAt(20, 21)
        #expect(check.firstBadSignature(swapped, over: hashes) == 20)
        #expect(check.firstBadSignature(Array(byB.dropLast()), over: hashes) == 39)
    }

    @Test("600 payments over a real WebSocket: three batches, both sides end at version 600 with the same state on disk")
    func paymentsOverWebSocket() async throws {
        let fixture = Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let (a, b, serving) = try await Self.connected(fixture)
        defer { serving.cancel() }

        let last = try #require(try await a.payMany(fixture.id, amount: Self.unit, count: 600))
        await a.stopLinks()
        await b.stopLinks()
        #expect(last.state.version == 600)
        let onDiskA = try #require(try ChannelStore(path: fixture.storePathA).latest(fixture.id))
        let onDiskB = try #require(try ChannelStore(path: fixture.storePathB).latest(fixture.id))
        #expect(onDiskA == last && onDiskB == last)
        #expect(last.isValid(for: fixture.channel, network: .devnet))
        // A put in 7 EMB and paid 600 × 1 000 units to B, who had 3 EMB.
        let payoutB = fixture.record(side: .a).payoutB
        #expect(UpdateCheck.paid(to: payoutB, in: last.state) == Amount(coins: 3)!.adding(Amount(units: 600_000)))
    }

    @Test("paying more than the balance in one call pays what fits, then says why it stopped")
    func balanceRunsOutInsideABatch() async throws {
        let fixture = Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let (a, b, serving) = try await Self.connected(fixture)
        defer { serving.cancel() }
        // A holds 7 EMB: 300 payments of 0.01 EMB would need 3 EMB more than it has; 700 fit.
        await #expect(throws: ChannelServiceError.self) {
            _ = try await a.payMany(fixture.id, amount: Amount(units: 10_000_000_000_000_000), count: 1_000)
        }
        let stateA = try await a.latestState(of: fixture.id)
        let stateB = try await b.latestState(of: fixture.id)
        await a.stopLinks()
        await b.stopLinks()
        #expect(stateA.state.version == 700)
        #expect(stateB == stateA)
    }
}
