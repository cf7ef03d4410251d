import ArgumentParser
import EmberConsensus
import EmberCore
import EmberNode
import EmberTruebit
import Logging

/// `ember truebit solve`: the solver daemon (docs/truebit.md, "Solver"). It takes the tasks within its
/// limits, commits and reveals, answers every bisection round against its solutions, claims games whose
/// challenger ran out of clock and takes the payout; its store lets it resume after a restart.
struct TruebitSolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve", abstract: "Run the solver daemon: take tasks, post solutions, answer every game in time, collect the rewards.")

    @OptionGroup var options: TruebitDaemonOptions
    @Option(help: "The most steps a task may allow for the daemon to take it.")
    var maxSteps: UInt64 = 1 << 32
    @Option(help: "The most solver deposit, in EMB, risked on one task.")
    var maxDeposit: String = "1000"
    @Option(help: "The least reward, in EMB, worth running a task for.")
    var minReward: String = "0"
    @Option(help: "Cores the daemon counts on to answer games (the sybil-defence estimate).")
    var cores: Int = 1
    @Flag(help: "Take tasks whose challenger deposit is too low to deter a flood of sybil games (demos and tests).")
    var acceptIndefensible = false

    func run() async throws {
        let (context, key, params) = try options.context(role: "solver")
        let maxDeposit = try TruebitPostCommand.amount(maxDeposit, option: "--max-deposit")
        let minReward = try TruebitPostCommand.amount(minReward, option: "--min-reward")
        // S, the blocks a transaction may wait under congestion (docs/truebit.md, "The challenge window").
        let congestion: UInt64 = params.networkID == .devnet ? 7 : 60
        let limits = SolverLimits(
            maxSteps: maxSteps, maxSolverDeposit: maxDeposit, minReward: minReward, refuseIndefensible: !acceptIndefensible, cores: max(cores, 1),
            blockSeconds: Double(params.blockTimeMs) / 1_000, reorganisationBlocks: params.layer2.finalityDepth, congestionBlocks: congestion)
        let solver = TruebitSolver(
            context: context, solverKey: key,
            configuration: .init(limits: limits, runOptions: try options.runOptions(), startHeight: options.startHeight),
            logger: Logger(label: "ember.truebit.solver"))
        say("truebit solver for key \(key.publicKey.bytes.hexString), store \(context.store.path)")
        try await options.repeatPasses { try await solver.pass() }
    }
}
