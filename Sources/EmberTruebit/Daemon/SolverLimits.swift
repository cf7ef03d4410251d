import EmberCore

/// What the solver daemon takes on (docs/truebit.md, "Solver", steps 1–2): the largest task it runs, the
/// deposit it risks, the reward it wants, and what it assumes to judge whether it could defend a task
/// against a flood of sybil games.
public struct SolverLimits: Hashable, Sendable {
    /// The most steps a task may allow.
    public var maxSteps: UInt64
    /// The most memory a run may hold at its end (pages written), at most the 768 MiB of the windows.
    public var maxMemoryBytes: Int
    /// The most solver deposit the daemon puts at risk on one task.
    public var maxSolverDeposit: Amount
    /// The least reward worth the work.
    public var minReward: Amount
    /// Blocks the daemon leaves itself before solveDeadline to run the task and get its commit mined.
    public var commitBlocks: UInt64
    /// Whether to refuse tasks it could not defend (step 1's sybil estimate); off only for tests and demos
    /// that post tasks with a deposit no estimate would accept.
    public var refuseIndefensible: Bool
    /// Cores answering games, the block time in seconds, and the blocks of the clock that are not the
    /// daemon's to compute in: the reorganisation depth R, the congestion delay S and the margin m per move.
    public var cores: Int
    public var blockSeconds: Double
    public var reorganisationBlocks: UInt64
    public var congestionBlocks: UInt64
    public var moveMargin: UInt64

    public init(
        maxSteps: UInt64 = 1 << 32, maxMemoryBytes: Int = 768 << 20, maxSolverDeposit: Amount, minReward: Amount = .zero,
        commitBlocks: UInt64 = 3, refuseIndefensible: Bool = true, cores: Int = 1, blockSeconds: Double, reorganisationBlocks: UInt64,
        congestionBlocks: UInt64, moveMargin: UInt64 = 3
    ) {
        self.maxSteps = maxSteps
        self.maxMemoryBytes = maxMemoryBytes
        self.maxSolverDeposit = maxSolverDeposit
        self.minReward = minReward
        self.commitBlocks = commitBlocks
        self.refuseIndefensible = refuseIndefensible
        self.cores = cores
        self.blockSeconds = blockSeconds
        self.reorganisationBlocks = reorganisationBlocks
        self.congestionBlocks = congestionBlocks
        self.moveMargin = moveMargin
    }
}
