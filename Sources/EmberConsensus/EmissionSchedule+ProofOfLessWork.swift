import BigInt
import EmberCore

extension EmissionSchedule {
    /// E1 = targetFromHashRate(H_T): a header target below it puts the block in PoLW territory.
    public var polwThresholdTarget: CompactTarget { timing.target(forHashRate: polwThresholdHashRate) }

    /// The reward of a block with header target `target` mined `elapsedMs` after launch.
    ///
    /// At or above E1: `min(time cap, hash-rate cap at hashRate(target))`. Below E1 the hash-rate cap is
    /// taken at the virtual hash rate `HRv = max(H_T, k·HR − (k−1)·H_T)`, whose target is `polwTarget`,
    /// and `burnt = ⌊⌊⌊R·(E1 − p)⌋ / E1⌋ · (k−1) / k⌋` for p = polwTarget's value (0 when p ≥ E1).
    public func reward(target: CompactTarget, elapsedMs: UInt64) throws(TargetRejection) -> BlockReward {
        let targetValue = try target.checkedValue()
        let timeCap = timeCap(elapsedMs: elapsedMs)
        let hashRate = timing.hashRate(ofTargetValue: targetValue)
        let thresholdValue = polwThresholdTarget.value
        guard targetValue < thresholdValue else {
            return .pow(reward: Swift.min(timeCap, hashRateCap(hashRate: hashRate)))
        }
        let factor = BigInt(polwFactor)
        let threshold = BigInt(polwThresholdHashRate)
        let virtualHashRate = Swift.max(threshold, factor * BigInt(hashRate) - (factor - 1) * threshold)
        let polwTarget = timing.target(forHashRate: virtualHashRate.magnitude)
        let polwValue = polwTarget.value
        // A virtual hash rate too high for any target leaves polwTarget at 0: its hash rate is past
        // every phase of the hash-rate cap, so the cap is 0.
        let polwHashRateCap = polwValue > 0 ? hashRateCap(hashRate: timing.hashRate(ofTargetValue: polwValue)) : .zero
        let reward = Swift.min(timeCap, polwHashRateCap)
        guard polwValue < thresholdValue else {
            return .polw(reward: reward, burnt: .zero, polwTarget: polwTarget)
        }
        let burnt = reward.bigUnits * (thresholdValue - polwValue) / thresholdValue
            * BigUInt(polwFactor - 1) / BigUInt(polwFactor)
        return .polw(reward: reward, burnt: Amount(boundedUnits: burnt), polwTarget: polwTarget)
    }
}
