import EmberCore

/// What the simulator runs: a network's emission rules, the miners' economics, where the hash rate
/// comes from, and for how long.
///
/// The simulator follows one chain (C = 1 on every Ember network) with every block exactly one block
/// time after the previous one, the spacing the difficulty adjustment steers to: the hash rate, and so
/// the target, is decided at the start of each day and again whenever the time cap steps down.
public struct SimulationScenario: Hashable, Sendable {
    public static let dayMs: UInt64 = 86_400_000
    /// Keeps the block count far from 64-bit overflow; a millennium is beyond any useful question.
    public static let maxDays: UInt64 = 365_000

    public let schedule: EmissionSchedule
    public let economics: MiningEconomics
    public let hashRate: HashRateSource
    public let days: UInt64

    public init(
        schedule: EmissionSchedule, economics: MiningEconomics, hashRate: HashRateSource, days: UInt64
    ) throws(SimulationError) {
        guard (1...Self.maxDays).contains(days) else {
            throw .outOfRange(name: "the number of days", value: Double(days), range: "[1, \(Self.maxDays)]")
        }
        self.schedule = schedule
        self.economics = economics
        self.hashRate = hashRate
        self.days = days
    }

    /// Blocks in the scenario: those whose time since launch falls within its days, so the first day
    /// holds one block fewer than the others (height 0, the genesis block, mints nothing).
    public var blockCount: UInt64 { (days * Self.dayMs - 1) / schedule.timing.blockTimeMs }

    /// The same scenario with PoLW factor `polwFactor`; k = 1 is plain proof of work.
    public func withPolwFactor(_ polwFactor: UInt64) throws(ConsensusParamsError) -> SimulationScenario {
        let schedule = try EmissionSchedule(
            timing: schedule.timing, polwFactor: polwFactor, polwThresholdHashRate: schedule.polwThresholdHashRate)
        return SimulationScenario(unchecked: schedule, economics: economics, hashRate: hashRate, days: days)
    }

    private init(unchecked schedule: EmissionSchedule, economics: MiningEconomics, hashRate: HashRateSource, days: UInt64) {
        self.schedule = schedule
        self.economics = economics
        self.hashRate = hashRate
        self.days = days
    }
}
