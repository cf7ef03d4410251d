import BigInt
import EmberConsensus
import EmberCore

/// Networks and prices whose numbers a person can follow by hand in the simulation tests.
enum SimulationFixtures {
    /// 4 · 492 750 blocks · 64 s: from here on the time cap is the stable reward S = 20 EMB.
    static let fourYearsMs: UInt64 = 126_144_000_000

    /// One chain of 64-second blocks with PoLW factor `k` and threshold `threshold` H/s.
    static func schedule(k: UInt64, threshold: BigUInt) throws -> EmissionSchedule {
        try EmissionSchedule(
            timing: BlockTiming(chainCount: 1, blockTimeMs: 64_000), polwFactor: k, polwThresholdHashRate: threshold)
    }

    /// A hash costs 3.6·10^6 / 2^40 J, so the 2^40 hashes of target 2^216 take exactly 1 kWh, which costs
    /// 0.1; one EMB sells for 1.
    static func kilowattHourPerBlock(fees: Amount = .zero) throws -> MiningEconomics {
        try MiningEconomics(
            joulesPerHash: 3_600_000 / 0x1p40, electricityPricePerKilowattHour: 0.1, coinPrice: 1, feesPerBlock: fees)
    }

    /// Size 0x1c = 28 bytes, mantissa 0x010000: 2^16 · 2^(8·25) = 2^216, so 2^256 / 2^216 = 2^40 hashes a
    /// block and, at 64 s, 2^40 · 1000 / 64 000 = 2^34 H/s.
    static let target2To216 = CompactTarget(bits: 0x1c01_0000)

    /// |found − expected| ≤ relative · |expected|.
    static func isClose(_ found: Double, _ expected: Double, relative: Double) -> Bool {
        abs(found - expected) <= relative * abs(expected)
    }
}
