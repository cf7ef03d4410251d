import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Testing

/// What the Plasma end-to-end tests share: a devnet node process the test mines, and a chain registered
/// on it with `ember plasma register` and run by an `ember plasma operator` process.
struct PlasmaProcessFixture {
    typealias Operator = EmberProcess
    static let operatorKeyIndex: UInt32 = 5
    static let network = NetworkID.devnet

    let root: URL
    let node: NodeProcess
    let client: NodeAPIClient
    let chainId: Hash32
    let bond: OutPoint
    let window: UInt32
    let running: Operator

    var nodeURL: String { "http://127.0.0.1:\(node.apiPort)" }

    /// Starts the node, registers a chain with `window` and starts its operator sealing every `blockInterval` seconds.
    static func start(name: String, window: UInt32, blockInterval: String, operatorNiceness: Int? = nil) async throws -> PlasmaProcessFixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-\(name)-\(UUID().uuidString)")
        let node = try NodeProcess(
            folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
            arguments: ["--network", "devnet", "--block-time-ms", "500"])
        #expect(await node.waitForInfo(seconds: 90) != nil, "\(node.output.suffix(800))")
        _ = try await node.mineBlock()
        let nodeURL = "http://127.0.0.1:\(node.apiPort)"
        let finished = EmberProcess.Finished()
        let register = EmberProcess.runEmber([
            "plasma", "register", "--node", nodeURL, "--key", "devnet:\(operatorKeyIndex)", "--bond", "2", "--exit-window", "\(window)",
            "--wait-seconds", "60",
        ], finished: finished)
        for _ in 0..<150 where !finished.isSet {
            _ = try await node.mineBlock()
            try? await Task.sleep(for: .milliseconds(300))
        }
        let registered = try await register.value
        #expect(registered.status == 0, "\(registered.standardError)\(registered.standardOutput)")
        let chainLine = try #require(registered.standardOutput.split(separator: "\n").first { $0.hasPrefix("chainId ") })
        let chainId = try #require(Hash32(hex: String(chainLine.dropFirst("chainId ".count))))
        let bondLine = try #require(registered.standardOutput.split(separator: "\n").first { $0.hasPrefix("bond ") })
        let bondText = bondLine.dropFirst("bond ".count).split(separator: " ")[0].split(separator: ":")
        let bond = OutPoint(txid: try #require(Hash32(hex: String(bondText[0]))), index: try #require(UInt32(bondText[1])))
        let port = try PortAllocator.freePort()
        let running = Operator(
            arguments: [
                "plasma", "operator", "--node", nodeURL, "--key", "devnet:\(operatorKeyIndex)", "--chain", chainId.hex, "--exit-window",
                "\(window)", "--data", root.appendingPathComponent("operator").path, "--port", "\(port)", "--block-interval", blockInterval,
                "--poll-interval-ms", "200",
            ], port: port, log: root.appendingPathComponent("operator.log"), niceness: operatorNiceness)
        try running.start()
        #expect(await EmberProcess.eventually(seconds: 60) { await running.get("/v1/plasma/status") != nil }, "\(running.output.suffix(1500))")
        return PlasmaProcessFixture(
            root: root, node: node, client: NodeAPIClient(baseURL: URL(string: nodeURL)!), chainId: chainId, bond: bond, window: window,
            running: running)
    }

    func stop() {
        if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) }
        node.process.terminate()
        // EMBER_KEEP_TEST_FOLDERS=1 keeps the logs and stores of a failing run to read.
        if ProcessInfo.processInfo.environment["EMBER_KEEP_TEST_FOLDERS"] == nil { try? FileManager.default.removeItem(at: root) }
    }

    /// Mines a block every `every` until `condition` holds; clients pass every 2 s, so a pace near a few
    /// blocks per pass leaves them the windows a real chain would.
    func mineUntil(blocks: Int, every: Duration = .milliseconds(200), _ condition: () async throws -> Bool) async throws -> Bool {
        try await EmberProcess.mineUntil(node, blocks: blocks, every: every, condition)
    }
}
