import BigInt
import EmberConsensus
import EmberCore
import Testing

/// Where miners stop adding hash rate, four years after launch (reward S = 20 EMB at 64 s).
///
/// Prices: 1 EMB sells for 1, a kWh costs 0.1 and a hash 10^-9 J. A block then pays 20, which buys
/// 200 kWh = 7.2·10^8 J = 7.2·10^17 hashes, or 7.2·10^17 / 64 = 1.125·10^16 H/s (2^53.3). The hash-rate
/// cap there (about 46.7 EMB, falling from 60 at 2^50 to 20 at 2^60) is above S, so R = 20 throughout.
/// Compact targets round hash rates by at most 2^-15: results match to 10^-4.
@Suite("Mining equilibrium")
struct MiningEquilibriumTests {
    static let tolerance = 1e-4
    static let powHashRate = 1.125e16

    static func economics() throws -> MiningEconomics {
        try MiningEconomics(joulesPerHash: 1e-9, electricityPricePerKilowattHour: 0.1, coinPrice: 1)
    }

    static func equilibriumBlock(k: UInt64, threshold: BigUInt) throws -> BlockEconomics {
        var rewards = RewardMemo(schedule: try SimulationFixtures.schedule(k: k, threshold: threshold))
        let hashRate = try MiningEquilibrium.hashRate(
            elapsedMs: SimulationFixtures.fourYearsMs, rewards: &rewards, economics: try economics())
        let target = rewards.schedule.timing.target(forHashRate: BigUInt(hashRate))
        return try BlockEconomics(
            target: target, elapsedMs: SimulationFixtures.fourYearsMs, schedule: rewards.schedule,
            economics: try economics())
    }

    @Test("with PoLW off (k = 1) the energy costs the whole reward budget",
          arguments: [BigUInt(1) << 20, BigUInt(1) << 60])
    func polwOff(threshold: BigUInt) throws {
        let block = try Self.equilibriumBlock(k: 1, threshold: threshold)
        #expect(block.reward.reward == Amount(coins: 20))
        #expect(block.reward.burnt == .zero)
        // 20 EMB · 1 = 20, all of it energy.
        #expect(SimulationFixtures.isClose(block.energyCost, 20, relative: Self.tolerance), "\(block.energyCost)")
        #expect(SimulationFixtures.isClose(block.physicalHashRate, Self.powHashRate, relative: Self.tolerance))
        #expect(block.energyShare == 1)
    }

    /// Far above H_T = 2^20 the burn is R · (k − 1)/k · (1 − H_T/HRv), with H_T/HRv ≈ 2^20 / 1.125·10^16
    /// ≈ 10^-10: the energy share is 1/k to far better than the rounding.
    @Test("far above the threshold PoLW spends 1/k of plain PoW's energy",
          arguments: [(UInt64(8), 0.125), (16, 0.0625), (32, 0.031_25)])
    func energyShare(k: UInt64, share: Double) throws {
        let pow = try Self.equilibriumBlock(k: 1, threshold: BigUInt(1) << 20)
        let polw = try Self.equilibriumBlock(k: k, threshold: BigUInt(1) << 20)
        #expect(polw.reward.reward == Amount(coins: 20))
        #expect(SimulationFixtures.isClose(polw.energyShare, share, relative: Self.tolerance), "\(polw.energyShare)")
        #expect(SimulationFixtures.isClose(polw.energyJoules / pow.energyJoules, share, relative: Self.tolerance))
        // Energy 20/k and burn 20 · (k − 1)/k: together the same 20 the PoW miners spend.
        #expect(SimulationFixtures.isClose(polw.energyCost, 20 * share, relative: Self.tolerance))
        #expect(SimulationFixtures.isClose(polw.minerCost, 20, relative: Self.tolerance))
        #expect(SimulationFixtures.isClose(polw.physicalHashRate, Self.powHashRate * share, relative: Self.tolerance))
    }

    @Test("when no hash rate pays, the search stops at its lowest")
    func nothingPays() throws {
        var rewards = RewardMemo(schedule: try SimulationFixtures.schedule(k: 8, threshold: BigUInt(1) << 60))
        // A joule per hash at 10^9 a kWh: the first hash of a 64-hash block costs far more than 20 EMB sell for.
        let dear = try MiningEconomics(joulesPerHash: 1, electricityPricePerKilowattHour: 1e9, coinPrice: 1)
        let hashRate = try MiningEquilibrium.hashRate(
            elapsedMs: SimulationFixtures.fourYearsMs, rewards: &rewards, economics: dear)
        #expect(hashRate == 1)
    }
}
