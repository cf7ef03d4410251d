import ArgumentParser
import EmberConsensus

/// The moment, depths and attacker of an attack-cost question, shared by `attack-cost` and `plot`.
struct AttackOptions: ParsableArguments {
    static let defaultAttackerShare = 0.1
    /// Bounds the rows and Nakamoto's sum; depths beyond this are not a question anyone asks.
    static let maxDepth = 1_000

    @Option(parsing: .unconditional, help: ArgumentHelp("Days after launch (default 0).", valueName: "day"))
    var atDay: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest depth z (default 10; plot: 30).", valueName: "z"))
    var maxDepth: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Attacker's share q of all hash rate (default 0.1).", valueName: "q"))
    var attackerShare: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Instead of q: the success probability p the attacker wants at each depth.", valueName: "p"))
    var successProbability: String?

    /// `--at-day` in milliseconds since launch.
    func elapsedMs() throws -> UInt64 {
        let day = try atDay.map { try ConsensusArgument.uint64($0, "--at-day") } ?? 0
        guard day <= SimulationScenario.maxDays else {
            throw ConsensusArgumentError("--at-day \(day) is beyond \(SimulationScenario.maxDays) days")
        }
        return day * SimulationScenario.dayMs
    }

    /// The honest chains of `scenario` at `--at-day`.
    func attackedChains(_ scenario: SimulationScenarioOptions) throws -> AttackedChains {
        let scenario = try scenario.scenario()
        let elapsedMs = try elapsedMs()
        return try ConsensusArgument.checked { try AttackedChains(scenario: scenario, elapsedMs: elapsedMs) }
    }

    /// 0…`--max-depth`.
    func depths(defaultMaximum: Int) throws -> ClosedRange<Int> {
        let depth = try maxDepth.map { try ConsensusArgument.uint64($0, "--max-depth") } ?? UInt64(defaultMaximum)
        guard depth <= Self.maxDepth else { throw ConsensusArgumentError("--max-depth \(depth) is above \(Self.maxDepth)") }
        return 0...Int(depth)
    }

    /// `--attacker-share`, or its default.
    func fixedShare() throws -> Double {
        let share = try attackerShare.map { try SimulationScenarioOptions.number($0, "--attacker-share") }
            ?? Self.defaultAttackerShare
        guard share >= 0, share < 1 else { throw ConsensusArgumentError("--attacker-share \(share) must lie in [0, 1)") }
        return share
    }

    /// The attacker's share at each depth: fixed by `--attacker-share`, or the least that reaches
    /// `--success-probability` there.
    func shareAtDepth() throws -> (Int) -> Double {
        guard let successProbability else {
            let share = try fixedShare()
            return { _ in share }
        }
        guard attackerShare == nil else {
            throw ConsensusArgumentError("give --attacker-share or --success-probability, not both")
        }
        let probability = try SimulationScenarioOptions.number(successProbability, "--success-probability")
        guard probability > 0, probability <= 1 else {
            throw ConsensusArgumentError("--success-probability \(successProbability) must lie in (0, 1]")
        }
        return { DoubleSpendProbability.attackerShare(forSuccess: probability, depth: $0) }
    }
}
