import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Synchronization
import Testing

/// A node's REST API answered from ChainBuilder chains: blocks by height and hash, outputs by lock and
/// address from the active chain's UTXO set, and the transactions a client submits (kept, not mined).
/// Swapping the active chain provokes a reorganisation.
final class ScriptedChainNode: NodeAPITransport, Sendable {
    private struct Chain {
        var active = ChainBuilder()
        var known: [Hash32: Block] = [:]
        var submitted: [Transaction] = []
    }

    private let chain = Mutex(Chain())

    func activate(_ builder: ChainBuilder) {
        chain.withLock { chain in
            chain.active = builder
            for block in builder.blocks { chain.known[block.hash] = block }
        }
    }

    var submitted: [Transaction] { chain.withLock { $0.submitted } }

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        let path = request.path
        if request.method == "POST" {
            let body = (try? JSONSerialization.jsonObject(with: request.body ?? Data())) as? [String: String]
            guard let hex = body?["hex"], let bytes = [UInt8](hexString: hex), let transaction = try? Transaction.decode(from: bytes, limit: 1 << 20) else {
                return Self.answer(400, #"{"error":"bad transaction"}"#)
            }
            chain.withLock { $0.submitted.append(transaction) }
            return Self.answer(200, #"{"txid":"\#(transaction.txid.hex)"}"#)
        }
        let snapshot = chain.withLock { $0 }
        let blocks = snapshot.active.blocks
        if path == "/v1/info" {
            return Self.answer(200, #"{"networkID":2,"height":\#(blocks.count - 1),"tip":"\#(blocks.last!.hash.hex)"}"#)
        }
        if let rest = path.strip("/v1/blocks/height/") {
            guard let height = Int(rest), blocks.indices.contains(height) else { return Self.answer(404, #"{"error":"not found"}"#) }
            return Self.block(blocks[height], active: true)
        }
        if let rest = path.strip("/v1/blocks/") {
            guard let hash = Hash32(hex: rest), let block = snapshot.known[hash] else { return Self.answer(404, #"{"error":"not found"}"#) }
            return Self.block(block, active: blocks.indices.contains(Int(block.header.height)) && blocks[Int(block.header.height)].hash == hash)
        }
        let network = snapshot.active.params.networkID
        let outputs = snapshot.active.utxos.outputs.filter { entry in
            if let lockHex = path.strip("/v1/locks/")?.replacingOccurrences(of: "/outputs", with: "") {
                return entry.value.output.lock.encoded.hexString == lockHex
            }
            guard let address = path.strip("/v1/addresses/")?.replacingOccurrences(of: "/outputs", with: ""),
                  case .pubKeyHash(let hash) = entry.value.output.lock
            else { return false }
            return Address(publicKeyHash: hash, network: network).description == address
        }
        let items = outputs.map { outpoint, unspent in
            #"{"txid":"\#(outpoint.txid.hex)","index":\#(outpoint.index),"amount":"\#(unspent.output.amount.units)","lockTime":\#(unspent.output.lockTime),"height":\#(unspent.height),"coinbase":\#(unspent.isCoinbase)}"#
        }
        return Self.answer(200, #"{"outputs":[\#(items.joined(separator: ","))]}"#)
    }

    private static func block(_ block: Block, active: Bool) -> NodeAPIResponse {
        answer(200, #"{"hash":"\#(block.hash.hex)","height":\#(block.header.height),"active":\#(active),"hex":"\#(block.encoded.hexString)"}"#)
    }

    private static func answer(_ status: Int, _ json: String) -> NodeAPIResponse {
        NodeAPIResponse(status: status, body: Data(json.utf8))
    }
}

extension String {
    /// The rest after `prefix`, or nil when the string does not start with it.
    fileprivate func strip(_ prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}

@Suite("channel guard: reorganisations and restarts")
struct ChannelGuardReorgTests {
    typealias Fixture = ChannelChainFixture

    @Test("a thief's dispute is answered with the latest state; a reorganisation that drops the dispute puts the channel back open; a restarted guard resumes from its cursor")
    func reorgAndResume() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-guard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var fixture = try Fixture()
        let forkPoint = fixture.builder
        let newest = fixture.coSigned(fixture.state(version: 5, toA: Amount(coins: 3)!))
        let stale = fixture.coSigned(fixture.state(version: 2, toA: Amount(coins: 9)!))

        // Chain A: the thief disputes with version 2.
        let theft = try fixture.transactions.dispute(fixture.record, latest: stale, in: fixture.context(.funding))
        try fixture.mine(theft.transaction)
        try fixture.builder.extend(by: 1)
        let node = ScriptedChainNode()
        node.activate(fixture.builder)

        let client = NodeAPIClient(transport: node)
        let store = try ChannelStore(path: folder.appendingPathComponent("guard.sqlite").path)
        func openGuard() throws -> ChannelGuard {
            try ChannelGuard(
                store: store, name: "test", client: client,
                transactions: ChannelTransactions(params: fixture.builder.params, fundingKey: Fixture.sponsor, client: client),
                startHeight: 0)
        }
        let channelGuard = try openGuard()
        try await channelGuard.guardChannel(fixture.record, latest: newest)
        try await channelGuard.round()

        let disputed = try #require(await channelGuard.records().first?.dispute)
        #expect(disputed.version == 2 && disputed.outpoint.txid == theft.transaction.txid)
        #expect(try store.record(fixture.record.id)?.status == .disputed)
        let override = try #require(node.submitted.first)
        guard case .disputed(let answered, .override, _) = ChannelSpendOutcome.read(
            override, txid: override.txid, input: 0, channelId: fixture.record.id, network: fixture.network)
        else {
            Issue.record("the guard did not send an override")
            return
        }
        #expect(answered.version == 5 && answered.deadline == disputed.deadline)
        _ = try fixture.builder.validate(fixture.builder.makeBlock([override]))

        // Chain B: another miner's longer branch from the funding block, without the dispute.
        var branch = forkPoint
        branch.minerKey = .devnet(index: 6)
        try branch.extend(by: 3)
        node.activate(branch)
        try await channelGuard.round()
        let reverted = try #require(await channelGuard.records().first)
        #expect(reverted.status == .open && reverted.dispute == nil)
        #expect(try store.record(fixture.record.id)?.status == .open)
        #expect(node.submitted.count == 1)

        // A restarted guard resumes at its cursor and sees the next dispute on chain B.
        let resumed = try openGuard()
        try await resumed.guardChannel(fixture.record, latest: newest)
        #expect(await resumed.records().first?.status == .open)
        var branchFixture = fixture
        branchFixture.builder = branch
        branchFixture.record.status = .open
        branchFixture.record.dispute = nil
        let second = try branchFixture.transactions.dispute(branchFixture.record, latest: stale, in: branchFixture.context(.funding))
        try branch.append(branch.makeBlock([second.transaction]))
        node.activate(branch)
        try await resumed.round()
        #expect(await resumed.records().first?.dispute?.outpoint.txid == second.transaction.txid)
        #expect(node.submitted.count == 2)
    }
}
