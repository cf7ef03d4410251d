import EmberConsensus
import Testing

/// Nakamoto's catch-up probability against the tables printed in section 11 of the Bitcoin whitepaper
/// (S. Nakamoto, "Bitcoin: A Peer-to-Peer Electronic Cash System", 2008). The values are copied from the
/// paper, which prints them to 7 decimals: a result within half a unit of the 7th decimal matches.
@Suite("Double-spend probability (Bitcoin whitepaper §11)")
struct DoubleSpendProbabilityTests {
    static let printedPrecision = 0.5e-7

    /// The paper's table for q = 0.1, z = 0…10.
    static let tenPercent: [(z: Int, p: Double)] = [
        (0, 1.0000000), (1, 0.2045873), (2, 0.0509779), (3, 0.0131722), (4, 0.0034552), (5, 0.0009137),
        (6, 0.0002428), (7, 0.0000647), (8, 0.0000173), (9, 0.0000046), (10, 0.0000012),
    ]

    /// The paper's table for q = 0.3, z = 0, 5, …, 50.
    static let thirtyPercent: [(z: Int, p: Double)] = [
        (0, 1.0000000), (5, 0.1773523), (10, 0.0416605), (15, 0.0101008), (20, 0.0024804), (25, 0.0006132),
        (30, 0.0001522), (35, 0.0000379), (40, 0.0000095), (45, 0.0000024), (50, 0.0000006),
    ]

    /// The paper's "solving for P less than 0.1%": the least z with P < 0.001 for each q.
    static let belowOnePerMille: [(q: Double, z: Int)] = [
        (0.10, 5), (0.15, 8), (0.20, 11), (0.25, 15), (0.30, 24), (0.35, 41), (0.40, 89), (0.45, 340),
    ]

    @Test("q = 0.1 matches the paper's table", arguments: tenPercent)
    func tenPercentTable(row: (z: Int, p: Double)) {
        let found = DoubleSpendProbability.attackerSuccess(attackerShare: 0.1, depth: row.z)
        #expect(abs(found - row.p) <= Self.printedPrecision, "z = \(row.z): \(found)")
    }

    @Test("q = 0.3 matches the paper's table", arguments: thirtyPercent)
    func thirtyPercentTable(row: (z: Int, p: Double)) {
        let found = DoubleSpendProbability.attackerSuccess(attackerShare: 0.3, depth: row.z)
        #expect(abs(found - row.p) <= Self.printedPrecision, "z = \(row.z): \(found)")
    }

    @Test("the paper's least depths for P < 0.1 % are the least", arguments: belowOnePerMille)
    func leastDepthBelowOnePerMille(row: (q: Double, z: Int)) {
        #expect(DoubleSpendProbability.attackerSuccess(attackerShare: row.q, depth: row.z) < 0.001)
        #expect(DoubleSpendProbability.attackerSuccess(attackerShare: row.q, depth: row.z - 1) >= 0.001)
    }

    @Test("the share that reaches P = 0.1 % at the paper's depth lies between the paper's rows",
          arguments: belowOnePerMille)
    func shareForSuccess(row: (q: Double, z: Int)) {
        // At the paper's q, depth z is safe (P < 0.001) and depth z − 1 is not: the share needed for
        // P = 0.001 is above q at depth z and at most q at depth z − 1.
        #expect(DoubleSpendProbability.attackerShare(forSuccess: 0.001, depth: row.z) > row.q)
        #expect(DoubleSpendProbability.attackerShare(forSuccess: 0.001, depth: row.z - 1) <= row.q)
    }

    @Test("an attacker with half the hash rate or more always catches up")
    func majorityAlwaysWins() {
        #expect(DoubleSpendProbability.attackerSuccess(attackerShare: 0.5, depth: 100) == 1)
        #expect(DoubleSpendProbability.attackerSuccess(attackerShare: 0.7, depth: 6) == 1)
        #expect(DoubleSpendProbability.attackerSuccess(attackerShare: 0, depth: 1) == 0)
    }
}
