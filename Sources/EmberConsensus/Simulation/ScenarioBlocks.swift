import BigInt
import EmberCore

/// The block a scenario leads to at each moment: its hash rate, then its target, reward and costs.
///
/// Remembers rewards per target and time-cap step (`RewardMemo`) and equilibria per time cap, on which
/// alone they depend, so a simulation of millions of blocks computes each once.
public struct ScenarioBlocks: Sendable {
    public let scenario: SimulationScenario
    private var rewards: RewardMemo
    private var equilibria: [Amount: Double] = [:]

    public init(scenario: SimulationScenario) {
        self.scenario = scenario
        self.rewards = RewardMemo(schedule: scenario.schedule)
    }

    /// Which time-cap step `elapsedMs` falls in; the block changes only with the day or the step.
    public func timeCapStep(elapsedMs: UInt64) -> UInt64 { rewards.timeCapStep(elapsedMs: elapsedMs) }

    /// The physical hash rate, in H/s, the scenario has `elapsedMs` after launch: the path's at the
    /// start of that day, or the equilibrium under that moment's time cap.
    public mutating func hashRate(atElapsedMs elapsedMs: UInt64) throws(TargetRejection) -> Double {
        switch scenario.hashRate {
        case .path(let path):
            return path.hashRate(atDay: Double(elapsedMs / SimulationScenario.dayMs))
        case .equilibrium:
            let timeCap = scenario.schedule.timeCap(elapsedMs: elapsedMs)
            if let known = equilibria[timeCap] { return known }
            let hashRate = try MiningEquilibrium.hashRate(
                elapsedMs: elapsedMs, rewards: &rewards, economics: scenario.economics)
            equilibria[timeCap] = hashRate
            return hashRate
        }
    }

    /// The block mined `elapsedMs` after launch, at the target of the scenario's hash rate then.
    public mutating func block(atElapsedMs elapsedMs: UInt64) throws(TargetRejection) -> BlockEconomics {
        let timing = scenario.schedule.timing
        let target = timing.target(forHashRate: BigUInt(try hashRate(atElapsedMs: elapsedMs)))
        let reward = try rewards.reward(target: target, elapsedMs: elapsedMs)
        return try BlockEconomics(target: target, reward: reward, timing: timing, economics: scenario.economics)
    }
}
