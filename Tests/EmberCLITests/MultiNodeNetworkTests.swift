import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberTestSupport
import Foundation
import Testing

extension NodeProcessSuites {
    /// Real `ember node` processes talking over 127.0.0.1: three converge while one mines, a fourth
    /// syncs a 300-block chain from them, and two nodes that mined apart heal onto the heavier branch,
    /// with the loser's transaction back in a mempool and then mined again.
    @Suite("multi-node network", .serialized)
    struct MultiNodeNetworkTests {
        static let blockTimeMs = 500
        static let devnetArguments = ["--network", "devnet", "--block-time-ms", "\(blockTimeMs)"]

        static func folder(_ name: String) throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("ember-net-\(name)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        static func start(_ folder: URL, _ name: String, _ arguments: [String]) throws -> NodeProcess {
            try NodeProcess(
                folder: folder.appendingPathComponent(name), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
                arguments: devnetArguments + arguments)
        }

        @Test("three nodes converge while one mines, and a fourth syncs a 300-block chain from the third")
        func convergeAndSync() async throws {
            let root = try Self.folder("converge")
            defer { try? FileManager.default.removeItem(at: root) }
            let blocks = root.appendingPathComponent("chain.blocks").path
            let generated = try EmberBinary.run(
                ["chain", "generate", "--blocks", "300", "--transactions", "20", "--out", blocks] + Self.devnetArguments)
            #expect(generated.status == 0, "\(generated.standardError)")
            let imported = try EmberBinary.run(["chain", "import", "--data-dir", root.appendingPathComponent("node0").path, blocks] + Self.devnetArguments)
            #expect(imported.status == 0, "\(imported.standardError)")

            let node0 = try Self.start(root, "node0", ["--mine", "--threads", "1"])
            let node1 = try Self.start(root, "node1", ["--peer", node0.p2pAddress])
            let node2 = try Self.start(root, "node2", ["--peer", node1.p2pAddress])
            let nodes = [node0, node1, node2]
            defer { for node in nodes { node.process.terminate() } }

            let mined = await node0.waitForInfo(seconds: 90) { NodeProcess.height($0) >= 305 }
            #expect(mined != nil, "node 0 did not mine past 305: \(node0.output.suffix(1_500))")
            // Converged: every node holds node 0's block at a height all have reached.
            var agreed = false
            let deadline = Date().addingTimeInterval(90)
            while Date() < deadline, !agreed {
                let heights = await nodes.asyncMap { await $0.waitForInfo(seconds: 5).map(NodeProcess.height) ?? 0 }
                let common = heights.min() ?? 0
                if common >= 305 {
                    let hashes = await nodes.asyncMap { await $0.hash(atHeight: common) }
                    agreed = Set(hashes.compactMap { $0 }).count == 1 && !hashes.contains(nil)
                }
                if !agreed { try await Task.sleep(for: .milliseconds(300)) }
            }
            #expect(agreed, "the three nodes did not converge: \(node2.output.suffix(1_500))")
            let (_, peers) = try await node1.get("/v1/peers")
            #expect((peers["peers"] as? [[String: Any]])?.count ?? 0 >= 2, "node 1 should have node 0 and node 2 as peers")

            let node3 = try Self.start(root, "node3", ["--peer", node2.p2pAddress])
            defer { node3.process.terminate() }
            let synced = await node3.waitForInfo(seconds: 120) { NodeProcess.height($0) >= 305 }
            #expect(synced != nil, "node 3 did not sync: \(node3.output.suffix(1_500))")
            #expect(await node3.hash(atHeight: 300) == (await node0.hash(atHeight: 300)))
            #expect(node3.output.contains("sync: "), "no sync progress was shown")
            for node in nodes + [node3] { await node.stop() }
            for node in nodes + [node3] { #expect(node.process.terminationStatus == 0, "\(node.output.suffix(800))") }
        }

        @Test("two nodes that mined apart heal onto the heavier branch; the losing branch's transaction returns and is mined again")
        func partitionAndHeal() async throws {
            let root = try Self.folder("heal")
            defer { try? FileManager.default.removeItem(at: root) }
            let params = try NetworkSettings(network: "devnet", blockTimeMs: UInt64(Self.blockTimeMs)).consensusParams()
            // Partitioned from the start: neither knows the other.
            let heavy = try Self.start(root, "heavy", ["--mine", "--threads", "1"])
            var light = try Self.start(root, "light", ["--mine", "--threads", "1"])
            defer { heavy.process.terminate() }
            #expect(await light.waitForInfo(seconds: 60) { NodeProcess.height($0) >= 2 } != nil, "\(light.output.suffix(800))")

            let builder = ChainBuilder(params: params)
            let payment = builder.payment(
                from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 7)!, fee: Amount(units: 10_000_000_000_000_000),
                to: .pubKeyHash(SigningKey.devnet(index: 5).publicKey.publicKeyHash))
            let txid = payment.txid.hex
            let (status, _) = try await light.send("POST", "/v1/transactions", json: ["hex": payment.encoded.hexString])
            #expect(status == 200)
            var confirmedOnLight = false
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, !confirmedOnLight {
                let (_, transaction) = try await light.get("/v1/transactions/\(txid)")
                confirmedOnLight = transaction["status"] as? String == "confirmed"
                if !confirmedOnLight { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(confirmedOnLight, "\(light.output.suffix(800))")

            // The light side stops mining; the heavy side pulls ahead.
            await light.stop()
            let lightHeight = (await heavy.waitForInfo(seconds: 1).map(NodeProcess.height)) ?? 0
            light = try NodeProcess(
                folder: root.appendingPathComponent("light"), apiPort: light.apiPort, p2pPort: light.p2pPort, arguments: Self.devnetArguments)
            defer { light.process.terminate() }
            let lightInfo = await light.waitForInfo(seconds: 30)
            let lightTip = lightInfo.map(NodeProcess.height) ?? 0
            let lightTipHash = await light.hash(atHeight: lightTip)
            #expect(await heavy.waitForInfo(seconds: 90) { NodeProcess.height($0) >= max(lightTip, lightHeight) + 6 } != nil)

            // Heal through the admin route.
            let (connectStatus, _) = try await light.send("POST", "/v1/peers", json: ["address": heavy.p2pAddress])
            #expect(connectStatus == 202 || connectStatus == 200)
            var healed = false
            let healDeadline = Date().addingTimeInterval(60)
            while Date() < healDeadline, !healed {
                if let lightNow = await light.waitForInfo(seconds: 2), NodeProcess.height(lightNow) >= lightTip + 6 {
                    let height = NodeProcess.height(lightNow)
                    healed = await light.hash(atHeight: height) == (await heavy.hash(atHeight: height))
                }
                if !healed { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(healed, "the light node did not reorganise onto the heavy branch: \(light.output.suffix(1_500))")
            #expect(await light.hash(atHeight: lightTip) != lightTipHash, "the light branch's tip is still active")

            // The payment left with the light branch, came back to a mempool, was relayed and mined again.
            var minedAgain = false
            let minedDeadline = Date().addingTimeInterval(60)
            while Date() < minedDeadline, !minedAgain {
                let (_, transaction) = try await heavy.get("/v1/transactions/\(txid)")
                minedAgain = transaction["status"] as? String == "confirmed"
                if !minedAgain { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(minedAgain, "heavy: \(heavy.output.suffix(800)) light: \(light.output.suffix(800))")
            let (_, onLight) = try await light.get("/v1/transactions/\(txid)")
            #expect(["confirmed", "mempool"].contains(onLight["status"] as? String ?? ""))
            await light.stop()
            await heavy.stop()
        }
    }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results = [T]()
        for element in self { results.append(await transform(element)) }
        return results
    }
}
