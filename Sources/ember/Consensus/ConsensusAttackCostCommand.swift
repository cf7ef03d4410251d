import ArgumentParser
import EmberConsensus
import EmberCore

/// `ember consensus attack-cost`: what a double spend at depth z costs under plain PoW, PoLW as
/// implemented and burn-weighted PoLW, for one scenario at one moment.
struct ConsensusAttackCostCommand: ParsableCommand {
    static let defaultMaxDepth = 10

    static let configuration = CommandConfiguration(
        commandName: "attack-cost",
        abstract: "Price a double spend at depths 0…z under the three chain-weight models, side by side.",
        usage: """
            ember consensus attack-cost [scenario options] [--at-day <day>] [--max-depth <z>] \
            [--attacker-share <q> | --success-probability <p>] [--format jsonl|csv] [--out <file>]
            """,
        discussion: """
            One row per depth and model (pow, polw, polw-burn-weighted). The branch replaces the payment's \
            block and its z confirmations (z + 1 blocks at the honest target); successProbability is \
            Nakamoto's P(q, z). Costs are USD; docs/polw-research.md states each model's assumptions.
            """
    )

    @OptionGroup var scenarioOptions: SimulationScenarioOptions

    @OptionGroup var attackOptions: AttackOptions

    @OptionGroup var outputOptions: ResearchOutputOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let chains = try attackOptions.attackedChains(scenarioOptions)
        let depths = try attackOptions.depths(defaultMaximum: Self.defaultMaxDepth)
        let shareAtDepth = try attackOptions.shareAtDepth()
        let output = try outputOptions.writer()
        for depth in depths {
            for cost in chains.costs(depth: depth, attackerShare: shareAtDepth(depth)) { try output.write(Self.row(cost)) }
        }
        try output.close()
    }

    static func row(_ cost: AttackCost) -> ResearchTable.Row {
        [
            ("depth", .integer(UInt64(cost.depth))), ("model", .text(cost.model.rawValue)),
            ("attackerShare", .number(cost.attackerShare)), ("successProbability", .number(cost.successProbability)),
            ("branchBlocks", .integer(UInt64(cost.branchBlocks))), ("attackerHashRate", .number(cost.attackerHashRate)),
            ("energyJoules", .number(cost.energyJoules)), ("energyCost", .number(cost.energyCost)),
            ("burnCostIfWins", .number(cost.burnCostIfWins)), ("expectedBurnCost", .number(cost.expectedBurnCost)),
            ("expectedTotalCost", .number(cost.expectedTotalCost)), ("rewardIfWins", .number(cost.rewardIfWins)),
            ("honestCostPerBlock", .number(cost.honestCostPerBlock)),
        ]
    }
}
