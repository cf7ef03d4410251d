import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM

/// One run of a Truebit task's program over its input, kept for the task's whole life so that any state
/// hash a verification game asks for is recomputed from the nearest checkpoint (`Prover`), never from the
/// start (docs/truebit.md, "What each side must keep").
///
/// The program is loaded with the consensus loader, as the post rule loaded it, and run to its halt, its
/// trap or `maxSteps` instructions, whichever comes first. Indices are step counts: index i is the state
/// after i instructions, index 0 the task's initial state. An index at or past the step the run stopped
/// at is that **stopped state**, a fixed point (the step counter stays at the stopping step), which is
/// what an honest side answers for any point past the halt.
///
/// Not thread-safe (the prover replays a machine in place): one owner, such as a daemon actor, asks.
public final class TaskRun {
    /// How a run is kept.
    public struct Options: Hashable, Sendable {
        /// Instructions between checkpoints: a question replays at most this many. Memory grows with the
        /// pages a program writes per interval, so a memory-heavy program over 10^9 steps may want more.
        public var checkpointInterval: UInt64
        /// A deliberate error (tests and demos of a cheating solver only); nil for an honest run.
        public var fault: RegisterFault?

        public init(checkpointInterval: UInt64 = TaskRun.defaultCheckpointInterval, fault: RegisterFault? = nil) {
            self.checkpointInterval = checkpointInterval
            self.fault = fault
        }
    }

    /// The prover's default: a checkpoint every 2^20 steps, a few milliseconds of replay per question.
    ///
    /// Measured on a 10^8-step run of a loop writing a rolling 64 KiB buffer (debug build, one core): the
    /// checkpoints took 4 MiB, the costliest question 4 ms, a whole round of 15 points 0.1 s. At 2^24 the
    /// checkpoints took 1 MiB but a question 0.12 s and a round 0.5 s. Checkpoint memory is the pages a
    /// program writes per interval times the number of intervals (10^9 steps: 954 checkpoints), so only a
    /// program rewriting megabytes per interval needs a sparser one.
    public static let defaultCheckpointInterval = Prover.defaultCheckpointInterval

    public let maxSteps: UInt64
    public let options: Options
    public let initialStateHash: Hash32
    public let outcome: TaskRunOutcome
    /// The state the run stopped in (at maxSteps when it did not stop before).
    public let finalState: MachineState
    public let finalStateHash: Hash32
    /// The output the program wrote, as `Machine.output` reads it (at most 1 MiB).
    public let output: [UInt8]
    /// The memory the run holds at its stop: the pages it wrote, 4 KiB each.
    public let memoryBytes: Int
    /// How long the run took from load to stop, checkpoints included.
    public let duration: Duration
    private let prover: Prover

    /// Loads `program` (an ELF blob) under the consensus loader, maps `input`, and runs to the stop.
    ///
    /// - Parameter initialState: the task's initialState; the run is refused when its own differs (the daemon
    ///   runs from its own load, never trusting the post blindly).
    public init(program: [UInt8], input: [UInt8], maxSteps: UInt64, initialState: Hash32? = nil, options: Options = Options()) throws(TaskRunError) {
        guard maxSteps >= 1 else { throw .noSteps }
        let clock = ContinuousClock()
        let started = clock.now
        let loaded: ConsensusProgram
        do {
            loaded = try ConsensusProgram(elf: program)
        } catch {
            throw .programRejected(error)
        }
        let prover: Prover
        do {
            prover = try Prover(program: loaded.program, input: input, checkpointInterval: options.checkpointInterval, fault: options.fault)
        } catch {
            throw .inputRejected(error)
        }
        let initial = prover.stateHash(afterSteps: 0)
        if let initialState, initialState != initial { throw .initialStateMismatch(task: initialState, computed: initial) }
        let final = prover.state(afterSteps: maxSteps)
        self.maxSteps = maxSteps
        self.options = options
        self.prover = prover
        initialStateHash = initial
        finalState = final
        finalStateHash = final.hash
        switch final.status {
        case .running: outcome = .ranOutOfSteps
        case .halted: outcome = .halted(exitCode: final.exitCode)
        case .trapped: outcome = .trapped(TrapCause(rawValue: final.exitCode))
        }
        let stopped = prover.machine(afterSteps: final.step)
        output = stopped.output
        memoryBytes = stopped.writtenPageCount * MachineLayout.pageSize
        duration = clock.now - started
    }

