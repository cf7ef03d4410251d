import EmberCore
import EmberTestSupport
import Foundation
import Testing

extension NodeProcessSuites {
    /// A new user's first session, with real processes: start `ember devnet`, wait for blocks, create two
    /// wallets, send coins, see them confirmed, restart the node and find the same chain.
    @Suite("devnet end to end", .serialized)
    struct DevnetEndToEndTests {
        /// A running `ember devnet` process with its own folder and API port.
        final class DevnetProcess {
            let process = Process()
            let port: Int
            let log: URL

            init(folder: URL, port: Int, extraArguments: [String]) throws {
                self.port = port
                log = folder.appendingPathComponent("node-\(UUID().uuidString).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                process.executableURL = try EmberBinary.url()
                process.arguments = ["devnet", "--data-dir", folder.appendingPathComponent("chain").path, "--api-port", "\(port)", "--threads", "1"]
                    + extraArguments
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
            }

            var url: String { "http://127.0.0.1:\(port)" }

            func get(_ path: String) async throws -> (Int, [String: Any]) {
                try await LocalHTTP.getJSON(url + path)
            }

            /// Polls `/v1/info` until `condition` holds, for at most `seconds`.
            func waitForInfo(seconds: Double, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if let (status, info) = try? await get("/v1/info"), status == 200, condition(info) { return info }
                    try await Task.sleep(for: .milliseconds(200))
                }
                throw CancellationError()
            }

            /// SIGTERM, then the time it took to exit.
            func stop() async throws -> Duration {
                let clock = ContinuousClock()
                let start = clock.now
                process.terminate()
                while process.isRunning && clock.now - start < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
                return clock.now - start
            }

            var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        }

        static func height(_ info: [String: Any]) -> Int { (info["height"] as? Int) ?? 0 }

        @Test("create wallets, send coins, see them confirmed, restart and find the same chain")
        func sendAndRestart() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let port = try PortAllocator.freePort()
            let node = try DevnetProcess(folder: folder, port: port, extraArguments: ["--block-time-ms", "500"])
            _ = try await node.waitForInfo(seconds: 90) { Self.height($0) >= 3 }

            let environment = ["EMBER_WALLET_PASSPHRASE": "correct horse battery staple"]
            let alice = folder.appendingPathComponent("alice.json").path
            let bob = folder.appendingPathComponent("bob.json").path
            #expect(try EmberBinary.run(["wallet", "create", "--wallet", alice, "--devnet-seed", "1"], environment: environment).status == 0)
            #expect(try EmberBinary.run(["wallet", "create", "--wallet", bob], environment: environment).status == 0)
            let bobAddress = try EmberBinary.run(["wallet", "address", "--wallet", bob], environment: environment)
                .standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(bobAddress.hasPrefix("emd1"))

            let sent = try EmberBinary.run(
                ["wallet", "send", "--wallet", alice, "--node", node.url, "--to", bobAddress, "--amount", "12.5"], environment: environment)
            #expect(sent.status == 0, "\(sent.standardError)")
            let txid = sent.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            // The wallet recorded the payment beside its keystore, to send it again if a node loses it.
            #expect(FileManager.default.fileExists(atPath: alice + ".sent"))

