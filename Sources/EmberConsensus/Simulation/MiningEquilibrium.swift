import BigInt
import EmberCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The physical hash rate at which mining stops paying: miners add hash rate while a block's revenue
/// exceeds its energy and burn, and stop where the two meet (free entry, no fixed costs).
///
/// A block's profit falls as hash rate grows (energy grows with it; the reward and the part of it not
/// burnt do not), so the search halves a range of hash rates around the point where profit turns negative.
public enum MiningEquilibrium {
    /// log₂ of the hash rates searched, in H/s: from 1 H/s to far past 2^67, where no reward is paid.
    static let log2Range = 0.0...100.0
    /// Where the search stops, in log₂: 2^-20 is a relative 6.6·10^-7 in hash rate, far finer than the
    /// 2^-15 at which compact targets round hash rates.
    static let resolution = 0x1p-20

    /// The largest physical hash rate, in H/s, at which a block `elapsedMs` after launch still pays
    /// its miner; the lowest searched when none pays, the highest when all do.
    public static func hashRate(
        elapsedMs: UInt64, rewards: inout RewardMemo, economics: MiningEconomics
    ) throws(TargetRejection) -> Double {
        let timing = rewards.schedule.timing
        func profit(_ log2HashRate: Double) throws(TargetRejection) -> Double {
            let target = timing.target(forHashRate: BigUInt(exp2(log2HashRate)))
            let reward = try rewards.reward(target: target, elapsedMs: elapsedMs)
            return try BlockEconomics(target: target, reward: reward, timing: timing, economics: economics).profit
        }
        var paying = log2Range.lowerBound
        var losing = log2Range.upperBound
        guard try profit(paying) > 0 else { return exp2(paying) }
        guard try profit(losing) <= 0 else { return exp2(losing) }
        while losing - paying > resolution {
            let middle = (paying + losing) / 2
            if try profit(middle) > 0 { paying = middle } else { losing = middle }
        }
        return exp2(paying)
    }
}
