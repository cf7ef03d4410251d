import BigInt
import EmberConsensus
import EmberCore
import Testing

/// One block priced by hand: target 2^216 (2^40 hashes, 2^34 H/s at 64 s) four years after launch.
@Suite("Block economics")
struct BlockEconomicsTests {
    /// With k = 8 and H_T = 2^33: HRv = 8 · 2^34 − 7 · 2^33 = 9 · 2^33. Its target is
    /// ⌊2^256 / (9 · 2^33 · 64)⌋ = ⌊2^217 / 9⌋, 214 bits, so 27 bytes with mantissa ⌊2^25 / 9⌋ = 3 728 270:
    /// p = 3 728 270 · 2^192. E1 = 2^256 / (2^33 · 64) = 2^217 = 33 554 432 · 2^192.
    /// hashRate(p) = ⌊⌊2^64 / 3 728 270⌋ · 1000 / 64 000⌋ = ⌊4 947 802 619 904 / 64⌋ = 77 309 415 936 H/s,
    /// whose hash-rate cap (about 43.35 EMB) is above the stable time cap, so R = S = 20 EMB.
    /// burnt = ⌊⌊R · (E1 − p) / E1⌋ · 7 / 8⌋ with (E1 − p) / E1 = 29 826 162 / 33 554 432:
    /// ⌊20·10^18 · 29 826 162 / 33 554 432⌋ = 17 777 777 910 232 543 945, · 7 / 8 → 15 555 555 671 453 475 951.
    static let burntUnits: UInt128 = 15_555_555_671_453_475_951
    static let virtualHashRate = 77_309_415_936.0

    /// The block at target 2^216 four years after launch, with H_T = `threshold`.
    static func block(k: UInt64, threshold: BigUInt = BigUInt(1) << 33, fees: Amount = .zero) throws -> BlockEconomics {
        try BlockEconomics(
            target: SimulationFixtures.target2To216, elapsedMs: SimulationFixtures.fourYearsMs,
            schedule: try SimulationFixtures.schedule(k: k, threshold: threshold),
            economics: try SimulationFixtures.kilowattHourPerBlock(fees: fees))
    }

    @Test("a PoLW block's reward, burn, hash rates, energy and costs")
    func polwBlock() throws {
        let block = try Self.block(k: 8)
        #expect(block.isProofOfLessWork)
        #expect(block.reward.reward == Amount(coins: 20))
        #expect(block.reward.burnt == Amount(units: Self.burntUnits))
        #expect(block.physicalHashRate == 0x1p34)
        #expect(block.virtualHashRate == Self.virtualHashRate)
        #expect(block.expectedHashes == 0x1p40)
        #expect(block.energyJoules == 3_600_000)
        #expect(block.energyCost == 0.1)
        // 15.555555671453475951 EMB at 1 each.
        #expect(SimulationFixtures.isClose(block.burnCost, 15.555555671453475951, relative: 1e-15))
        #expect(block.revenue == 20)
        #expect(SimulationFixtures.isClose(block.energyShare, 0.1 / 15.655555671453475951, relative: 1e-12))
    }

    @Test("with k = 1 nothing is burnt and the reward follows the physical hash rate")
    func plainWorkBlock() throws {
        // HRv = max(2^33, 2^34) = 2^34: the cap there is 60 · 34 / 50 = 40.8 EMB, above S = 20.
        let block = try Self.block(k: 1)
        #expect(block.reward.reward == Amount(coins: 20))
        #expect(block.reward.burnt == .zero)
        #expect(block.virtualHashRate == 0x1p34)
        #expect(block.burnCost == 0)
        #expect(block.energyShare == 1)
    }

    @Test("fees: the miner's half is revenue, the burnt half is not the miner's cost")
    func fees() throws {
        // 3 units of fees: ⌊3 / 2⌋ = 1 to the miner, 2 burnt.
        let block = try Self.block(k: 1, threshold: BigUInt(1) << 60, fees: Amount(units: 3))
        #expect(block.fees.miner == Amount(units: 1))
        #expect(block.fees.burnt == Amount(units: 2))
        #expect(block.minerCost == 0.1)
    }
}
