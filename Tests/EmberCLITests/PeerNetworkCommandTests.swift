import EmberTestSupport
import Foundation
import Testing

extension NodeProcessSuites {
    /// The P2P options of `ember node` and `ember devnet`, and `ember devnet --nodes`, with real processes.
    /// The nodes do not talk to each other yet (the peer manager comes separately), so only what the
    /// command line promises is checked: options, ports, one genesis, mining, and a clean stop.
    @Suite("P2P command line", .serialized)
    struct PeerNetworkCommandTests {
        /// An `ember` process left running, its output going to a file that can be read at any moment.
        final class RunningEmber {
            let process = Process()
            let log: URL

            init(_ arguments: [String], folder: URL) throws {
                log = folder.appendingPathComponent("ember-\(UUID().uuidString).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                process.executableURL = try EmberBinary.url()
                process.arguments = arguments
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
            }

            var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

            /// Waits until the output holds `text`, for at most `seconds`.
            func waitForOutput(_ text: String, seconds: Double) async throws -> Bool {
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline {
                    if output.contains(text) { return true }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }

            /// SIGTERM, then how long it took to exit (at most 15 s of waiting).
            func stop() async throws -> Duration {
                let clock = ContinuousClock()
                let start = clock.now
                if process.isRunning { process.terminate() }
                while process.isRunning && clock.now - start < .seconds(15) { try await Task.sleep(for: .milliseconds(20)) }
                return clock.now - start
            }
        }

        static func temporaryFolder() throws -> URL {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-p2p-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }

        /// `/v1/info` of the API on `port`, or nil while it does not answer.
        static func info(port: Int) async -> [String: Any]? {
            guard let (status, info) = try? await LocalHTTP.getJSON("http://127.0.0.1:\(port)/v1/info"), status == 200 else { return nil }
            return info
        }

        static func waitForInfo(port: Int, seconds: Double, _ condition: ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any]? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let info = await info(port: port), condition(info) { return info }
                try await Task.sleep(for: .milliseconds(200))
            }
            return nil
        }

        /// API and P2P base ports for a two-node cluster: both free, and free again 10 higher for node 1.
        static func clusterBasePorts() throws -> (api: Int, p2p: Int) {
            for _ in 0..<50 {
                let api = try PortAllocator.freePort(), p2p = try PortAllocator.freePort()
                let distance = abs(api - p2p)
                guard distance % 10 != 0 || distance > 10 else { continue }
                if [api, p2p, api + 10, p2p + 10].allSatisfy(PortAllocator.isFree) { return (api, p2p) }
            }
            throw POSIXError(.EADDRINUSE)
        }

        @Test("devnet --nodes 2: a table of both nodes, one genesis, node 0 mines, SIGTERM stops all cleanly")
        func twoNodeCluster() async throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let (api, p2p) = try Self.clusterBasePorts()
            let launcher = try RunningEmber(
                ["devnet", "--nodes", "2", "--api-port", "\(api)", "--p2p-port", "\(p2p)", "--block-time-ms", "500",
                 "--data-dir", folder.appendingPathComponent("cluster").path], folder: folder)
            defer { if launcher.process.isRunning { launcher.process.terminate() } }

            let mined = try await Self.waitForInfo(port: api, seconds: 90) { ($0["height"] as? Int ?? 0) >= 2 }
            let first = try #require(mined, "node 0 did not mine 2 blocks: \(launcher.output)")
            let answered = try await Self.waitForInfo(port: api + 10, seconds: 30)
            let second = try #require(answered, "node 1 did not answer: \(launcher.output)")
            #expect(first["genesis"] as? String == second["genesis"] as? String)
            #expect(first["network"] as? String == "devnet" && second["network"] as? String == "devnet")
            #expect(first["mining"] as? Bool == true && second["mining"] as? Bool == false)

            let output = launcher.output
            for (index, port) in [(0, p2p), (1, p2p + 10)] {
                #expect(output.contains("\(port)"), "no P2P port \(port) in the table")
                #expect(output.contains("http://127.0.0.1:\(api + 10 * index)/v1/info"))
                #expect(output.contains("[node \(index)] P2P on 127.0.0.1:\(port)"), "node \(index) was not given its P2P port")
            }
            #expect(output.contains("[node 1] P2P on 127.0.0.1:\(p2p + 10), peers: 127.0.0.1:\(p2p)"))
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cluster/node-1").path))

            let stopTime = try await launcher.stop()
            #expect(!launcher.process.isRunning)
            #expect(stopTime < .seconds(15), "the cluster took \(stopTime) to stop: the launcher had to kill a node")
            #expect(launcher.process.terminationStatus == 0, "\(launcher.output.suffix(2_000))")
            let stopped = launcher.output
            #expect(stopped.contains("[node 0] stopped cleanly") && stopped.contains("[node 1] stopped cleanly"))
            let firstAfterStop = await Self.info(port: api)
            let secondAfterStop = await Self.info(port: api + 10)
            #expect(firstAfterStop == nil && secondAfterStop == nil, "a node outlived its launcher")
        }

