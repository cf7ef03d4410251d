import EmberCore

/// What a giver chooses for one task of a post (docs/truebit.md, "Task giver" step 2), in the order it
/// chooses them; the program, the input and what consensus derives (taskId, hashes, initialState) come
/// from the post itself.
public struct TruebitTaskParameters: Hashable, Sendable {
    /// Signs the refund and receives half the deposit of a solver that never reveals or is refuted.
    public var giverKey: RawPublicKey
    /// R: what the task output holds and the solver is paid.
    public var reward: Amount
    /// What a solver locks with its commit and loses for a missed reveal or a refuted solution.
    public var solverDeposit: Amount
    /// What each challenger locks in its game and loses, half of it to the solver, for a wrong challenge.
    public var challengerDeposit: Amount
    /// The run's step budget: a solution claims at most this many steps.
    public var maxSteps: UInt64
    /// W: the blocks a solution stays open to challenges, and how far away a commit's revealBy lies.
    public var challengeWindow: UInt32
    /// Each side's chess clock in a verification game, in blocks.
    public var clock: UInt32
    /// From this height an unsolved task may be refunded, and no solver may commit.
    public var solveDeadline: UInt64

    public init(
        giverKey: RawPublicKey, reward: Amount, solverDeposit: Amount, challengerDeposit: Amount, maxSteps: UInt64, challengeWindow: UInt32,
        clock: UInt32, solveDeadline: UInt64
    ) {
        self.giverKey = giverKey
        self.reward = reward
        self.solverDeposit = solverDeposit
        self.challengerDeposit = challengerDeposit
        self.maxSteps = maxSteps
        self.challengeWindow = challengeWindow
        self.clock = clock
        self.solveDeadline = solveDeadline
    }
}
