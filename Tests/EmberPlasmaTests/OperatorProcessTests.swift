import Dispatch
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Synchronization
import Testing

/// The operator end to end, with real processes on 127.0.0.1: an `ember node` on devnet (the test mines
/// each block through the node's template route, so nothing waits on the node's own miner), `ember plasma
/// register`, and `ember plasma operator`, killed with SIGKILL and started again on its folder.
@Suite("Plasma operator against a node process", .serialized)
struct OperatorProcessTests {
    static let operatorKeyIndex: UInt32 = 5
    static let depositor = SigningKey.devnet(index: 6)
    static let receiver = SigningKey.devnet(index: 7)
    static let window: UInt32 = 4
    static let network = NetworkID.devnet

    static func post(_ moves: [ChildTransaction], to url: String) async throws -> [String: Any] {
        let (status, body) = try await LocalHTTP.send("POST", url + "/v1/plasma/transactions", body: Data(moves.flatMap(\.encoded)))
        guard status == 200 else { return ["status": status] }
        return (try JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    @Test("register, run the operator, deposit, move, commit; SIGKILL and restart lose nothing acknowledged and commits go on")
    func endToEnd() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-plasma-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let node = try NodeProcess(
            folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
            arguments: ["--network", "devnet", "--block-time-ms", "500"])
        defer { node.process.terminate() }
        #expect(await node.waitForInfo(seconds: 90) != nil, "\(node.output.suffix(800))")
        _ = try await node.mineBlock()
        let nodeURL = "http://127.0.0.1:\(node.apiPort)"
        let client = NodeAPIClient(baseURL: URL(string: nodeURL)!)

        // ember plasma register, mined by the test while the command waits for it.
        let finished = EmberProcess.Finished()
        let register = EmberProcess.runEmber([
            "plasma", "register", "--node", nodeURL, "--key", "devnet:\(Self.operatorKeyIndex)", "--bond", "2", "--exit-window", "\(Self.window)",
            "--wait-seconds", "60",
        ], finished: finished)
        for _ in 0..<150 where !finished.isSet {
            _ = try await node.mineBlock()
            try? await Task.sleep(for: .milliseconds(400))
        }
        let registered = try await register.value
        #expect(registered.status == 0, "\(registered.standardError)\(registered.standardOutput)")
        let chainLine = try #require(registered.standardOutput.split(separator: "\n").first { $0.hasPrefix("chainId ") })
        let chainId = try #require(Hash32(hex: String(chainLine.dropFirst("chainId ".count))))
        let bondLine = try #require(registered.standardOutput.split(separator: "\n").first { $0.hasPrefix("bond ") })
        let bondText = bondLine.dropFirst("bond ".count).split(separator: " ")[0].split(separator: ":")
        let bondOutpoint = OutPoint(txid: try #require(Hash32(hex: String(bondText[0]))), index: try #require(UInt32(bondText[1])))

        // ember plasma operator, as a process.
        let operatorPort = try PortAllocator.freePort()
        let running = EmberProcess(
            arguments: [
                "plasma", "operator", "--node", nodeURL, "--key", "devnet:\(Self.operatorKeyIndex)", "--chain", chainId.hex, "--exit-window",
                "\(Self.window)", "--data", root.appendingPathComponent("operator").path, "--port", "\(operatorPort)",
                "--block-interval", "0.5", "--poll-interval-ms", "200",
            ], port: operatorPort, log: root.appendingPathComponent("operator.log"))
        try running.start()
        defer { if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) } }
        #expect(await EmberProcess.eventually(seconds: 60) { await running.get("/v1/plasma/status") != nil }, "\(running.output.suffix(1500))")

        // A deposit of 1 EMB by the depositor, with the consensus-valid lock, read against the open bond.
        let seed = try #require(try await client.outputs(of: Self.depositor.publicKey.address(on: Self.network)).max { $0.amount < $1.amount })
        let amount = Amount(coins: 1)!
        let depositorKey = RawPublicKey(Self.depositor.publicKey.bytes)!
        let coinId = PlasmaCoinId.derive(chainId: chainId, firstInput: seed.outpoint, outputIndex: 0, amount: amount, depositorKey: depositorKey)
        let fee = Amount(units: 10_000_000_000_000_000)
        var deposit = Transaction(
            version: Transaction.version2, inputs: [Input(outpoint: seed.outpoint, unlock: .publicKey(depositorKey))], reads: [bondOutpoint],
            outputs: [
                Output(amount: amount, lock: .plasmaCoin(PlasmaCoinLock(
                    chainId: chainId, coinId: coinId, depositorKey: depositorKey, exitWindow: Self.window, firstBlock: 1))),
                Output(amount: try #require(seed.amount.subtracting(amount)?.subtracting(fee)), lock: .pubKeyHash(Self.depositor.publicKey.publicKeyHash)),
            ], blobs: [], witnesses: [])
        deposit.witnesses = [Witness(items: [try Self.depositor.sign(txid: deposit.txid, network: Self.network).bytes])]
        _ = try await client.submit(deposit)
        let depositHeight = try await node.mineBlock().height
        #expect(try await client.outputs(under: deposit.outputs[0].lock).count == 1)

        // Registered once final (8 blocks on top of it on devnet), not before: the test looks after every block.
        let historyPath = "/v1/plasma/coins/\(coinId.hex)/history"
        #expect(try await EmberProcess.mineUntil(node, blocks: 30) { await running.get(historyPath) != nil }, "\(running.output.suffix(1500))")
        #expect(try await client.tip().height >= depositHeight + 8)

        // A move over HTTP is sealed, and its block committed on layer 1 with the operator's root.
        let first = try ChildTransaction(
            coinId: coinId, parentBlock: 0, newOwnerKey: RawPublicKey(Self.receiver.publicKey.bytes)!, signedBy: Self.depositor, network: Self.network)
        #expect(try await Self.post([first], to: running.url)["accepted"] as? Int == 1)
        #expect(await EmberProcess.eventually(seconds: 30) { await running.get("/v1/plasma/blocks/1") != nil })
        let block1 = try #require(await running.get("/v1/plasma/blocks/1"))
        let rootText1 = try #require(block1["root"] as? String)
        let root1 = try #require(Hash32(hex: rootText1))
        let committed1 = Lock.plasmaBlock(PlasmaBlockLock(chainId: chainId, number: 1, root: root1))
        #expect(try await EmberProcess.mineUntil(node, blocks: 20) { try await !client.outputs(under: committed1).isEmpty }, "\(running.output.suffix(2000))")

        // The next move is acknowledged; the operator is killed at once and started again on its folder.
        let second = try ChildTransaction(
            coinId: coinId, parentBlock: 1, newOwnerKey: depositorKey, signedBy: Self.receiver, network: Self.network)
        #expect(try await Self.post([second], to: running.url)["accepted"] as? Int == 1)
        kill(running.process.processIdentifier, SIGKILL)
        running.process.waitUntilExit()
        try running.start()
        #expect(await EmberProcess.eventually(seconds: 60) { await running.get("/v1/plasma/status") != nil }, "\(running.output.suffix(1500))")

        // The acknowledged move is in block 2 (sealed before or after the kill), and block 2 is committed.
        #expect(await EmberProcess.eventually(seconds: 30) {
            guard let proof = await running.get("/v1/plasma/blocks/2/proofs/\(coinId.hex)"), let evidence = proof["evidence"] as? [String: Any] else { return false }
            return evidence["included"] as? Bool == true && evidence["transaction"] as? String == second.encoded.hexString
        }, "\(running.output.suffix(1500))")
        let block2 = try #require(await running.get("/v1/plasma/blocks/2"))
        let rootText2 = try #require(block2["root"] as? String)
        let root2 = try #require(Hash32(hex: rootText2))
        let committed2 = Lock.plasmaBlock(PlasmaBlockLock(chainId: chainId, number: 2, root: root2))
        #expect(try await EmberProcess.mineUntil(node, blocks: 20) { try await !client.outputs(under: committed2).isEmpty }, "\(running.output.suffix(2000))")
        // The operator records both commits and says so in its layer-1 status.
        #expect(await EmberProcess.eventually(seconds: 20) { (await running.get("/v1/plasma/layer1"))?["lastCommittedBlock"] as? Int == 2 })
        #expect(try await client.outputs(under: committed1).count == 1)

        // Its log says what it did.
        for line in ["deposit registered", "sealed a child block", "commit sent", "commit mined", "listening on"] {
            #expect(running.output.contains(line), "the operator's log has no '\(line)'")
        }

        // SIGTERM stops it cleanly.
        running.process.terminate()
        running.process.waitUntilExit()
        #expect(running.process.terminationStatus == 0, "\(running.output.suffix(1500))")
    }
}
