import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import EmberTruebit
import Foundation
import Testing

/// What the Truebit end-to-end tests share: a devnet node process the test mines block by block, the
/// `ember truebit` commands run as a user runs them (post, solve, verify, status), and the test's own view
/// of a task, followed into a store of its own with the same follower the status command uses.
struct TruebitProcessFixture {
    static let network = NetworkID.devnet
    static let giverKey: UInt32 = 1
    static let finalityDepth = (try! ConsensusParams.devnet()).layer2.finalityDepth
    static let program = SharedVectors.packageRoot.appendingPathComponent("Programs/spv/spv.elf").path

    let root: URL
    let node: NodeProcess
    let client: NodeAPIClient
    let store: TruebitStore
    let follower: TruebitChainFollower

    var nodeURL: String { "http://127.0.0.1:\(node.apiPort)" }

    static func start(name: String) async throws -> TruebitProcessFixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let node = try NodeProcess(
            folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
            arguments: ["--network", "devnet", "--block-time-ms", "500"])
        #expect(await node.waitForInfo(seconds: 90) != nil, "\(node.output.suffix(800))")
        _ = try await node.mineBlock()
        let client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:\(node.apiPort)")!)
        let store = try TruebitStore(path: root.appendingPathComponent("test-view.sqlite").path, network: network)
        return TruebitProcessFixture(
            root: root, node: node, client: client, store: store, follower: TruebitChainFollower(store: store, node: client, network: network))
    }

    func stop(_ daemons: [EmberProcess]) {
        for daemon in daemons { daemon.kill() }
        node.process.terminate()
        // EMBER_KEEP_TEST_FOLDERS=1 keeps the logs and stores of a failing run to read.
        if ProcessInfo.processInfo.environment["EMBER_KEEP_TEST_FOLDERS"] == nil { try? FileManager.default.removeItem(at: root) }
    }

    /// `ember truebit solve` or `verify` for devnet key `key`, polling every 200 ms, its log in the folder.
    func daemon(_ command: String, key: UInt32, _ extra: [String] = []) throws -> EmberProcess {
        let name = "\(command)-\(key)-\(UUID().uuidString.prefix(4))"
        let process = EmberProcess(
            arguments: ["truebit", command, "--node", nodeURL, "--devnet-key", "\(key)", "--data", root.appendingPathComponent("\(name).sqlite").path,
                        "--poll-interval-ms", "200"] + extra,
            log: root.appendingPathComponent("\(name).log"))
        try process.start()
        return process
    }

    /// Posts the SPV program over `input` with `ember truebit post`; returns the taskId it printed.
    func post(input: [UInt8], reward: String = "10", extra: [String] = []) async throws -> Hash32 {
        let file = root.appendingPathComponent("input-\(UUID().uuidString.prefix(4)).bin")
        try Data(input).write(to: file)
        let posted = try await EmberProcess.runEmber(
            ["truebit", "post", "--node", nodeURL, "--devnet-key", "\(Self.giverKey)", "--program", Self.program, "--input", file.path,
             "--reward", reward] + extra).value
        #expect(posted.status == 0, "\(posted.standardError)\(posted.standardOutput)")
        let line = try #require(posted.standardOutput.split(separator: "\n").first { $0.hasPrefix("task ") })
        return try #require(Hash32(hex: String(line.dropFirst("task ".count))))
    }

    /// The task's status as the test follows it (the status command's own model).
    func status(_ taskId: Hash32) async throws -> TruebitTaskStatus? {
        let tip = try await follower.catchUp()
        var solutionRecords = [TruebitChainRecord]()
        for solution in try store.records(tag: Lock.Tag.truebitSolution, includeSpent: true) {
            guard case .truebitSolution(let lock) = solution.output.lock, lock.task.taskId == taskId else { continue }
            solutionRecords += try store.records(subject: lock.solutionId)
        }
        return TruebitTaskStatus(
            taskId: taskId, taskRecords: try store.records(subject: taskId), solutionRecords: solutionRecords, tipHeight: tip.height,
            finalityDepth: Self.finalityDepth)
    }

    /// `ember truebit status --task ID --spv` as a user runs it, parsed.
    func statusCommand(_ taskId: Hash32) async throws -> [String: Any] {
        let answer = try await EmberProcess.runEmber(
            ["truebit", "status", "--task", taskId.hex, "--node", nodeURL, "--data", root.appendingPathComponent("status.sqlite").path, "--spv"]).value
        #expect(answer.status == 0, "\(answer.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.standardOutput.utf8)) as? [String: Any])
    }

    /// Mines a block every `every` until `condition` holds.
    func mineUntil(blocks: Int, every: Duration = .milliseconds(300), _ condition: () async throws -> Bool) async throws -> Bool {
        try await EmberProcess.mineUntil(node, blocks: blocks, every: every, condition)
    }

    /// What devnet key `index` holds on layer 1, confirmed.
    func balance(_ index: UInt32) async throws -> Amount {
        let key = SigningKey.devnet(index: index)
        let outputs = try await client.outputs(of: Address(publicKeyHash: key.publicKey.publicKeyHash, network: Self.network))
        return try #require(outputs.map(\.amount).checkedSum())
    }

    static func raw(_ index: UInt32) -> RawPublicKey { RawPublicKey(SigningKey.devnet(index: index).publicKey.bytes)! }
}
