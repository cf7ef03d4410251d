import ArgumentParser

/// `ember consensus`: research commands over the consensus arithmetic and the PoLW simulator.
struct ConsensusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consensus",
        abstract: "Compute targets, difficulty adjustments and rewards with the consensus rules; simulate PoLW.",
        discussion: """
            target, next-target and reward print one JSON object on one line; amounts are decimal strings of units \
            (1 EMB = 10^18 units), targets are compact bits (8 hex digits) or 0x-hexadecimal values. \
            Integers may be written in decimal or as 0x-hexadecimal. `simulate` and `attack-cost` print \
            many rows (JSON lines or CSV) and `plot` writes SVG.
            """,
        subcommands: [
            ConsensusTargetCommand.self, ConsensusNextTargetCommand.self, ConsensusRewardCommand.self,
            ConsensusPlotCommand.self, ConsensusSimulateCommand.self, ConsensusAttackCostCommand.self,
        ]
    )
}
