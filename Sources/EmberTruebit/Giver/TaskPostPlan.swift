import EmberConsensus
import EmberCore
import EmberCrypto

/// The task parameters `ember truebit post` writes, from what the giver chose and the client defaults of
/// docs/truebit.md ("Task giver" step 2, "Window and clock sizing"), checked against the program's measured
/// run before anything is sent. Pure: the same choices, run and tip give the same parameters.
public struct TaskPostPlan: Sendable {
    /// What the giver chose; nil takes the default.
    public struct Choices: Hashable, Sendable {
        public var reward: Amount
        public var maxSteps: UInt64?
        public var solverDeposit: Amount?
        public var challengerDeposit: Amount?
        public var challengeWindow: UInt32?
        public var clock: UInt32?
        /// Blocks from the next block until the offer ends (`solveDeadline − (tip + 1)`).
        public var solveBlocks: UInt64?
        /// Allow a maxSteps above `maxStepsMargin` times the measured steps.
        public var allowLooseMaxSteps: Bool

        public init(
            reward: Amount, maxSteps: UInt64? = nil, solverDeposit: Amount? = nil, challengerDeposit: Amount? = nil, challengeWindow: UInt32? = nil,
            clock: UInt32? = nil, solveBlocks: UInt64? = nil, allowLooseMaxSteps: Bool = false
        ) {
            self.reward = reward
            self.maxSteps = maxSteps
            self.solverDeposit = solverDeposit
            self.challengerDeposit = challengerDeposit
            self.challengeWindow = challengeWindow
            self.clock = clock
            self.solveBlocks = solveBlocks
            self.allowLooseMaxSteps = allowLooseMaxSteps
        }
    }

    /// The parameters, and what the giver should know about them.
    public struct Plan: Hashable, Sendable {
        public var parameters: TruebitTaskParameters
        public var warnings: [String]
    }

    /// A maxSteps beyond this many times the measured run is refused unless allowed: an unreachable
    /// maxSteps lets a liar who precomputed a long run win against verifiers who cannot (docs/truebit-attacks.md finding 4).
    public static let maxStepsMargin: UInt64 = 4
    /// The challenge window on devnet when the giver names none (docs/truebit.md, "The challenge window").
    public static let devnetWindow: UInt32 = 30

    public let layer2: Layer2Parameters
    public let network: NetworkID

    public init(layer2: Layer2Parameters, network: NetworkID) {
        self.layer2 = layer2
        self.network = network
    }