            var confirmed: [String: Any] = [:]
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let (status, transaction) = try await node.get("/v1/transactions/\(txid)")
                if status == 200, transaction["status"] as? String == "confirmed" { confirmed = transaction; break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(confirmed["status"] as? String == "confirmed", "\(node.output.suffix(2_000))")
            // Once confirmed, a rebroadcast reports it so and forgets it; a second finds nothing to do.
            let rebroadcast = try EmberBinary.run(["wallet", "rebroadcast", "--wallet", alice, "--node", node.url], environment: environment)
            #expect(rebroadcast.status == 0 && rebroadcast.standardOutput == "confirmed \(txid)\n", "\(rebroadcast.standardError)")
            let again = try EmberBinary.run(["wallet", "rebroadcast", "--wallet", alice, "--node", node.url], environment: environment)
            #expect(again.status == 0 && again.standardOutput.isEmpty)

            let (_, bobBalance) = try await node.get("/v1/addresses/\(bobAddress)/balance")
            #expect(bobBalance["balance"] as? String == "12500000000000000000")
            let outputs = confirmed["outputs"] as? [[String: Any]] ?? []
            let change = outputs.first { $0["address"] as? String != bobAddress }?["amount"] as? String
            let aliceAddress = try EmberBinary.run(["wallet", "address", "--wallet", alice], environment: environment)
                .standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            let (_, aliceBalance) = try await node.get("/v1/addresses/\(aliceAddress)/balance")
            #expect(change != nil && aliceBalance["balance"] as? String == change)
            // The fee was at least the minimum rate for the transaction's size.
            let size = confirmed["size"] as? Int ?? 0
            let fee = 1_000_000 * Amount.unitsPerCoin - 12_500_000_000_000_000_000 - (UInt128(change ?? "0") ?? 0)
            #expect(fee >= UInt128(size) * 10_000_000_000)
            let walletBalance = try EmberBinary.run(["wallet", "balance", "--wallet", bob, "--node", node.url], environment: environment)
            #expect(walletBalance.status == 0 && walletBalance.standardOutput.contains("12.5"))

            let before = try await node.waitForInfo(seconds: 5) { _ in true }
            let stopTime = try await node.stop()
            #expect(stopTime < .seconds(2), "the node took \(stopTime) to stop")
            #expect(node.process.terminationStatus == 0, "\(node.output.suffix(1_000))")

            let restarted = try DevnetProcess(folder: folder, port: try PortAllocator.freePort(), extraArguments: ["--block-time-ms", "500"])
            let after = try await restarted.waitForInfo(seconds: 60) { Self.height($0) >= Self.height(before) }
            let (_, block) = try await restarted.get("/v1/blocks/height/\(Self.height(before))")
            #expect(block["hash"] as? String == before["tip"] as? String)
            #expect(Self.height(after) >= Self.height(before))
            _ = try await restarted.stop()
        }

        @Test("with a low PoLW threshold, PoLW blocks appear and the burnt total grows exactly by their burns")
        func polwBurns() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-e2e-polw-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let node = try DevnetProcess(
                folder: folder, port: try PortAllocator.freePort(), extraArguments: ["--block-time-ms", "500", "--polw-threshold-hashrate", "1"])
            _ = try await node.waitForInfo(seconds: 90) { Self.height($0) >= 4 }
            let stopTime = try await node.stop()
            #expect(stopTime < .seconds(2))
            // Read the final chain through a fresh node that does not mine, so nothing moves while we add up.
            let reader = Process()
            reader.executableURL = try EmberBinary.url()
            let port = try PortAllocator.freePort()
            reader.arguments = ["node", "--data-dir", folder.appendingPathComponent("chain").path, "--api-port", "\(port)"]
            reader.standardOutput = FileHandle.nullDevice
            try reader.run()
            defer { reader.terminate() }
            let view = DevnetProcessView(port: port)
            let info = try await view.waitForInfo(seconds: 30)
            #expect(info["polwActive"] as? Bool == true)
            let height = Self.height(info)
            var burnt: UInt128 = 0
            for h in 1...height {
                let (_, block) = try await view.get("/v1/blocks/height/\(h)")
                let blockBurnt = UInt128(block["burnt"] as? String ?? "") ?? 0
                #expect(blockBurnt > 0, "block \(h) burnt nothing")
                burnt += blockBurnt
            }
            #expect(info["burnt"] as? String == burnt.description)
            #expect(node.output.contains("(PoLW)"))
        }

        /// Read-only access to a node's API by port.
        struct DevnetProcessView {
            let port: Int
            func get(_ path: String) async throws -> (Int, [String: Any]) {
                try await LocalHTTP.getJSON("http://127.0.0.1:\(port)" + path)
            }
            func waitForInfo(seconds: Double) async throws -> [String: Any] {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if let (status, info) = try? await get("/v1/info"), status == 200 { return info }
                    try await Task.sleep(for: .milliseconds(100))
                }
                throw CancellationError()
            }
        }
    }
}
