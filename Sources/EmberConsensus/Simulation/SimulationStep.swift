import EmberCore

/// One row of a simulation: a single block, or the blocks of one day summed.
///
/// Coin amounts are exact sums; energy, prices and hash rates are `Double`s, hash rates averaged
/// over the step's blocks.
public struct SimulationStep: Hashable, Sendable {
    public let firstHeight: UInt64
    /// Time from launch to the step's first block.
    public let startElapsedMs: UInt64
    public private(set) var blocks: UInt64 = 0
    /// How many of the blocks are in PoLW territory.
    public private(set) var polwBlocks: UInt64 = 0
    /// Rewards paid (fees not included).
    public private(set) var reward = Amount.zero
    /// Coins the coinbases burnt under PoLW.
    public private(set) var burnt = Amount.zero
    /// The burnt half of the fees.
    public private(set) var feesBurnt = Amount.zero
    /// Energy the blocks took, joules.
    public private(set) var energyJoules = 0.0
    /// What that energy cost the miners.
    public private(set) var energyCost = 0.0
    /// What the coins the miners burnt would have sold for.
    public private(set) var burnCost = 0.0
    /// What the miners earned: rewards and their half of the fees.
    public private(set) var revenue = 0.0
    /// The supply after the step's last block.
    public private(set) var supply = SimulatedSupply()
    private var physicalHashRateSum = 0.0
    private var virtualHashRateSum = 0.0

    init(firstHeight: UInt64, startElapsedMs: UInt64) {
        self.firstHeight = firstHeight
        self.startElapsedMs = startElapsedMs
    }

    /// Adds the next block, and the supply once it is counted.
    mutating func add(_ block: BlockEconomics, supply: SimulatedSupply) throws(SimulationError) {
        let height = firstHeight + blocks
        guard let reward = reward.adding(block.reward.reward), let burnt = burnt.adding(block.reward.burnt),
              let feesBurnt = feesBurnt.adding(block.fees.burnt)
        else { throw .amountOverflow(height: height) }
        self.reward = reward
        self.burnt = burnt
        self.feesBurnt = feesBurnt
        self.supply = supply
        blocks += 1
        if block.isProofOfLessWork { polwBlocks += 1 }
        energyJoules += block.energyJoules
        energyCost += block.energyCost
        burnCost += block.burnCost
        revenue += block.revenue
        physicalHashRateSum += block.physicalHashRate
        virtualHashRateSum += block.virtualHashRate
    }

    public var lastHeight: UInt64 { firstHeight + blocks - 1 }
    /// Whole days from launch to the step's first block.
    public var day: UInt64 { startElapsedMs / SimulationScenario.dayMs }
    /// Mean physical hash rate, H/s.
    public var physicalHashRate: Double { physicalHashRateSum / Double(blocks) }
    /// Mean hash rate the rewards followed, H/s.
    public var virtualHashRate: Double { virtualHashRateSum / Double(blocks) }
    public var energyPerBlockJoules: Double { energyJoules / Double(blocks) }
    /// The part of the miners' cost that was energy.
    public var energyShare: Double {
        energyCost + burnCost > 0 ? energyCost / (energyCost + burnCost) : 1
    }
}