    /// The parameters of a task whose program halted with exit code 0 after `measuredSteps` steps, posted
    /// for the block after `tipHeight` by `giverKey`.
    public func plan(_ choices: Choices, measuredSteps: UInt64, giverKey: RawPublicKey, tipHeight: UInt64) throws(TaskPostPlanError) -> Plan {
        var warnings = [String]()
        guard choices.reward > .zero else { throw .rewardZero }
        let maxSteps = choices.maxSteps ?? Self.defaultMaxSteps(measured: measuredSteps)
        guard maxSteps >= measuredSteps else { throw .maxStepsBelowRun(maxSteps: maxSteps, measured: measuredSteps) }
        let (loose, looseOverflow) = measuredSteps.multipliedReportingOverflow(by: Self.maxStepsMargin)
        if !looseOverflow, maxSteps > loose {
            guard choices.allowLooseMaxSteps else { throw .maxStepsTooLoose(maxSteps: maxSteps, measured: measuredSteps, margin: Self.maxStepsMargin) }
            warnings.append("maxSteps \(maxSteps) is over \(Self.maxStepsMargin)× the measured \(measuredSteps) steps (allowed by the giver)")
        }

        let window = try challengeWindow(choices.challengeWindow, maxSteps: maxSteps)
        let clockMinimum = layer2.truebitClockMinimum(maxSteps: maxSteps)
        let rounds = UInt64(Bisection.maxRounds(steps: maxSteps))
        let clock: UInt32
        if let chosen = choices.clock {
            guard UInt64(chosen) >= clockMinimum, chosen <= layer2.windowMaximum else {
                throw .clockOutOfRange(clock: chosen, minimum: clockMinimum, maximum: layer2.windowMaximum)
            }
            clock = chosen
        } else {
            // W + 4·(r + 1): a window's grace for the whole game and four blocks a move (docs/truebit.md, "Clocks").
            clock = UInt32(min(UInt64(layer2.windowMaximum), max(clockMinimum, UInt64(window) + 4 * (rounds + 1))))
        }

        let solverDeposit = choices.solverDeposit ?? choices.reward
        let challengerDeposit = choices.challengerDeposit ?? Self.defaultChallengerDeposit(reward: choices.reward, minimum: layer2.bondMinimum)
        guard solverDeposit >= layer2.bondMinimum else { throw .depositBelowMinimum(role: "solver", minimum: layer2.bondMinimum) }
        guard challengerDeposit >= layer2.bondMinimum else { throw .depositBelowMinimum(role: "challenger", minimum: layer2.bondMinimum) }
        if solverDeposit < choices.reward {
            warnings.append("the solver deposit is below the reward: a griefer holds the task for less than it pays (docs/truebit.md, threat 15)")
        }

        // A solver needs about 2W + c per attempt (reveal window, a game, the payout's grace); leave four attempts.
        let attempt = 2 * UInt64(window) + UInt64(clock)
        let solveBlocks = choices.solveBlocks ?? 4 * attempt
        let (solveDeadline, deadlineOverflow) = (tipHeight + 1).addingReportingOverflow(solveBlocks)
        guard !deadlineOverflow, solveBlocks >= 1 else { throw .solveDeadlineOutOfRange(blocks: solveBlocks) }
        if solveBlocks < 4 * attempt {
            warnings.append("the offer stands \(solveBlocks) blocks, under 4·(2W + c) = \(4 * attempt): a refuted solution may leave no time to solve again")
        }
        let parameters = TruebitTaskParameters(
            giverKey: giverKey, reward: choices.reward, solverDeposit: solverDeposit, challengerDeposit: challengerDeposit, maxSteps: maxSteps,
            challengeWindow: window, clock: clock, solveDeadline: solveDeadline)
        return Plan(parameters: parameters, warnings: warnings)
    }

    /// Twice the measured steps (at least one more), so a solver's toolchain or a slightly other input still fits.
    public static func defaultMaxSteps(measured: UInt64) -> UInt64 {
        let (doubled, overflow) = measured.multipliedReportingOverflow(by: 2)
        return overflow ? .max : max(doubled, measured + 1)
    }

    /// A twentieth of the reward, at least the network's bond minimum.
    static func defaultChallengerDeposit(reward: Amount, minimum: Amount) -> Amount {
        max(Amount(units: reward.units / 20), minimum)
    }

    /// The giver's window, or the default (30 blocks on devnet, the network minimum elsewhere), raised until
    /// `maxSteps ≤ W · truebitStepsPerWindowBlock` (fix S) when the giver named none.
    func challengeWindow(_ chosen: UInt32?, maxSteps: UInt64) throws(TaskPostPlanError) -> UInt32 {
        let perBlock = layer2.truebitStepsPerWindowBlock
        let needed = maxSteps / perBlock + (maxSteps % perBlock == 0 ? 0 : 1)
        if let chosen {
            guard layer2.windowRange.contains(chosen) else {
                throw .windowOutOfRange(window: chosen, range: layer2.windowRange)
            }
            guard UInt64(chosen) >= needed else { throw .windowTooShortForSteps(window: chosen, maxSteps: maxSteps, stepsPerBlock: perBlock) }
            return chosen
        }
        let base = network == .devnet ? Self.devnetWindow : layer2.windowMinimum
        guard needed <= UInt64(layer2.windowMaximum) else {
            throw .windowTooShortForSteps(window: layer2.windowMaximum, maxSteps: maxSteps, stepsPerBlock: perBlock)
        }
        return max(base, UInt32(needed))
    }
}
