import BigInt
import EmberConsensus
import EmberCore
import Testing

@Suite("PoLW simulator")
struct PolwSimulatorTests {
    /// Two days at a constant 2^34 H/s (target 2^216) with k = 8 and H_T = 2^33, from launch.
    ///
    /// The virtual hash rate is 77 309 415 936 H/s (see `BlockEconomicsTests`): 2^36 ≤ HRv < 2^37, so
    /// the hash-rate cap is ⌊60·10^18 · 36/50⌋ + ⌊⌊60·10^18/50⌋ · (HRv − 2^36)/2^36⌋
    /// = 43 200 000 000 000 000 000 + ⌊1.2·10^18 · 8 589 939 200 / 68 719 476 736⌋
    /// = 43 350 000 080 466 270 446 units. The time cap is still above it (60 EMB less 0.01 per 8.75 hours),
    /// so every block pays R = 43 350 000 080 466 270 446 and burns
    /// ⌊⌊R · 29 826 162 / 33 554 432⌋ · 7/8⌋ = ⌊38 533 333 691 954 613 264 · 7/8⌋ = 33 716 666 980 460 286 606.
    /// Day 0 holds heights 1…1349 (height 1350 is at 1350 · 64 s = exactly one day), day 1 heights 1350…2699.
    static func scenario(fees: Amount = .zero, days: UInt64 = 2) throws -> SimulationScenario {
        try SimulationScenario(
            schedule: try SimulationFixtures.schedule(k: 8, threshold: BigUInt(1) << 33),
            economics: try SimulationFixtures.kilowattHourPerBlock(fees: fees),
            hashRate: .path(try HashRatePath(points: [.init(day: 0, hashRate: 0x1p34)])), days: days)
    }

    static func steps(_ scenario: SimulationScenario, _ granularity: PolwSimulator.Granularity) throws -> [SimulationStep] {
        var steps: [SimulationStep] = []
        try PolwSimulator.run(scenario, granularity: granularity) { steps.append($0) }
        return steps
    }

    @Test("a constant hash rate's days hold the hand-computed rewards, burns and supply")
    func constantHashRateDays() throws {
        let days = try Self.steps(try Self.scenario(), .day)
        try #require(days.count == 2)
        #expect(days[0].firstHeight == 1 && days[0].lastHeight == 1_349 && days[0].blocks == 1_349)
        #expect(days[1].firstHeight == 1_350 && days[1].lastHeight == 2_699 && days[1].blocks == 1_350)
        #expect(days.map(\.day) == [0, 1])
        #expect(days.map(\.polwBlocks) == [1_349, 1_350])
        // 1 349 · R and 1 349 · burnt; 1 350 · R and 1 350 · burnt.
        #expect(days[0].reward == Amount(units: 58_479_150_108_548_998_831_654))
        #expect(days[0].burnt == Amount(units: 45_483_783_756_640_926_631_494))
        #expect(days[1].reward == Amount(units: 58_522_500_108_629_465_102_100))
        #expect(days[1].burnt == Amount(units: 45_517_500_423_621_386_918_100))
        // 2 699 · (R − burnt) = 2 699 · 9 633 333 100 005 983 840.
        #expect(days[1].supply.circulating == Amount(units: 26_000_366_036_916_150_384_160))
        // 2 699 · R and 2 699 · burnt.
        #expect(days[1].supply.minted == Amount(units: 117_001_650_217_178_463_933_754))
        #expect(days[1].supply.burnt == Amount(units: 91_001_284_180_262_313_549_594))
        // 1 kWh = 3.6·10^6 J a block at 0.1.
        #expect(SimulationFixtures.isClose(days[0].energyJoules, 1_349 * 3_600_000, relative: 1e-12))
        #expect(SimulationFixtures.isClose(days[0].energyCost, 134.9, relative: 1e-12))
        #expect(days[0].energyPerBlockJoules == 3_600_000)
        #expect(days[0].physicalHashRate == 0x1p34)
        #expect(days[0].virtualHashRate == 77_309_415_936)
    }

    @Test("block rows add up to the day rows")
    func blocksAddUpToDays() throws {
        let scenario = try Self.scenario()
        let blocks = try Self.steps(scenario, .block)
        let days = try Self.steps(scenario, .day)
        #expect(blocks.count == 2_699)
        #expect(blocks.allSatisfy { $0.blocks == 1 && $0.firstHeight == $0.lastHeight })
        #expect(blocks.map(\.firstHeight) == Array(1...2_699))
        for day in days {
            let ofDay = blocks.filter { $0.day == day.day }
            #expect(ofDay.map(\.reward).checkedSum() == day.reward)
            #expect(ofDay.map(\.burnt).checkedSum() == day.burnt)
            #expect(ofDay.last?.supply == day.supply)
        }
    }

    @Test("half of the fees leave the supply")
    func feesBurn() throws {
        // 3 units a block: 1 to the miner, 2 burnt; 1 349 blocks on day 0.
        let day = try #require(try Self.steps(try Self.scenario(fees: Amount(units: 3), days: 1), .day).first)
        #expect(day.feesBurnt == Amount(units: 2_698))
        // 1 349 · 9 633 333 100 005 983 840 − 2 698.
        #expect(day.supply.circulating == Amount(units: 12_995_366_351_908_072_197_462))
    }

    @Test("at equilibrium with PoLW off, every day's energy costs what its blocks pay")
    func equilibriumWithoutPolw() throws {
        let scenario = try SimulationScenario(
            schedule: try SimulationFixtures.schedule(k: 1, threshold: BigUInt(1) << 60),
            economics: try MiningEquilibriumTests.economics(), hashRate: .equilibrium, days: 3)
        for day in try Self.steps(scenario, .day) {
            #expect(day.burnt == .zero)
            #expect(SimulationFixtures.isClose(day.energyCost, day.revenue, relative: MiningEquilibriumTests.tolerance))
        }
    }

    @Test("at equilibrium far above the threshold, energy is 1/8 of the miners' cost")
    func equilibriumWithPolw() throws {
        let scenario = try SimulationScenario(
            schedule: try SimulationFixtures.schedule(k: 8, threshold: BigUInt(1) << 20),
            economics: try MiningEquilibriumTests.economics(), hashRate: .equilibrium, days: 3)
        for day in try Self.steps(scenario, .day) {
            #expect(day.polwBlocks == day.blocks)
            #expect(SimulationFixtures.isClose(day.energyShare, 0.125, relative: MiningEquilibriumTests.tolerance))
            #expect(SimulationFixtures.isClose(
                day.energyCost + day.burnCost, day.revenue, relative: MiningEquilibriumTests.tolerance))
        }
    }
}
