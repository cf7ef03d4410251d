import BigInt
import EmberConsensus
import EmberCore
import EmberTestSupport
import Testing

@Suite("Emission and Proof of Less Work (DESIGN.md sections 8 and 9)")
struct EmissionTests {
    static let vectors = try? ConsensusVectors.emission()
    static let year: UInt64 = 365 * 86_400_000

    /// The schedule the vectors were published with: C = 16, T = 64 s, k = 8, H_T = 2^60.
    static func vectorSchedule() throws -> EmissionSchedule {
        let params = try #require(vectors).params
        return try EmissionSchedule(
            timing: BlockTiming(chainCount: params.chainCount, blockTimeMs: params.blockTimeMs),
            polwFactor: params.polwFactor, polwThresholdHashRate: BigUInt(1) << 60)
    }

    static func emberSchedule(blockTimeMs: UInt64) throws -> EmissionSchedule {
        try EmissionSchedule(
            timing: BlockTiming(chainCount: 1, blockTimeMs: blockTimeMs),
            polwFactor: 8, polwThresholdHashRate: BigUInt(1) << 60)
    }

    // MARK: Vectors

    @Test("every time-cap vector", arguments: try ConsensusVectors.emission().timeCap)
    func timeCapVector(_ vector: ConsensusVectors.Emission.TimeCap) throws {
        let cap = try Self.vectorSchedule().timeCap(elapsedMs: try VectorField.milliseconds(vector.elapsedMs))
        #expect(cap == (try VectorField.amount(vector.reward)))
    }

    @Test("every hash-rate-cap vector", arguments: try ConsensusVectors.emission().hashRateCap)
    func hashRateCapVector(_ vector: ConsensusVectors.Emission.HashRateCap) throws {
        let cap = try Self.vectorSchedule().hashRateCap(hashRate: try VectorField.decimal(vector.hashRate))
        #expect(cap == (try VectorField.amount(vector.reward)))
    }

    @Test("every target-from-hash-rate vector", arguments: try ConsensusVectors.emission().targetFromHashRate)
    func targetFromHashRateVector(_ vector: ConsensusVectors.Emission.TargetFromHashRate) throws {
        let target = try Self.vectorSchedule().timing.target(forHashRate: try VectorField.decimal(vector.hashRate))
        #expect(target == (try VectorField.bits(vector.bits)))
    }

