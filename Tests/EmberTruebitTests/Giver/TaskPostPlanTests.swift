import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTruebit
import Testing

/// The parameters `ember truebit post` chooses, against the numbers docs/truebit.md works out by hand
/// ("Worked example", "Clocks", "The challenge window").
@Suite struct TaskPostPlanTests {
    static let giver = RawPublicKey([UInt8](repeating: 7, count: 32))!
    static let emb = Amount.unitsPerCoin
    static let devnet = TaskPostPlan(layer2: try! ConsensusParams.devnet().layer2, network: .devnet)
    static let mainnet = TaskPostPlan(layer2: ConsensusParams.mainnet.layer2, network: .mainnet)

    @Test func devnetDefaultsFollowTheWorkedExample() throws {
        // 5·10^6 measured steps → maxSteps 10^7, r = 6 (16^5 < 10^7 ≤ 16^6): clock = 30 + 4·7 = 58.
        let plan = try Self.devnet.plan(.init(reward: Amount(units: 10 * Self.emb)), measuredSteps: 5_000_000, giverKey: Self.giver, tipHeight: 1_000)
        let task = plan.parameters
        #expect(task.maxSteps == 10_000_000)
        #expect(task.challengeWindow == 30)
        #expect(task.clock == 58)
        #expect(task.solverDeposit == Amount(units: 10 * Self.emb))
        #expect(task.challengerDeposit == Amount(units: Self.emb / 2))
        // Four attempts of 2W + c = 118 blocks from the next block, 1 001.
        #expect(task.solveDeadline == 1_001 + 472)
        #expect(task.giverKey == Self.giver)
        #expect(plan.warnings.isEmpty)
    }

    @Test func maxStepsMustCoverTheRunAndStayNearIt() throws {
        #expect(throws: TaskPostPlanError.maxStepsBelowRun(maxSteps: 999, measured: 1_000)) {
            try Self.devnet.plan(.init(reward: Amount(units: Self.emb), maxSteps: 999), measuredSteps: 1_000, giverKey: Self.giver, tipHeight: 0)
        }
        #expect(throws: TaskPostPlanError.maxStepsTooLoose(maxSteps: 4_001, measured: 1_000, margin: 4)) {
            try Self.devnet.plan(.init(reward: Amount(units: Self.emb), maxSteps: 4_001), measuredSteps: 1_000, giverKey: Self.giver, tipHeight: 0)
        }
        let atMargin = try Self.devnet.plan(.init(reward: Amount(units: Self.emb), maxSteps: 4_000), measuredSteps: 1_000, giverKey: Self.giver, tipHeight: 0)
        #expect(atMargin.parameters.maxSteps == 4_000)
        let forced = try Self.devnet.plan(
            .init(reward: Amount(units: Self.emb), maxSteps: 4_001, allowLooseMaxSteps: true), measuredSteps: 1_000, giverKey: Self.giver, tipHeight: 0)
        #expect(forced.parameters.maxSteps == 4_001)
        #expect(forced.warnings.count == 1)
    }

    @Test func theWindowGrowsUntilVerifiersCanRunEveryStep() throws {
        // Mainnet allows 2^28 steps a window block: 720 blocks cover 193 273 528 320 steps; 2·10^11 needs
        // ⌈2·10^11 / 2^28⌉ = 746 blocks.
        let plan = try Self.mainnet.plan(.init(reward: Amount(units: Self.emb)), measuredSteps: 100_000_000_000, giverKey: Self.giver, tipHeight: 0)
        #expect(plan.parameters.challengeWindow == 746)
        #expect(throws: TaskPostPlanError.windowTooShortForSteps(window: 720, maxSteps: 200_000_000_000, stepsPerBlock: 1 << 28)) {
            try Self.mainnet.plan(
                .init(reward: Amount(units: Self.emb), challengeWindow: 720), measuredSteps: 100_000_000_000, giverKey: Self.giver, tipHeight: 0)
        }
        #expect(throws: TaskPostPlanError.windowOutOfRange(window: 719, range: 720...100_000)) {
            try Self.mainnet.plan(.init(reward: Amount(units: Self.emb), challengeWindow: 719), measuredSteps: 10, giverKey: Self.giver, tipHeight: 0)
        }
    }

    @Test func aClockBelowTheConsensusMinimumIsRefused() throws {
        // Devnet minimum for 10^7 steps: 2 + 4·(6 + 1) = 30.
        #expect(throws: TaskPostPlanError.clockOutOfRange(clock: 29, minimum: 30, maximum: 100_000)) {
            try Self.devnet.plan(.init(reward: Amount(units: Self.emb), clock: 29), measuredSteps: 5_000_000, giverKey: Self.giver, tipHeight: 0)
        }
        let plan = try Self.devnet.plan(.init(reward: Amount(units: Self.emb), clock: 30), measuredSteps: 5_000_000, giverKey: Self.giver, tipHeight: 0)
        #expect(plan.parameters.clock == 30)
    }

    @Test func depositsBelowTheBondMinimumAreRefused() throws {
        // Devnet's bond minimum is two dust, 2·10^15 units; a 0.02 EMB reward's twentieth (10^15) is raised to it.
        let small = try Self.devnet.plan(.init(reward: Amount(units: Self.emb / 50)), measuredSteps: 100, giverKey: Self.giver, tipHeight: 0)
        #expect(small.parameters.challengerDeposit == Amount(units: 2_000_000_000_000_000))
        #expect(throws: TaskPostPlanError.self) {
            try Self.devnet.plan(
                .init(reward: Amount(units: Self.emb), challengerDeposit: Amount(units: 1_000_000_000_000_000)), measuredSteps: 100,
                giverKey: Self.giver, tipHeight: 0)
        }
        #expect(throws: TaskPostPlanError.rewardZero) {
            try Self.devnet.plan(.init(reward: .zero), measuredSteps: 100, giverKey: Self.giver, tipHeight: 0)
        }
    }

    @Test func aShortOfferOrACheapSolverDepositIsWarnedOf() throws {
        let plan = try Self.devnet.plan(
            .init(reward: Amount(units: 10 * Self.emb), solverDeposit: Amount(units: Self.emb), solveBlocks: 100), measuredSteps: 100,
            giverKey: Self.giver, tipHeight: 50)
        #expect(plan.parameters.solveDeadline == 151)
        #expect(plan.warnings.count == 2)
    }
}