    /// The run of `task` over its program and input blobs.
    public convenience init(task: TruebitTaskLock, program: [UInt8], input: [UInt8], options: Options = Options()) throws(TaskRunError) {
        try self.init(program: program, input: input, maxSteps: task.maxSteps, initialState: task.initialState, options: options)
    }

    /// The step count the run stopped at (maxSteps when it did not stop).
    public var steps: UInt64 { finalState.step }

    /// Instructions the prover executed so far, replays included: the cost of the questions asked.
    public var executedSteps: UInt64 { prover.executedSteps }

    /// The state hash at `index`; the stopped state at or past the stop.
    public func stateHash(at index: UInt64) throws(TaskRunError) -> Hash32 {
        if index >= steps {
            guard outcome.stopped || index == steps else { throw .beyondRun(index: index, maxSteps: maxSteps) }
            return finalStateHash
        }
        return prover.stateHash(afterSteps: index)
    }

    /// The state hashes at the k − 1 bisection points of [lo, hi] (`Bisection.points`), in order: what a
    /// solver posts, and what a challenger compares the solver's points with.
    public func bisectionHashes(lo: UInt64, hi: UInt64) throws(TaskRunError) -> [Hash32] {
        guard let points = Bisection.points(lo: lo, hi: hi) else { throw .notBisectable(lo: lo, hi: hi) }
        var hashes = [Hash32]()
        hashes.reserveCapacity(points.count)
        // Ascending points replay forward from one checkpoint rather than restoring one per point.
        for point in points { hashes.append(try stateHash(at: point)) }
        return hashes
    }

    /// The one-step proof of step `index`: from the state at `index` to the state at `index + 1` (a stopped
    /// state proves its own fixed point).
    public func stepProof(at index: UInt64) throws(TaskRunError) -> StepProof {
        guard index < maxSteps || outcome.stopped else { throw .beyondRun(index: index, maxSteps: maxSteps) }
        return prover.proof(ofStep: index)
    }

    /// An independent machine in the state at `index` (its output and memory paths can be read).
    public func machine(at index: UInt64) throws(TaskRunError) -> Machine {
        guard index <= steps || outcome.stopped else { throw .beyondRun(index: index, maxSteps: maxSteps) }
        return prover.machine(afterSteps: min(index, steps))
    }

    /// What a solver commits to and reveals: the stopped state, the output and its proof against the final
    /// memory root (docs/truebit.md, "The output proof").
    public func solverResult() throws(TruebitTransactionError) -> TruebitRunResult {
        try TruebitRunResult(machine: prover.machine(afterSteps: steps))
    }

    /// Times the costliest kind of question: a state just before a checkpoint, replayed from the one before
    /// it after restoring its memory (the solver's t_h of docs/truebit.md, "Solver", step 1).
    public func measureStateHashCost() -> Duration {
        let interval = max(options.checkpointInterval, 1)
        let lastCheckpoint = steps / interval * interval
        let index = lastCheckpoint >= interval ? lastCheckpoint - 1 : (steps > 0 ? steps - 1 : 0)
        // Move the machine away first, so the question restores a checkpoint as a real one would.
        _ = prover.stateHash(afterSteps: steps)
        let clock = ContinuousClock()
        let started = clock.now
        _ = prover.stateHash(afterSteps: index)
        return clock.now - started
    }
}
