import BigInt
import EmberConsensus
import EmberCore
import EmberTestSupport
import Testing

/// The simulator's fast path against the real reward rule: the memo must return exactly what
/// `EmissionSchedule.reward` returns, for targets on both sides of the PoLW threshold and times on
/// both sides of every time-cap step, including repeated (memoised) pairs.
@Suite("Reward memo equals the reward rule")
struct RewardMemoTests {
    static let sixYearsMs: UInt64 = 6 * 365 * 86_400_000

    static func schedules() throws -> [EmissionSchedule] {
        [
            ConsensusParams.mainnet.emission,
            try ConsensusParams.devnet(polwThresholdHashRate: BigUInt(1) << 20).emission,
            try EmissionSchedule(
                timing: BlockTiming(chainCount: 16, blockTimeMs: 64_000), polwFactor: 8,
                polwThresholdHashRate: BigUInt(1) << 60),
            try SimulationFixtures.schedule(k: 32, threshold: BigUInt(1) << 40),
        ]
    }

    @Test("20 000 draws per schedule, a quarter of them repeats", arguments: 0..<4)
    func memoMatchesRule(scheduleIndex: Int) throws {
        let schedule = try Self.schedules()[scheduleIndex]
        var random = SeededGenerator(seed: 0x5EED_13 + UInt64(scheduleIndex))
        // Targets from hash rates of 1 H/s to 2^80 H/s, and arbitrary canonical targets.
        let targets: [CompactTarget] = (0..<96).map { index in
            let arbitrary = index % 3 == 0
            let width = Int.random(in: 1...(arbitrary ? 256 : 80), using: &random)
            let value = random.bigUInt(bitWidth: width)
            if arbitrary, let target = CompactTarget(rounding: value) { return target }
            return schedule.timing.target(forHashRate: value)
        }
        var memo = RewardMemo(schedule: schedule)
        var drawn: [(CompactTarget, UInt64)] = []
        for draw in 0..<20_000 {
            let pair: (CompactTarget, UInt64)
            if draw % 4 == 3, let earlier = drawn.randomElement(using: &random) {
                // The same target later in the same time-cap step, or the same pair again.
                let step = memo.timeCapStep(elapsedMs: earlier.1)
                let later = earlier.1 + UInt64.random(in: 0...schedule.decreaseIntervalMs, using: &random)
                pair = memo.timeCapStep(elapsedMs: later) == step ? (earlier.0, later) : earlier
            } else {
                pair = (targets.randomElement(using: &random)!, UInt64.random(in: 0...Self.sixYearsMs, using: &random))
            }
            drawn.append(pair)
            let expected = try schedule.reward(target: pair.0, elapsedMs: pair.1)
            let found = try memo.reward(target: pair.0, elapsedMs: pair.1)
            #expect(found == expected, "target \(pair.0), elapsed \(pair.1) ms")
        }
    }

    @Test("a target the rule rejects is rejected the same way")
    func rejection() throws {
        var memo = RewardMemo(schedule: ConsensusParams.mainnet.emission)
        let nonCanonical = CompactTarget(bits: 0x0112_3456)
        #expect(throws: TargetRejection.nonCanonical(expected: CompactTarget(bits: 0x0112_0000), found: nonCanonical)) {
            try memo.reward(target: nonCanonical, elapsedMs: 0)
        }
    }

    @Test("the step boundaries: the last millisecond of a step and the first of the next differ in cap")
    func stepBoundaries() throws {
        let schedule = ConsensusParams.mainnet.emission
        var memo = RewardMemo(schedule: schedule)
        // 2^50 H/s has a cap of I = 60 EMB, so the time cap decides the reward on both sides.
        let target = schedule.timing.target(forHashRate: BigUInt(1) << 50)
        for boundary in [schedule.decreaseIntervalMs, 7 * schedule.decreaseIntervalMs, schedule.stableAfterMs] {
            for elapsedMs in [boundary - 1, boundary, boundary + 1] {
                #expect(try memo.reward(target: target, elapsedMs: elapsedMs)
                    == schedule.reward(target: target, elapsedMs: elapsedMs))
            }
        }
    }
}
