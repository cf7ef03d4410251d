import BigInt
import EmberCore

/// One block at a given header target and time: its reward and burn from the consensus rules, the
/// energy it takes, and what its miner spends and earns.
///
/// Every consensus number comes from the real rules (`EmissionSchedule.reward`, `BlockTiming`, `Work`,
/// `FeeSplit`); only the pricing is new.
public struct BlockEconomics: Hashable, Sendable {
    public let target: CompactTarget
    public let reward: BlockReward
    public let fees: FeeSplit
    /// H/s that meet the header target in one block time: `BlockTiming.hashRate` of the target.
    public let physicalHashRate: Double
    /// H/s the reward follows: that of polwTarget under PoLW, the physical one under PoW. Infinite
    /// only when polwTarget is 0 (a virtual hash rate beyond every target).
    public let virtualHashRate: Double
    /// Hashes a block takes on average: `Work.weight` of the header target.
    public let expectedHashes: Double
    /// Energy of those hashes, in joules.
    public let energyJoules: Double
    /// What that energy costs.
    public let energyCost: Double
    /// What the coins the coinbase must burn would have sold for (fee burns are paid by the senders).
    public let burnCost: Double
    /// What the miner earns: the reward and its half of the fees, sold.
    public let revenue: Double

    /// The economics of a block whose reward `reward` the caller computed for `target`.
    public init(
        target: CompactTarget, reward: BlockReward, timing: BlockTiming, economics: MiningEconomics
    ) throws(TargetRejection) {
        self.target = target
        self.reward = reward
        self.fees = FeeSplit(totalFees: economics.feesPerBlock)
        physicalHashRate = Double(try timing.hashRate(of: target))
        switch reward {
        case .pow:
            virtualHashRate = physicalHashRate
        case .polw(_, _, let polwTarget):
            virtualHashRate = polwTarget.value > 0 ? Double(try timing.hashRate(of: polwTarget)) : .infinity
        }
        expectedHashes = Double(try Work.weight(of: target))
        energyJoules = expectedHashes * economics.joulesPerHash
        energyCost = economics.energyCost(joules: energyJoules)
        burnCost = economics.value(of: reward.burnt)
        // Reward and fee share are each below the 128-bit maximum amount, so pricing them apart is exact enough.
        revenue = economics.value(of: reward.reward) + economics.value(of: fees.miner)
    }

    /// The economics of a block with header target `target`, mined `elapsedMs` after launch.
    public init(
        target: CompactTarget, elapsedMs: UInt64, schedule: EmissionSchedule, economics: MiningEconomics
    ) throws(TargetRejection) {
        try self.init(
            target: target, reward: try schedule.reward(target: target, elapsedMs: elapsedMs),
            timing: schedule.timing, economics: economics)
    }

    /// Whether the header target is in PoLW territory.
    public var isProofOfLessWork: Bool {
        if case .polw = reward { return true }
        return false
    }

    /// Energy and burn: all a miner spends on the block.
    public var minerCost: Double { energyCost + burnCost }

    /// What the miner keeps; miners add hash rate while it is positive.
    public var profit: Double { revenue - minerCost }

    /// The part of the miner's cost that is energy: 1 under PoW, about 1/k far above the threshold.
    public var energyShare: Double { minerCost > 0 ? energyCost / minerCost : 1 }
}
