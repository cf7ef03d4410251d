import ArgumentParser
import EmberConsensus
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTruebit
import EmberVM
import Foundation

/// What `ember truebit solve` and `ember truebit verify` share: the node and key, the store, the pace,
/// how runs keep checkpoints, and the fault a demo or test injects to make a lying daemon.
struct TruebitDaemonOptions: ParsableArguments {
    @OptionGroup var account: Layer2AccountOptions
    @Option(help: ArgumentHelp("The daemon's SQLite file (default: ./.ember/truebit-ROLE-NETWORK.sqlite).", valueName: "path"))
    var data: String?
    @Option(help: "Milliseconds between passes over the chain.")
    var pollIntervalMs: UInt64 = 2_000
    @Option(help: "The first height followed by a new store (later runs resume from the store).")
    var startHeight: UInt64 = 0
    @Option(help: "Steps between run checkpoints: fewer means faster answers and more memory.")
    var checkpointInterval: UInt64 = TaskRun.defaultCheckpointInterval
    @Option(help: ArgumentHelp("Tests and demos only: XOR register --fault-register of every run with --fault-mask after this step, making the daemon lie.", visibility: .hidden))
    var faultStep: UInt64?
    @Option(help: ArgumentHelp("The register the fault changes (1…31; default tp, which the project's programs never use, so the run still halts with exit code 0 but every later state is wrong).", visibility: .hidden))
    var faultRegister: Int = 4
    @Option(help: ArgumentHelp("The bits the fault flips.", visibility: .hidden))
    var faultMask: UInt32 = 1
    @Flag(help: "Make one pass and stop.")
    var once = false

    /// The store, the node, the builders (paying from the key) and the key, for the daemon `role`.
    func context(role: String) throws -> (TruebitDaemonContext, SigningKey, ConsensusParams) {
        let (key, network) = try account.signingKey()
        let params = WalletSender.params(for: network)
        let path = data ?? FileManager.default.currentDirectoryPath + "/.ember/truebit-\(role)-\(network).sqlite"
        let store: TruebitStore
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            store = try TruebitStore(path: path, network: network)
        } catch let failure as TruebitStoreError {
            throw commandFailure(failure.description)
        } catch {
            throw commandFailure("cannot create the folder of \(path): \(error.localizedDescription)")
        }
        let context = TruebitDaemonContext(
            store: store, node: try account.nodeClient(for: network), transactions: TruebitTransactions(params: params, fundingKey: key))
        return (context, key, params)
    }

    func runOptions() throws -> TaskRun.Options {
        guard checkpointInterval >= 1 else { throw commandFailure("--checkpoint-interval must be at least 1") }
        guard let faultStep else { return TaskRun.Options(checkpointInterval: checkpointInterval) }
        guard let fault = RegisterFault(afterStep: faultStep, register: faultRegister, mask: faultMask) else {
            throw commandFailure("--fault-register must be 1…31 and --fault-mask nonzero")
        }
        say("warning: this daemon lies on purpose (\(fault)): a demo or test of the verification game")
        return TaskRun.Options(checkpointInterval: checkpointInterval, fault: fault)
    }

    /// Runs `pass` once, or every poll interval until stopped, printing what each pass did.
    func repeatPasses<Action: CustomStringConvertible>(_ pass: () async throws -> [Action]) async throws {
        repeat {
            do {
                for action in try await pass() { say(action.description) }
            } catch {
                if once { throw commandFailure("\(error)") }
                say("pass failed, trying again: \(error)")
            }
            if !once { try await Task.sleep(for: .milliseconds(pollIntervalMs)) }
        } while !once && !Task.isCancelled
    }
}
