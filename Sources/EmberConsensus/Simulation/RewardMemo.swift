import EmberCore

/// `EmissionSchedule.reward`, remembered per header target and time-cap step: the simulator's fast path.
///
/// The reward depends on the time only through the time cap, which changes once every
/// `decreaseIntervalMs` until `stableAfterMs` and never after; two blocks with the same target in the
/// same step therefore get the same reward, and the memo computes it once with the real rule.
/// `RewardMemoTests` holds the memo against `EmissionSchedule.reward` over many inputs.
public struct RewardMemo: Sendable {
    /// Bounds the memory of a search that visits many targets; the memo starts again when full.
    static let capacity = 65_536

    private struct Key: Hashable {
        let targetBits: UInt32
        let timeCapStep: UInt64
    }

    public let schedule: EmissionSchedule
    private var rewards: [Key: BlockReward] = [:]

    public init(schedule: EmissionSchedule) { self.schedule = schedule }

    /// Which value of the time cap applies `elapsedMs` after launch: equal steps, equal caps.
    public func timeCapStep(elapsedMs: UInt64) -> UInt64 {
        elapsedMs >= schedule.stableAfterMs ? .max : elapsedMs / schedule.decreaseIntervalMs
    }

    /// `schedule.reward(target:elapsedMs:)`, computed once per target and time-cap step.
    public mutating func reward(target: CompactTarget, elapsedMs: UInt64) throws(TargetRejection) -> BlockReward {
        let key = Key(targetBits: target.bits, timeCapStep: timeCapStep(elapsedMs: elapsedMs))
        if let known = rewards[key] { return known }
        let reward = try schedule.reward(target: target, elapsedMs: elapsedMs)
        if rewards.count >= Self.capacity { rewards.removeAll(keepingCapacity: true) }
        rewards[key] = reward
        return reward
    }
}
