import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM

/// Issue 17's dispute figures for one run length N: a task whose program runs exactly N steps
/// (`MemoryWritingLoop`) is posted, solved by a solver whose run lies from about N/2 on, challenged by a
/// challenger with the honest run, bisected round by round to one step, settled by the step proof and
/// closed: the layer-1 bytes of every transaction, each side's time to answer each round, the runs'
/// time, and the consensus time of the settling step beside an Ed25519 verification of the same run.
///
/// Every transaction is made by `TruebitTransactions` (which checks it on the network's rules before
/// returning it) and then included in a block of a ledger kept here, after the network's checks of a
/// block's transaction against the ledger's outputs (`BenchmarkLedger`): nothing here decides what is
/// valid. Both sides answer from a `TaskRun` with checkpoints, as their daemons do.
public enum TruebitDisputeBenchmark {
    public struct Options: Sendable {
        /// N: the run's exact length, and the task's maxSteps.
        public var steps: UInt64
        /// Both runs' checkpoint spacing (`TaskRun.Options.checkpointInterval`).
        public var checkpointInterval: UInt64
        /// Checks of the settling step averaged for each consensus figure.
        public var settleRepeats: Int
        /// The network whose rules judge the transactions; its window minimum and clock minimum set the task's.
        public var params: ConsensusParams

        public init(
            steps: UInt64, checkpointInterval: UInt64 = TaskRun.defaultCheckpointInterval, settleRepeats: Int = 1_000,
            params: ConsensusParams = .mainnet
        ) {
            self.steps = steps
            self.checkpointInterval = checkpointInterval
            self.settleRepeats = settleRepeats
            self.params = params
        }
    }

    /// Why the benchmark could not measure a dispute; phrased for the person running it.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public static let giverKey = SigningKey.devnet(index: 171)
    public static let solverKey = SigningKey.devnet(index: 172)
    public static let challengerKey = SigningKey.devnet(index: 173)
    /// What each party holds before the post, in one output.
    static let funding = Amount(coins: 1_000)!
    public static let reward = Amount(coins: 10)!
    public static let solverDeposit = Amount(coins: 1)!
    public static let challengerDeposit = Amount(units: 500_000_000_000_000_000)

    /// Measures one dispute over a run of `options.steps` steps.
    ///
    /// - Parameters:
    ///   - memoryProbe: the process's resident bytes (the CLI reads /proc), read around the honest run.
    ///   - progress: one line as each phase starts, for a person watching a long run.
    public static func run(
        _ options: Options, memoryProbe: (() -> Int)? = nil, progress: (String) -> Void = { _ in }
    ) throws(Failure) -> TruebitDisputeReport {
        guard options.settleRepeats >= 1, options.checkpointInterval >= 1 else {
            throw Failure(description: "the settle repeats and the checkpoint interval must be at least 1")
        }
        let program: MemoryWritingLoop
        do {
            program = try MemoryWritingLoop(steps: options.steps)
        } catch {
            throw Failure(description: error.description)
        }
        let firstWrong = worstCaseFirstWrongIndex(steps: options.steps)
        guard let fault = RegisterFault(afterStep: firstWrong - 1, register: MemoryWritingLoop.accumulatorRegister, mask: 1) else {
            throw Failure(description: "no fault can start at index \(firstWrong)")
        }

        let fastPath = try fastPathRate(program)
        progress("the challenger's honest run of \(options.steps) steps, a checkpoint every \(options.checkpointInterval)")
        let memoryBefore = memoryProbe?()
        let honest = try makeRun(program, options: TaskRun.Options(checkpointInterval: options.checkpointInterval))
        let memoryAfter = memoryProbe?()
        guard honest.outcome == .halted(exitCode: 0), honest.steps == options.steps else {
            throw Failure(description: "the loop \(honest.outcome) after \(honest.steps) steps instead of halting with 0 after \(options.steps)")
        }
        progress("the solver's lying run (\(fault))")
        let lying = try makeRun(program, options: TaskRun.Options(checkpointInterval: options.checkpointInterval, fault: fault))
        guard lying.finalStateHash != honest.finalStateHash else { throw Failure(description: "the lying run ends in the honest state") }

        progress("post, commit, reveal, challenge")
        var dispute = try DisputeDriver(params: options.params, program: program.elf, honest: honest, lying: lying)
        try dispute.openGame()
        progress("bisection rounds")
        try dispute.playRounds()
        progress("the step proof and the close")
        let (stepAnswer, step, proof, viewBeforeStep) = try dispute.settle()
        try dispute.close()

        progress("the settling step's consensus time, \(options.settleRepeats) checks of each kind")
        let settle = try SettleMeasurement(
            step: step, proof: proof, view: viewBeforeStep, params: options.params, blockTimestamp: dispute.ledger.nowMs,
            repeats: options.settleRepeats
        ).measure()
        return TruebitDisputeReport(
            params: options.params, steps: options.steps, checkpointInterval: options.checkpointInterval, firstWrongIndex: firstWrong,
            transactions: dispute.included, rounds: dispute.rounds, stepAnswer: stepAnswer, honestRun: honest.duration,
            lyingRun: lying.duration, fastPathStepsPerSecond: fastPath, checkpointsPerRun: options.steps / options.checkpointInterval + 1,
            honestRunMemoryBytes: memoryBefore.flatMap { before in memoryAfter.map { max($0 - before, 0) } }, settle: settle,
            finalOutputs: dispute.ledger.utxos)
    }

    /// The first wrong index that makes the dispute as long as it can be: about steps/2, moved at each
    /// round into a largest part (the one nearest steps/2), so the game takes `Bisection.maxRounds` rounds.
    /// It is the right end of the one-step range the game ends on.
    public static func worstCaseFirstWrongIndex(steps: UInt64) -> UInt64 {
        let target = steps / 2
        var (lo, hi) = (UInt64(0), steps)
        while let points = Bisection.points(lo: lo, hi: hi) {
            let parts = Array(zip([lo] + points, points + [hi]))
            let largest = parts.map { $0.1 - $0.0 }.max() ?? 1
            let distance = { (part: (UInt64, UInt64)) -> UInt64 in
                target <= part.0 ? part.0 - target + 1 : (target > part.1 ? target - part.1 : 0)
            }
            let chosen = parts.filter { $0.1 - $0.0 == largest }.min { distance($0) < distance($1) } ?? parts[0]
            (lo, hi) = chosen
        }
        return hi
    }

    /// Steps per second of the program on the fast path (no checkpoint, no hash), over its first 2^24 steps at
    /// most: the rate at which an answer replays from a checkpoint, so a round's replay time can be told
    /// from its hashing.
    private static func fastPathRate(_ program: MemoryWritingLoop) throws(Failure) -> Double {
        let machine: Machine
        do {
            machine = try Machine(program: try ConsensusProgram(elf: program.elf).program, input: [])
        } catch {
            throw Failure(description: "the loop does not load: \(error)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        machine.run(untilStep: min(program.steps, 1 << 24))
        let (seconds, attoseconds) = (clock.now - start).components
        return Double(machine.step) / max(Double(seconds) + Double(attoseconds) / 1e18, 1e-9)
    }

    private static func makeRun(_ program: MemoryWritingLoop, options: TaskRun.Options) throws(Failure) -> TaskRun {
        do {
            return try TaskRun(program: program.elf, input: [], maxSteps: program.steps, options: options)
        } catch {
            throw Failure(description: "the run cannot be made: \(error)")
        }
    }
}
