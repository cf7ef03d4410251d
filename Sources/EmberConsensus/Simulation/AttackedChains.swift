/// The honest chains a scenario leads to at one moment, under plain PoW and under PoLW, so the three
/// chain-weight models can be priced side by side.
///
/// Plain PoW is the scenario with k = 1. Both PoLW models share the scenario's own chain: honest
/// miners mine and burn the same way under them, and only what counts as weight differs.
public struct AttackedChains: Hashable, Sendable {
    /// The honest block of the scenario with k = 1.
    public let proofOfWork: BlockEconomics
    /// The honest block of the scenario as given.
    public let proofOfLessWork: BlockEconomics

    /// The two chains `elapsedMs` after launch.
    public init(scenario: SimulationScenario, elapsedMs: UInt64) throws {
        var powBlocks = ScenarioBlocks(scenario: try scenario.withPolwFactor(1))
        var polwBlocks = ScenarioBlocks(scenario: scenario)
        proofOfWork = try powBlocks.block(atElapsedMs: elapsedMs)
        proofOfLessWork = try polwBlocks.block(atElapsedMs: elapsedMs)
    }

    /// The attack at depth `depth` by share `attackerShare` under each model, in `ChainWeightModel` order.
    public func costs(depth: Int, attackerShare: Double) -> [AttackCost] {
        ChainWeightModel.allCases.map { model in
            AttackCost(
                model: model, honestBlock: model == .proofOfWork ? proofOfWork : proofOfLessWork, depth: depth,
                attackerShare: attackerShare)
        }
    }
}
