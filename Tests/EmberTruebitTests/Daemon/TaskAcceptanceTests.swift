import EmberConsensus
import EmberCore
import EmberTruebit
import Testing

@Suite("Truebit solver: which tasks it takes")
struct TaskAcceptanceTests {
    typealias P = PlannerSamples

    static let limits = SolverLimits(
        maxSteps: 1 << 24, maxMemoryBytes: 64 << 20, maxSolverDeposit: Amount(units: 5_000), minReward: Amount(units: 1_000), commitBlocks: 3,
        cores: 2, blockSeconds: 4, reorganisationBlocks: 8, congestionBlocks: 7, moveMargin: 3)
    static let reward = Amount(units: 10_000)

    @Test("the task's fields: maxSteps, deposit, reward and the blocks left before solveDeadline")
    func screen() {
        let next: UInt64 = 100
        #expect(TruebitSolverPlanner.screen(P.task, reward: Self.reward, nextHeight: next, finalityDepth: 8, limits: Self.limits) == nil)
        var task = P.task
        task.maxSteps = (1 << 24) + 1
        #expect(TruebitSolverPlanner.screen(task, reward: Self.reward, nextHeight: next, finalityDepth: 8, limits: Self.limits)
            == .maxStepsOverLimit(maxSteps: (1 << 24) + 1, limit: 1 << 24))
        task = P.task
        task.solverDeposit = Amount(units: 5_001)
        #expect(TruebitSolverPlanner.screen(task, reward: Self.reward, nextHeight: next, finalityDepth: 8, limits: Self.limits)
            == .depositOverLimit(deposit: Amount(units: 5_001), limit: Amount(units: 5_000)))
        #expect(TruebitSolverPlanner.screen(P.task, reward: Amount(units: 999), nextHeight: next, finalityDepth: 8, limits: Self.limits)
            == .rewardTooSmall(reward: Amount(units: 999), minimum: Amount(units: 1_000)))
        // revealBy lies W + ⌊W/2⌋ blocks after the commit is built: W = 8 gives 12, more than 8 of finality and
        // 3 to get the commit mined; W = 7 gives 10, which is not.
        task = P.task
        task.challengeWindow = 8
        #expect(TruebitSolverPlanner.screen(task, reward: Self.reward, nextHeight: next, finalityDepth: 8, limits: Self.limits) == nil)
        task.challengeWindow = 7
        #expect(TruebitSolverPlanner.screen(task, reward: Self.reward, nextHeight: next, finalityDepth: 8, limits: Self.limits)
            == .windowTooShort(window: 7, finalityDepth: 8))
        // solveDeadline 500: a commit built for 497 with 3 blocks to spare would need 500, which is too late.
        #expect(TruebitSolverPlanner.screen(P.task, reward: Self.reward, nextHeight: 496, finalityDepth: 8, limits: Self.limits) == nil)
        #expect(TruebitSolverPlanner.screen(P.task, reward: Self.reward, nextHeight: 497, finalityDepth: 8, limits: Self.limits)
            == .deadlineTooNear(solveDeadline: 500, nextHeight: 497, needed: 3))
    }

    @Test("the run: only a halt with exit code 0, an output a reveal can carry, and memory within the limit")
    func judgeTheRun() {
        func judge(_ outcome: TaskRunOutcome, output: Int = 4, memory: Int = 1 << 20) -> TaskRefusal? {
            TruebitSolverPlanner.judge(
                outcome: outcome, outputBytes: output, memoryBytes: memory, stateHashCost: .milliseconds(1), task: P.task, reward: Self.reward,
                limits: Self.limits)
        }
        #expect(judge(.halted(exitCode: 0)) == nil)
        #expect(judge(.halted(exitCode: 3)) == .unsolvable("halted with exit code 3"))
        #expect(judge(.trapped(.illegalInstruction)) == .unsolvable("trapped (illegal instruction)"))
        #expect(judge(.ranOutOfSteps) == .unsolvable("did not halt within maxSteps"))
        #expect(judge(.halted(exitCode: 0), output: 65_536) == nil)
        #expect(judge(.halted(exitCode: 0), output: 65_537) == .outputTooLarge(bytes: 65_537, limit: 65_536))
        #expect(judge(.halted(exitCode: 0), memory: (64 << 20) + 4_096) == .memoryOverLimit(bytes: (64 << 20) + 4_096, limit: 64 << 20))
    }

    @Test("a task is refused when a flood of games it can answer costs less than what the solver risks")
    func defence() throws {
        // maxSteps 2^20: r = 5. t_h = 10 ms: a game asks 15·(r − 1) = 60 hashes, 0.6 s. The clock of 50 blocks
        // keeps R + S + (r + 1)(m + 1) = 8 + 7 + 24 = 39 for other things: 11 blocks of 4 s on 2 cores = 88 s,
        // so 88 / 0.6 = 146.67 games.
        let games = TruebitSolverPlanner.defendableGames(task: P.task, stateHashCost: .milliseconds(10), limits: Self.limits)
        #expect(abs(games - 88.0 / 0.6) < 1e-9)
        func judge(challengerDeposit: UInt128, limits: SolverLimits = Self.limits) -> TaskRefusal? {
            var task = P.task
            task.challengerDeposit = Amount(units: challengerDeposit)
            return TruebitSolverPlanner.judge(
                outcome: .halted(exitCode: 0), outputBytes: 4, memoryBytes: 4_096, stateHashCost: .milliseconds(10), task: task, reward: Self.reward,
                limits: limits)
        }
        // At risk: R + Ds = 10 000 + 2 000. 146.67 games of 82 units cost 12 026.7: defended; of 81, 11 880: not.
        #expect(judge(challengerDeposit: 82) == nil)
        guard case .indefensible(let found, let deposit, let atRisk)? = judge(challengerDeposit: 81) else {
            Issue.record("a deposit of 81 units should be indefensible")
            return
        }
        #expect(abs(found - games) < 1e-9)
        #expect(deposit == Amount(units: 81))
        #expect(atRisk == Amount(units: 12_000))
        var lenient = Self.limits
        lenient.refuseIndefensible = false
        #expect(judge(challengerDeposit: 81, limits: lenient) == nil)
        // A task of 16 steps has one round: a game asks no state hash the solver does not have, so any deposit does.
        var short = P.task
        short.maxSteps = 16
        #expect(TruebitSolverPlanner.defendableGames(task: short, stateHashCost: .seconds(5), limits: Self.limits) == .infinity)
    }
}