    @Test("every reward vector", arguments: try ConsensusVectors.emission().reward)
    func rewardVector(_ vector: ConsensusVectors.Emission.Reward) throws {
        let reward = try Self.vectorSchedule().reward(
            target: try VectorField.bits(vector.target), elapsedMs: try VectorField.milliseconds(vector.elapsedMs))
        let expectedReward = try VectorField.amount(vector.reward)
        switch vector.kind {
        case "pow":
            #expect(reward == .pow(reward: expectedReward))
            #expect(try VectorField.amount(vector.burnt) == .zero)
        case "polw":
            let polwTarget = try VectorField.bits(try #require(vector.polwTarget))
            #expect(reward == .polw(
                reward: expectedReward, burnt: try VectorField.amount(vector.burnt), polwTarget: polwTarget))
        default:
            Issue.record("unknown reward kind \(vector.kind)")
        }
    }

    // MARK: Ember's own parameters (C = 1)

    @Test func rewardsScaleWithBlockTimeSoEmissionPerSecondDoesNot() throws {
        let slow = try Self.emberSchedule(blockTimeMs: 64_000)
        let fast = try Self.emberSchedule(blockTimeMs: 4_000)
        #expect(slow.initialReward == Amount(coins: 60))
        #expect(slow.stableReward == Amount(coins: 20))
        #expect(fast.initialReward.units * 16 == slow.initialReward.units)
        #expect(fast.stableReward.units * 16 == slow.stableReward.units)
        // d = T · ⌊⌊365 d / T⌋ / ⌊⌊(I − S) / 10^16⌋ / 4⌋⌋:
        // 64 000 · ⌊492 750 / 1 000⌋ and 4 000 · ⌊7 884 000 / 62⌋.
        #expect(slow.decreaseIntervalMs == 64_000 * 492)
        #expect(fast.decreaseIntervalMs == 4_000 * 127_161)
    }

    /// Expected values from the Python transcription of DESIGN.md in docs/consensus.md.
    @Test func timeCapAtOneChain() throws {
        let slow = try Self.emberSchedule(blockTimeMs: 64_000)
        let fast = try Self.emberSchedule(blockTimeMs: 4_000)
        let cases: [(elapsedMs: UInt64, slow: UInt128, fast: UInt128)] = [
            (0, 60_000_000_000_000_000_000, 3_750_000_000_000_000_000),
            (Self.year, 49_990_000_000_000_000_000, 3_130_000_000_000_000_000),
            (2 * Self.year, 39_970_000_000_000_000_000, 2_510_000_000_000_000_000),
            (4 * Self.year - 1, 20_000_000_000_000_000_000, 1_270_000_000_000_000_000),
            (4 * Self.year, 20_000_000_000_000_000_000, 1_250_000_000_000_000_000),
            (.max, 20_000_000_000_000_000_000, 1_250_000_000_000_000_000),
        ]
        for (elapsedMs, slowCap, fastCap) in cases {
            #expect(slow.timeCap(elapsedMs: elapsedMs) == Amount(units: slowCap), "elapsed \(elapsedMs)")
            #expect(fast.timeCap(elapsedMs: elapsedMs) == Amount(units: fastCap), "elapsed \(elapsedMs)")
        }
    }

    /// Expected values from the Python transcription of DESIGN.md in docs/consensus.md (C = 1, T = 64 s).
    @Test(arguments: [
        (1, 30_000_000_000_000_000_000), (3 << 48, 59_400_000_000_000_000_000),
        (1 << 50, 60_000_000_000_000_000_000), (3 << 54, 38_000_000_000_000_000_000),
        (1 << 60, 20_000_000_000_000_000_000), (3 << 62, 10_000_000_000_000_000_001),
    ] as [(UInt64, UInt128)])
    func hashRateCapAtOneChain(hashRate: UInt64, expected: UInt128) throws {
        #expect(try Self.emberSchedule(blockTimeMs: 64_000).hashRateCap(hashRate: BigUInt(hashRate))
            == Amount(units: expected))
    }

    @Test func hashRateCapEndsAt2To67() throws {
        let schedule = try Self.emberSchedule(blockTimeMs: 64_000)
        #expect(schedule.hashRateCap(hashRate: (BigUInt(1) << 67) - 1) == Amount(units: 2))
        #expect(schedule.hashRateCap(hashRate: BigUInt(1) << 67) == .zero)
        #expect(schedule.hashRateCap(hashRate: BigUInt(1) << 1_000) == .zero)
        #expect(schedule.hashRateCap(hashRate: 0) == Amount(coins: 30))
    }

    /// Expected values from the Python transcription of DESIGN.md in docs/consensus.md.
    @Test func rewardsAtOneChain() throws {
        let slow = try Self.emberSchedule(blockTimeMs: 64_000)
        let fast = try Self.emberSchedule(blockTimeMs: 4_000)
        #expect(slow.polwThresholdTarget == CompactTarget(bits: 0x1840_0000))
        #expect(fast.polwThresholdTarget == CompactTarget(bits: 0x1904_0000))
        let halfYear = Self.year / 2
        #expect(try slow.reward(target: CompactTarget(bits: 0x1880_0000), elapsedMs: halfYear)
            == .pow(reward: Amount(coins: 24)!))
        #expect(try slow.reward(target: CompactTarget(bits: 0x1840_0000), elapsedMs: halfYear)
            == .pow(reward: Amount(coins: 20)!))
        #expect(try slow.reward(target: CompactTarget(bits: 0x1820_0000), elapsedMs: halfYear) == .polw(
            reward: Amount(units: 11_071_423_207_001_588_791), burnt: Amount(units: 8_611_108_735_195_909_234),
            polwTarget: CompactTarget(bits: 0x1807_1c71)))
        #expect(try fast.reward(target: CompactTarget(bits: 0x1902_0000), elapsedMs: 4 * Self.year) == .polw(
            reward: Amount(units: 691_964_273_740_137_613), burnt: Amount(units: 538_194_439_141_079_158),
            polwTarget: CompactTarget(bits: 0x1871_c71c)))
        #expect(try fast.reward(target: CompactTarget(bits: 0x1855_5555), elapsedMs: 0) == .polw(
            reward: Amount(units: 108_816_905_080_193_642), burnt: Amount(units: 94_144_963_077_257_143),
            polwTarget: CompactTarget(bits: 0x180b_8170)))
    }

    @Test func aPolwFactorOfOneBurnsNothing() throws {
        let schedule = try EmissionSchedule(
            timing: BlockTiming(chainCount: 1, blockTimeMs: 64_000), polwFactor: 1,
            polwThresholdHashRate: BigUInt(1) << 60)
        let target = schedule.timing.target(forHashRate: BigUInt(1) << 63)
        let reward = try schedule.reward(target: target, elapsedMs: 0)
        #expect(reward.burnt == .zero)
        #expect(reward.reward == schedule.hashRateCap(hashRate: try schedule.timing.hashRate(of: target)))
    }

    @Test func invalidSchedulesAreRejected() throws {
        let timing = try BlockTiming(chainCount: 1, blockTimeMs: 64_000)
        #expect(throws: ConsensusParamsError.polwFactorZero) {
            try EmissionSchedule(timing: timing, polwFactor: 0, polwThresholdHashRate: 1)
        }
        #expect(throws: ConsensusParamsError.emissionScheduleUndefined(chainCount: 1, blockTimeMs: 1)) {
            try EmissionSchedule(
                timing: BlockTiming(chainCount: 1, blockTimeMs: 1), polwFactor: 8, polwThresholdHashRate: 1)
        }
        #expect(throws: ConsensusParamsError.emissionScheduleUndefined(chainCount: 1, blockTimeMs: .max)) {
            try EmissionSchedule(
                timing: BlockTiming(chainCount: 1, blockTimeMs: .max), polwFactor: 8, polwThresholdHashRate: 1)
        }
        #expect(throws: ConsensusParamsError.emissionScheduleUndefined(chainCount: 16, blockTimeMs: 1_000)) {
            try EmissionSchedule(
                timing: BlockTiming(chainCount: 16, blockTimeMs: 1_000), polwFactor: 8, polwThresholdHashRate: 1)
        }
    }

    // MARK: Properties

    /// Schedules across chain counts, block times, PoLW factors and thresholds.
    static func randomSchedule(using generator: inout SeededGenerator) throws -> EmissionSchedule {
        let chainCount = [1, 1, 16, UInt64.random(in: 1...64, using: &generator)].randomElement(using: &generator)!
        let blockTimeMs = [250, 4_000, 64_000, UInt64.random(in: 1_000...100_000, using: &generator)]
            .randomElement(using: &generator)! * chainCount
        return try EmissionSchedule(
            timing: BlockTiming(chainCount: chainCount, blockTimeMs: blockTimeMs),
            polwFactor: UInt64.random(in: 1...32, using: &generator),
            polwThresholdHashRate: generator.bigUInt(bitWidth: Int.random(in: 1...70, using: &generator)))
    }

    @Test func rewardsNeverIncreaseWithTime() throws {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<500 {
            let schedule = try Self.randomSchedule(using: &generator)
            let hashRate = generator.bigUInt(bitWidth: Int.random(in: 1...80, using: &generator))
            let target = schedule.timing.target(forHashRate: hashRate)
            var elapsed = (0..<8).map { _ in UInt64.random(in: 0...(5 * Self.year), using: &generator) }
            elapsed += [0, .max]
            elapsed.sort()
            let caps = elapsed.map { schedule.timeCap(elapsedMs: $0) }
            let rewards = try elapsed.map { try schedule.reward(target: target, elapsedMs: $0).reward }
            #expect(zip(caps, caps.dropFirst()).allSatisfy { $0 >= $1 })
            #expect(zip(rewards, rewards.dropFirst()).allSatisfy { $0 >= $1 })
            #expect(caps.first == schedule.initialReward)
            #expect(caps.last == schedule.stableReward)
        }
    }

    @Test func theBurnIsBoundedByTheReward() throws {
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<2_000 {
            let schedule = try Self.randomSchedule(using: &generator)
            let hashRate = generator.bigUInt(bitWidth: Int.random(in: 1...90, using: &generator))
            let target = schedule.timing.target(forHashRate: hashRate)
            let elapsedMs = UInt64.random(in: 0...(5 * Self.year), using: &generator)
            let reward = try schedule.reward(target: target, elapsedMs: elapsedMs)
            let factor = UInt128(schedule.polwFactor)
            #expect(reward.burnt.units <= reward.reward.units * (factor - 1) / factor)
            if reward.reward > .zero { #expect(reward.burnt < reward.reward) }
            #expect(reward.reward <= schedule.timeCap(elapsedMs: elapsedMs))
            let isPolw = target.value < schedule.polwThresholdTarget.value
            if case .polw(_, _, let polwTarget) = reward {
                #expect(isPolw)
                #expect(polwTarget.value <= schedule.polwThresholdTarget.value)
            } else {
                #expect(!isPolw)
            }
        }
    }

    @Test func extremeTargetsAndTimesDoNotBreakTheRule() throws {
        var generator = SeededGenerator(seed: 10)
        let bits: [UInt32] = [0, 1, 0x0001_0000, 0x0101_0000, 0x20ff_ffff, 0x2101_0000, 0xffff_ffff, .max >> 1]
        for _ in 0..<20 {
            let schedule = try Self.randomSchedule(using: &generator)
            for bits in bits {
                for elapsedMs in [0, 1, UInt64.max] as [UInt64] {
                    let target = CompactTarget(bits: bits)
                    if let value = try? target.checkedValue() {
                        let reward = try schedule.reward(target: target, elapsedMs: elapsedMs)
                        #expect(reward.reward <= schedule.initialReward, "target \(target) value \(value)")
                    } else {
                        #expect(throws: TargetRejection.self) {
                            try schedule.reward(target: target, elapsedMs: elapsedMs)
                        }
                    }
                }
            }
            for hashRate in [0, 1, BigUInt(UInt64.max), BigUInt(1) << 256, BigUInt(1) << 4_000] {
                #expect(schedule.hashRateCap(hashRate: hashRate) <= schedule.initialReward)
                let target = schedule.timing.target(forHashRate: hashRate)
                if target.value > 0 {
                    #expect(try schedule.reward(target: target, elapsedMs: 0).reward <= schedule.initialReward)
                } else {
                    #expect(throws: TargetRejection.zero(found: target)) {
                        try schedule.reward(target: target, elapsedMs: 0)
                    }
                }
            }
        }
    }

    @Test func feesSplitHalfToTheMinerRoundedDown() {
        for units in [0, 1, 2, 3, 1_000_000_000_000_000_001, .max] as [UInt128] {
            let split = FeeSplit(totalFees: Amount(units: units))
            #expect(split.miner.units == units / 2)
            #expect(split.miner.adding(split.burnt) == Amount(units: units))
            #expect(split.burnt >= split.miner)
        }
    }
}

