import ArgumentParser
import EmberConsensus
import EmberCore

/// `ember consensus simulate`: a network's hash rate, reward, burn, energy and supply, block by block
/// or day by day, computed with the consensus rules themselves.
struct ConsensusSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate hash rate, reward, burn, energy, miners' costs and supply over time (JSON lines or CSV).",
        usage: """
            ember consensus simulate [--network mainnet|testnet|devnet] [--polw-factor <k>] \
            [--hashrate-path <DAY:H/S,…> | (equilibrium)] [--coin-price <USD>] [--days <days>] \
            [--step day|block] [--format jsonl|csv] [--out <file>]
            """,
        discussion: """
            Amounts (reward, burnt, feesBurnt, minted, supplyBurnt, supply) are exact decimal units \
            (1 EMB = 10^18 units); hash rates are H/s, energy joules, costs and revenue USD. With --step day \
            a row sums the day's blocks and averages its hash rates. See docs/polw-research.md.
            """
    )

    @OptionGroup var scenarioOptions: SimulationScenarioOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("One row per block or per day (default day).", valueName: "step"))
    var step: String?

    @OptionGroup var outputOptions: ResearchOutputOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let scenario = try scenarioOptions.scenario()
        guard let granularity = PolwSimulator.Granularity(rawValue: step ?? "day") else {
            throw ConsensusArgumentError("--step '\(step ?? "")' is not day or block")
        }
        let output = try outputOptions.writer()
        try ConsensusArgument.checked {
            try PolwSimulator.run(scenario, granularity: granularity) { try output.write(Self.row($0)) }
        }
        try output.close()
    }

    /// A step's fields, in the order the columns print.
    static func row(_ step: SimulationStep) -> ResearchTable.Row {
        [
            ("day", .integer(step.day)), ("firstHeight", .integer(step.firstHeight)),
            ("lastHeight", .integer(step.lastHeight)), ("blocks", .integer(step.blocks)),
            ("polwBlocks", .integer(step.polwBlocks)), ("physicalHashRate", .number(step.physicalHashRate)),
            ("virtualHashRate", .number(step.virtualHashRate)), ("reward", .amount(step.reward)),
            ("burnt", .amount(step.burnt)), ("feesBurnt", .amount(step.feesBurnt)),
            ("energyJoules", .number(step.energyJoules)), ("energyPerBlockJoules", .number(step.energyPerBlockJoules)),
            ("energyCost", .number(step.energyCost)), ("burnCost", .number(step.burnCost)),
            ("revenue", .number(step.revenue)), ("energyShare", .number(step.energyShare)),
            ("minted", .amount(step.supply.minted)), ("supplyBurnt", .amount(step.supply.burnt)),
            ("supply", .amount(step.supply.circulating)),
        ]
    }
}
