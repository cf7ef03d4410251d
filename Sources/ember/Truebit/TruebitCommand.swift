import ArgumentParser

/// `ember truebit`: computations too heavy for layer 1, paid for and settled by verification games
/// (DESIGN.md section 18, docs/truebit.md).
struct TruebitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truebit",
        abstract: "Post a computation for a reward; solve and verify tasks with daemons that play the verification game.",
        discussion: """
            `ember truebit post` publishes an EmberVM program and its input with a reward; `ember truebit solve` \
            runs tasks and is paid after the challenge window; `ember truebit verify` re-runs every solution and \
            challenges a wrong one, narrowing the dispute to one instruction that layer 1 runs. `ember truebit \
            status` follows a task to its result. Amounts are in EMB with up to 18 decimals. See docs/truebit.md.
            """,
        subcommands: [TruebitPostCommand.self, TruebitStatusCommand.self, TruebitSolveCommand.self, TruebitVerifyCommand.self, TruebitSPVInputCommand.self]
    )
}