        @Test("devnet --nodes 2: when a node dies unasked, the launcher stops the other and exits 1 naming it")
        func nodeDies() async throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let cluster = folder.appendingPathComponent("cluster")
            try FileManager.default.createDirectory(at: cluster, withIntermediateDirectories: true)
            // A file where node 1's data folder should be: node 1 cannot open its chain and exits at once.
            try Data("not a folder".utf8).write(to: cluster.appendingPathComponent("node-1"))
            let (api, p2p) = try Self.clusterBasePorts()
            let launcher = try RunningEmber(
                ["devnet", "--nodes", "2", "--api-port", "\(api)", "--p2p-port", "\(p2p)", "--block-time-ms", "500", "--data-dir", cluster.path],
                folder: folder)
            defer { if launcher.process.isRunning { launcher.process.terminate() } }
            let clock = ContinuousClock()
            let start = clock.now
            while launcher.process.isRunning && clock.now - start < .seconds(30) { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!launcher.process.isRunning)
            #expect(launcher.process.terminationStatus == 1)
            let output = launcher.output
            #expect(output.contains("ember: node 1 exited with status 1 unexpectedly; stopping the others"), "\(output)")
            #expect(!output.contains("node 0 exited") && !output.contains("node 0 was killed"), "\(output)")
            let firstAfterStop = await Self.info(port: api)
            #expect(firstAfterStop == nil, "node 0 outlived its launcher")
        }

        @Test("a malformed P2P option fails with one line and exit status 1", arguments: [
            (["devnet", "--peer", "nonsense"], "--peer nonsense is not HOST:PORT"),
            (["devnet", "--nodes", "2", "--peer", "127.0.0.1:0"], "--peer 127.0.0.1:0 is not HOST:PORT"),
            (["node", "--peer", "seed.example.com:9270"], "--peer seed.example.com:9270 is not HOST:PORT"),
            (["node", "--p2p-port", "70000"], "--p2p-port must be 1…65535"),
            (["node", "--max-inbound", "5000"], "--max-inbound must be 0…1024"),
            (["node", "--max-inbound-per-address", "0"], "--max-inbound-per-address must be 1…1024 (got 0)"),
            (["node", "--max-inbound-per-group", "2000"], "--max-inbound-per-group must be 1…1024 (got 2000)"),
            (["node", "--frame-budget-mib", "8"], "--frame-budget-mib must be 16…4096 (got 8)"),
            (["node", "--max-dials-per-minute", "601"], "--max-dials-per-minute must be 0…600 (got 601)"),
            (["node", "--max-fork-depth", "3"], "--max-fork-depth must be 10…1000000 (got 3)"),
            (["node", "--no-p2p", "--max-dials-per-minute", "5"], "--no-p2p cannot be combined"),
            (["node", "--no-p2p", "--peer", "127.0.0.1:9270"], "--no-p2p cannot be combined"),
            (["devnet", "--nodes", "17"], "--nodes must be 1…16"),
        ])
        func malformedOption(arguments: [String], message: String) throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try EmberBinary.run(arguments + ["--data-dir", folder.appendingPathComponent("chain").path])
            #expect(result.status == 1)
            let lines = result.standardError.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.contains(message) == true, "\(result.standardError)")
        }

        @Test("node: the config file's P2P settings apply, and the command line wins over them")
        func configFileAndCommandLine() async throws {
            let folder = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let config = folder.appendingPathComponent("node.json")
            try Data(#"{"p2pPort": 1, "peers": ["127.0.0.1:19999"], "maxOutbound": 2, "p2p": false}"#.utf8).write(to: config)
            let p2p = try PortAllocator.freePort()
            let api = try PortAllocator.freePort()
            let node = try RunningEmber(
                ["node", "--config", config.path, "--p2p-port", "\(p2p)", "--api-port", "\(api)",
                 "--data-dir", folder.appendingPathComponent("chain").path], folder: folder)
            defer { if node.process.isRunning { node.process.terminate() } }
            #expect(try await node.waitForOutput("P2P on 127.0.0.1:\(p2p), peers: 127.0.0.1:19999", seconds: 30), "\(node.output)")
            // Stopped only once it serves, so the signal meets its handler rather than a node still starting.
            #expect(try await Self.waitForInfo(port: api, seconds: 30) != nil)
            _ = try await node.stop()
            #expect(node.process.terminationStatus == 0, "\(node.output)")

            let quiet = try RunningEmber(
                ["node", "--config", config.path, "--api-port", "\(api)", "--data-dir", folder.appendingPathComponent("chain").path],
                folder: folder)
            defer { if quiet.process.isRunning { quiet.process.terminate() } }
            #expect(try await quiet.waitForOutput("P2P off", seconds: 30), "\(quiet.output)")
            _ = try await quiet.stop()
        }
    }
}