/// DESIGN.md v2 section 8: the time cap reaches S at `4 · blocksPerYear · T`, which is 4 · 365 days only
/// when T divides a year. Figures for T = 7 s worked by hand:
/// blocksPerYear = ⌊31 536 000 000 / 7 000⌋ = 4 505 142; 4 · blocksPerYear · T = 126 143 976 000 ms
/// (24 s short of 4 · 365 days); I = 6.5625 EMB, S = 2.1875 EMB; ⌊(I − S) / 10^16⌋ = 437, / 4 = 109;
/// d = 7 000 · ⌊4 505 142 / 109⌋ = 7 000 · 41 331 = 289 317 000 ms.
@Suite("Time cap of a block time that does not divide a year")
struct StableRewardTimeTests {
    static let schedule = try! ConsensusParams.devnet(blockTimeMs: 7_000).emission

    @Test("the cap is S from 4 · blocksPerYear · T on, not from 4 · 365 days")
    func stableFromFourYearsOfBlocks() {
        #expect(Self.schedule.stableAfterMs == 126_143_976_000)
        // One millisecond before: I − 10^16 · ⌊126 143 975 999 / 289 317 000⌋ = 6.5625 − 436 · 0.01 EMB.
        #expect(Self.schedule.timeCap(elapsedMs: 126_143_975_999) == Amount(units: 2_202_500_000_000_000_000))
        #expect(Self.schedule.timeCap(elapsedMs: 126_143_976_000) == Amount(units: 2_187_500_000_000_000_000))
        #expect(Self.schedule.timeCap(elapsedMs: 126_144_000_000) == Amount(units: 2_187_500_000_000_000_000))
    }
}
