import BigInt
import EmberConsensus
import EmberCore
import Testing

/// The three chain-weight models priced by hand on the block of `BlockEconomicsTests`: 1 kWh (0.1) of
/// energy per block; under PoLW a burn of 15.555555671453475951 EMB (at 1 each) per block.
@Suite("Attack cost under the three chain-weight models")
struct AttackCostTests {
    static let burnPerBlock = 15.555555671453475951
    /// P(0.1, 5) as the Bitcoin whitepaper prints it, to 7 decimals.
    static let paperProbabilityAtFive = 0.0009137

    static func blocks() throws -> (pow: BlockEconomics, polw: BlockEconomics) {
        (try BlockEconomicsTests.block(k: 1), try BlockEconomicsTests.block(k: 8))
    }

    @Test("plain PoW: z + 1 blocks of energy, nothing burnt")
    func proofOfWork() throws {
        let cost = AttackCost(model: .proofOfWork, honestBlock: try Self.blocks().pow, depth: 5, attackerShare: 0.1)
        #expect(cost.branchBlocks == 6)
        #expect(abs(cost.successProbability - Self.paperProbabilityAtFive) <= 0.5e-7)
        // 6 blocks · 3.6·10^6 J = 2.16·10^7 J, 6 · 0.1 = 0.6.
        #expect(SimulationFixtures.isClose(cost.energyJoules, 21_600_000, relative: 1e-12))
        #expect(SimulationFixtures.isClose(cost.energyCost, 0.6, relative: 1e-12))
        #expect(cost.expectedBurnCost == 0)
        #expect(SimulationFixtures.isClose(cost.expectedTotalCost, 0.6, relative: 1e-12))
        #expect(SimulationFixtures.isClose(cost.rewardIfWins, 120, relative: 1e-12))
        #expect(SimulationFixtures.isClose(cost.honestCostPerBlock, 0.1, relative: 1e-12))
        // q / (1 − q) · 2^34 = 2^34 / 9 = 1 908 874 353.78 H/s.
        #expect(SimulationFixtures.isClose(cost.attackerHashRate, 1_908_874_353.777_778, relative: 1e-12))
    }

    @Test("PoLW as implemented: the burn is paid only if the branch wins")
    func physicalWeight() throws {
        let cost = AttackCost(
            model: .polwPhysicalWeight, honestBlock: try Self.blocks().polw, depth: 5, attackerShare: 0.1)
        // 6 · 15.555555671453475951 = 93.333334028720855706.
        #expect(SimulationFixtures.isClose(cost.burnCostIfWins, 93.333334028720855706, relative: 1e-12))
        // 0.0009137 · 93.333334 = 0.08527867; the paper's P is rounded to 5·10^-8, worth 4.7·10^-6 here.
        #expect(abs(cost.expectedBurnCost - 0.085_278_67) <= 5e-6)
        #expect(abs(cost.expectedTotalCost - 0.685_278_67) <= 5e-6)
        #expect(SimulationFixtures.isClose(cost.energyCost, 0.6, relative: 1e-12))
        // 0.1 + 15.555555671453475951.
        #expect(SimulationFixtures.isClose(cost.honestCostPerBlock, 15.655555671453475951, relative: 1e-12))
    }

    @Test("burn-weighted PoLW: every burn is spent whether the branch wins or not")
    func burnWeight() throws {
        let cost = AttackCost(model: .polwBurnWeight, honestBlock: try Self.blocks().polw, depth: 5, attackerShare: 0.1)
        #expect(SimulationFixtures.isClose(cost.expectedBurnCost, 93.333334028720855706, relative: 1e-12))
        // 0.6 + 93.333334028720855706.
        #expect(SimulationFixtures.isClose(cost.expectedTotalCost, 93.933334028720855706, relative: 1e-12))
    }

    @Test("at depth 0 the attacker always wins, so both PoLW models expect the whole burn")
    func depthZero() throws {
        let polw = try Self.blocks().polw
        let physical = AttackCost(model: .polwPhysicalWeight, honestBlock: polw, depth: 0, attackerShare: 0.1)
        let burnWeighted = AttackCost(model: .polwBurnWeight, honestBlock: polw, depth: 0, attackerShare: 0.1)
        #expect(physical.successProbability == 1)
        // One block: 0.1 + 15.555555671453475951.
        #expect(SimulationFixtures.isClose(physical.expectedTotalCost, 15.655555671453475951, relative: 1e-12))
        #expect(SimulationFixtures.isClose(burnWeighted.expectedTotalCost, 15.655555671453475951, relative: 1e-12))
    }
}
