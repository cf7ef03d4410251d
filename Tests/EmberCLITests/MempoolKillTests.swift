import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

extension NodeProcessSuites {
    /// Issue 12 item 12: a transaction the node accepted survives a SIGKILL once the periodic save ran.
    @Suite("mempool survives a kill", .serialized)
    struct MempoolKillTests {
        @Test("a transaction accepted before the periodic save is in the mempool after SIGKILL and restart")
        func acceptedTransactionSurvivesKill() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-mempool-kill-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let folder = root.appendingPathComponent("node")
            let node = try NodeProcess(
                folder: folder, apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(), arguments: ["--network", "devnet"])
            defer { node.process.terminate() }
            try #require(await node.waitForInfo(seconds: 60) != nil, "\(node.output.suffix(800))")

            let environment = ["EMBER_WALLET_PASSPHRASE": "a long and memorable passphrase"]
            let wallet = root.appendingPathComponent("seed1.json").path
            let created = try EmberBinary.run(["wallet", "create", "--wallet", wallet, "--devnet-seed", "1"], environment: environment)
            try #require(created.status == 0, "\(created.standardError)")
            let payee = SigningKey.devnet(index: 5).publicKey.address(on: .devnet).string
            let sent = try EmberBinary.run(
                ["wallet", "send", "--wallet", wallet, "--node", "http://127.0.0.1:\(node.apiPort)", "--to", payee, "--amount", "1"],
                environment: environment)
            try #require(sent.status == 0, "\(sent.standardError)")
            let txid = sent.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            let sentAt = Date()

            // The node saves its mempool every 30 seconds: wait for a save after the send.
            let file = folder.appendingPathComponent("mempool.bin")
            let deadline = Date().addingTimeInterval(60)
            var saved = false
            while Date() < deadline, !saved {
                let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
                saved = modified.map { $0 > sentAt } ?? false
                if !saved { try await Task.sleep(for: .milliseconds(250)) }
            }
            try #require(saved, "no mempool save within 60 s: \(node.output.suffix(800))")

            kill(node.process.processIdentifier, SIGKILL)
            node.process.waitUntilExit()
            #expect(node.process.terminationReason == .uncaughtSignal)

            let restarted = try NodeProcess(
                folder: folder, apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(), arguments: ["--network", "devnet"])
            defer { restarted.process.terminate() }
            try #require(await restarted.waitForInfo(seconds: 60) != nil, "\(restarted.output.suffix(800))")
            let (status, transaction) = try await restarted.get("/v1/transactions/\(txid)")
            #expect(status == 200, "\(restarted.output.suffix(800))")
            #expect(transaction["status"] as? String == "mempool")
            await restarted.stop()
        }
    }
}
