import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTruebit
import Foundation

/// `ember truebit status`: follows the chain into a local store and prints where a task stands as JSON
/// (`TruebitTaskStatus`): its phase, the current solution, every game's round and clocks, and once paid the
/// result with its output bytes, fetched from the node by the result's outputHash.
struct TruebitStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print a task's phase, games (round, clocks) and result as JSON.")

    @Option(help: "The taskId, 64 hex digits (as `ember truebit post` printed it).")
    var task: String
    @Option(help: ArgumentHelp("The node's API (default: http://127.0.0.1:19271 on devnet, port 9271 otherwise).", valueName: "url"))
    var node: String?
    @Option(help: "mainnet, testnet or devnet (default: devnet).")
    var network: String = "devnet"
    @Option(help: ArgumentHelp("The SQLite file the chain is followed into (default: ./.ember/truebit-status-NETWORK.sqlite).", valueName: "path"))
    var data: String?
    @Option(help: "The first height followed by a new store (the post's height or lower).")
    var fromHeight: UInt64 = 0
    @Flag(help: "Also decode the output as the SPV program's (Programs/spv).")
    var spv = false

    func run() async throws {
        guard task.utf8.count == 64, let taskId = Hash32(hex: task) else { throw commandFailure("--task must be 64 hex digits") }
        guard let networkID = NetworkID.allCases.first(where: { "\($0)" == network }) else { throw commandFailure("--network must be mainnet, testnet or devnet") }
        let params = WalletSender.params(for: networkID)
        var nodeOptions = WalletNodeOptions()
        nodeOptions.node = node
        let client = NodeAPIClient(baseURL: try nodeOptions.client(for: networkID).baseURL)
        let path = data ?? FileManager.default.currentDirectoryPath + "/.ember/truebit-status-\(networkID).sqlite"
        let status: TruebitTaskStatus?
        let output: [UInt8]?
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            let store = try TruebitStore(path: path, network: networkID)
            let tip = try await TruebitChainFollower(store: store, node: client, network: networkID, startHeight: fromHeight).catchUp()
            var solutionRecords = [TruebitChainRecord]()
            for solution in try store.records(tag: Lock.Tag.truebitSolution, includeSpent: true) {
                guard case .truebitSolution(let lock) = solution.output.lock, lock.task.taskId == taskId else { continue }
                solutionRecords += try store.records(subject: lock.solutionId)
            }
            status = TruebitTaskStatus(
                taskId: taskId, taskRecords: try store.records(subject: taskId), solutionRecords: solutionRecords, tipHeight: tip.height,
                finalityDepth: params.layer2.finalityDepth)
            if let result = status?.result {
                output = try await client.blob(hash: result.outputHash)?.bytes
            } else {
                output = nil
            }
        } catch {
            throw commandFailure("\(error)")
        }
        guard let status else { throw commandFailure("no task \(taskId.hex) on the chain the node follows (from height \(fromHeight))") }
        var json = Self.json(status)
        if let output {
            json["output"] = output.hexString
            if spv { json["spv"] = Self.spvJSON(output) }
        }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    static func json(_ status: TruebitTaskStatus) -> [String: Any] {
        var json: [String: Any] = [
            "taskId": status.taskId.hex, "tip": status.tipHeight, "phase": status.phase.rawValue, "reward": status.reward.description,
            "maxSteps": status.task.maxSteps, "solveDeadline": status.task.solveDeadline, "challengeWindow": status.task.challengeWindow,
            "clock": status.task.clock, "refutedSolutions": status.refutedSolutions,
            "games": status.games.map { game -> [String: Any] in
                [
                    "outpoint": "\(game.outpoint.txid.hex):\(game.outpoint.index)", "challengerKey": game.challengerKey.bytes.hexString,
                    "lo": game.lo, "hi": game.hi, "round": game.round, "toMove": game.toMove, "solverClock": game.solverClock,
                    "challengerClock": game.challengerClock, "clockRunsOutAt": game.clockRunsOutAt,
                ]
            },
        ]
        if let revealBy = status.revealBy { json["revealBy"] = revealBy }
        if let solution = status.solution {
            json["solution"] = [
                "solutionId": solution.solutionId.hex, "outpoint": "\(solution.outpoint.txid.hex):\(solution.outpoint.index)",
                "solverKey": solution.solverKey.bytes.hexString, "steps": solution.steps, "finalState": solution.finalState.hex,
                "outputHash": solution.outputHash.hex, "deadline": solution.deadline, "payoutFrom": solution.payoutFrom,
            ] as [String: Any]
        }
        if let result = status.result {
            json["result"] = [
                "outpoint": "\(result.outpoint.txid.hex):\(result.outpoint.index)", "solutionId": result.solutionId.hex,
                "outputHash": result.outputHash.hex, "paidAtHeight": result.paidAtHeight, "confirmations": result.confirmations,
            ] as [String: Any]
        }
        return json
    }

    static func spvJSON(_ output: [UInt8]) -> [String: Any] {
        do {
            let decoded = try SPVTaskOutput(decoding: output)
            return ["anchor": decoded.anchor.hex, "tip": decoded.tip.hex, "totalWork": decoded.totalWork.description, "headers": decoded.headerCount]
        } catch {
            return ["error": error.description]
        }
    }
}
