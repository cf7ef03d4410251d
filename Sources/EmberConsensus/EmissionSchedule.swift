import BigInt
import EmberCore

/// The block reward of DESIGN.md sections 8 and 9: a time cap, a hash-rate cap and Proof of Less Work.
///
/// Rewards per block scale with the block time, so coins per unit of time do not depend on it. The
/// reward itself is computed in `EmissionSchedule+ProofOfLessWork.swift`.
public struct EmissionSchedule: Hashable, Sendable {
    /// Initial reward for a 64-second block on one chain, in EMB.
    static let initialCoinsPerReferenceBlock: UInt128 = 60
    /// Stable reward for a 64-second block on one chain, in EMB.
    static let stableCoinsPerReferenceBlock: UInt128 = 20
    /// The block time the coin amounts above are stated for.
    static let referenceBlockTimeMs: UInt64 = 64_000
    /// The time cap falls in steps of 0.01 EMB.
    static let decreaseStepUnits = BigUInt(10).power(16)
    static let dayMs: UInt64 = 86_400_000
    static let yearMs: UInt64 = 365 * dayMs
    /// The time cap falls over 4 years of blocks, then stays at the stable reward.
    static let decreaseYears: UInt64 = 4
    /// The hash-rate cap's phases change at these powers of two (in H/s), whatever C and T are.
    static let rampEndLog2 = 50
    static let stableLog2 = 60
    static let zeroRewardLog2 = 67

    public let timing: BlockTiming
    /// k: above the threshold only 1/k of extra work is physical; 1 turns the burn off.
    public let polwFactor: UInt64
    /// H_T: the hash rate above which PoLW starts.
    public let polwThresholdHashRate: BigUInt
    /// I = ⌊⌊60 EMB · T / 64 000⌋ / C⌋.
    public let initialReward: Amount
    /// S = ⌊⌊20 EMB · T / 64 000⌋ / C⌋.
    public let stableReward: Amount
    /// d: the time cap falls by 10^16 units every d milliseconds.
    public let decreaseIntervalMs: UInt64
    /// `4 · blocksPerYear · T`: from this long after launch the time cap is S (Alephium's
    /// `blocksToStableMaxReward`; 4 · 365 days only when T divides a year).
    public let stableAfterMs: UInt64

    /// Fails for k = 0, or a block time and chain count whose schedule has no whole yearly decrease.
    public init(
        timing: BlockTiming, polwFactor: UInt64, polwThresholdHashRate: BigUInt
    ) throws(ConsensusParamsError) {
        guard polwFactor > 0 else { throw .polwFactorZero }
        let undefined = ConsensusParamsError.emissionScheduleUndefined(
            chainCount: timing.chainCount, blockTimeMs: timing.blockTimeMs)
        func perBlock(_ coins: UInt128) -> BigUInt {
            BigUInt(coins * Amount.unitsPerCoin) * BigUInt(timing.blockTimeMs)
                / BigUInt(Self.referenceBlockTimeMs) / BigUInt(timing.chainCount)
        }
        let initial = perBlock(Self.initialCoinsPerReferenceBlock)
        let stable = perBlock(Self.stableCoinsPerReferenceBlock)
        let blocksPerYear = Self.yearMs / timing.blockTimeMs
        let decreasesPerQuarter = (initial - stable) / Self.decreaseStepUnits / 4
        guard decreasesPerQuarter > 0, let initialReward = Amount(exactly: initial) else { throw undefined }
        let blocksPerDecrease = BigUInt(blocksPerYear) / decreasesPerQuarter
        guard blocksPerDecrease > 0 else { throw undefined }
        self.timing = timing
        self.polwFactor = polwFactor
        self.polwThresholdHashRate = polwThresholdHashRate
        self.initialReward = initialReward
        self.stableReward = Amount(boundedUnits: stable)
        // blocksPerDecrease ≤ blocksPerYear, so d ≤ one year.
        self.decreaseIntervalMs = timing.blockTimeMs * UInt64(blocksPerDecrease)
        // blocksPerYear · T ≤ one year, so this stays far below 2^64.
        self.stableAfterMs = Self.decreaseYears * blocksPerYear * timing.blockTimeMs
    }

    /// The time cap `elapsedMs` after launch: S from `4 · blocksPerYear · T` on, else
    /// `max(S, I − 10^16 · ⌊elapsed / d⌋)` (DESIGN.md v2 section 8).
    public func timeCap(elapsedMs: UInt64) -> Amount {
        guard elapsedMs < stableAfterMs else { return stableReward }
        let decrease = Self.decreaseStepUnits * BigUInt(elapsedMs / decreaseIntervalMs)
        guard decrease < initialReward.bigUnits - stableReward.bigUnits else { return stableReward }
        return Amount(boundedUnits: initialReward.bigUnits - decrease)
    }

    /// The hash-rate cap: piecewise linear in each power of two of `hashRate` (H/s).
    ///
    /// Below 2^50 it rises from ⌊I/2⌋ towards I, then falls to S at 2^60 and to 0 at 2^67. A hash rate
    /// of 0, which `BlockTiming.hashRate` never gives, has the cap of the lowest rates, ⌊I/2⌋.
    public func hashRateCap(hashRate: BigUInt) -> Amount {
        let initial = BigInt(initialReward.bigUnits)
        let stable = BigInt(stableReward.bigUnits)
        let floor = initialReward.bigUnits / 2
        guard hashRate > 0 else { return Amount(boundedUnits: floor) }
        let log2 = hashRate.bitWidth - 1
        let phase: (from: Int, to: Int, start: BigInt, gap: BigInt)
        switch log2 {
        case ..<Self.rampEndLog2: phase = (0, Self.rampEndLog2, 0, initial)
        case ..<Self.stableLog2: phase = (Self.rampEndLog2, Self.stableLog2, initial, stable - initial)
        case ..<Self.zeroRewardLog2: phase = (Self.stableLog2, Self.zeroRewardLog2, stable, -stable)
        default: return .zero
        }
        // BigInt's `/` truncates toward zero, which is the `trunc` the formula asks for.
        let width = BigInt(phase.to - phase.from)
        let powerOfTwo = BigUInt(1) << log2
        let withinPowerOfTwo = BigInt(hashRate - powerOfTwo)
        let cap = phase.start
            + phase.gap * BigInt(log2 - phase.from) / width
            + phase.gap / width * withinPowerOfTwo / BigInt(powerOfTwo)
        let floored = log2 < Self.rampEndLog2 ? Swift.max(cap, BigInt(floor)) : cap
        return Amount(boundedUnits: floored.magnitude)
    }
}
