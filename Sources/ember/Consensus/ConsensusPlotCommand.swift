import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore
import Foundation

/// `ember consensus plot`: SVG charts of the emission schedule and of the PoLW research questions.
struct ConsensusPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the emission schedule, PoLW energy and burn, or attack cost, as SVG.",
        usage: """
            ember consensus plot --out <file.svg> [--chart emission|energy|attack] [--network mainnet|testnet|devnet] \
            [scenario options] [--at-day <day>] [--attacker-share <q>] [--max-depth <z>]
            """,
        discussion: """
            emission: reward and burn against hash rate and time. energy: energy and burn per block against \
            the hash rate the reward follows, for PoW and PoLW with k = 8, 16, 32. attack: a double spend's \
            cost against its depth under the three chain-weight models (docs/polw-research.md).
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The SVG file to write.", valueName: "file.svg"))
    var out: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("emission (default), energy or attack.", valueName: "chart"))
    var chart: String?

    @OptionGroup var scenarioOptions: SimulationScenarioOptions

    /// energy: `--at-day`; attack: all of them but `--success-probability`.
    @OptionGroup var attackOptions: AttackOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    private static let yearMs: UInt64 = 365 * 86_400_000
    /// The attack chart's depths: far enough for the curves to part clearly.
    private static let defaultMaxDepth = 30

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let path = try ConsensusArgument.required(out, "--out")
        let params = try scenarioOptions.baseParams()
        let name = scenarioOptions.networkName
        let chartName = chart ?? "emission"
        let panels: [ConsensusLineChart]
        switch chartName {
        case "emission":
            panels = [try Self.rewardAgainstHashRate(params, name: name), try Self.rewardAgainstTime(params, name: name)]
        case "energy":
            panels = try PolwEnergyChart.panels(
                scenario: scenarioOptions.scenario(), elapsedMs: attackOptions.elapsedMs(), name: name)
        case "attack":
            guard attackOptions.successProbability == nil else {
                throw ConsensusArgumentError("the attack chart takes --attacker-share, not --success-probability")
            }
            panels = AttackCostChart.panels(
                chains: try attackOptions.attackedChains(scenarioOptions),
                depths: try attackOptions.depths(defaultMaximum: Self.defaultMaxDepth),
                attackerShare: try attackOptions.fixedShare(), name: name)
        case let other:
            throw ConsensusArgumentError("--chart '\(other)' is not emission, energy or attack")
        }
        try ConsensusLineChart.write(panels, to: path)
        var json = ConsensusJSON()
        json.add("out", path)
        json.add("network", name)
        json.add("chart", chartName)
        print(json.text)
    }

    /// Reward and burn per block at launch and once the time cap is stable, for hash rates 2^40-2^70 H/s,
    /// with the reward plain proof of work (k = 1) would pay for comparison.
    private static func rewardAgainstHashRate(_ params: ConsensusParams, name: String) throws -> ConsensusLineChart {
        let emission = params.emission
        let plainWork = try ConsensusArgument.checked {
            try EmissionSchedule(
                timing: emission.timing, polwFactor: 1, polwThresholdHashRate: params.polwThresholdHashRate)
        }
        let log2Range = 40.0...70.0
        let samples = stride(from: log2Range.lowerBound, through: log2Range.upperBound, by: 0.05).map { $0 }
        func curves(
            _ schedule: EmissionSchedule, elapsedMs: UInt64
        ) throws -> (reward: [(x: Double, y: Double)], burnt: [(x: Double, y: Double)]) {
            var reward: [(x: Double, y: Double)] = []
            var burnt: [(x: Double, y: Double)] = []
            for log2 in samples {
                let hashRate = BigUInt(pow(2, log2).rounded(.down))
                let target = schedule.timing.target(forHashRate: hashRate)
                let blockReward = try schedule.reward(target: target, elapsedMs: elapsedMs)
                reward.append((log2, coins(blockReward.reward)))
                burnt.append((log2, coins(blockReward.burnt)))
            }
            return (reward, burnt)
        }
        let atLaunch = try curves(emission, elapsedMs: 0)
        let stable = try curves(emission, elapsedMs: 4 * yearMs)
        let withoutPolw = try curves(plainWork, elapsedMs: 4 * yearMs)
        let threshold = Double(params.polwThresholdHashRate.bitWidth - 1)
        return ConsensusLineChart(
            title: "Reward and burn per block against network hash rate (\(name))",
            xLabel: "network hash rate in H/s, log scale "
                + "(2\(ConsensusLineChart.superscript(50)) ≈ 1.1 PH/s, 2\(ConsensusLineChart.superscript(60)) ≈ 1.2 EH/s); "
                + "C = \(params.chainCount), T = \(params.blockTimeMs / 1_000) s, k = \(params.polwFactor)",
            yLabel: "EMB per block",
            xRange: log2Range,
            yRange: 0...(coins(emission.initialReward) * 1.1),
            xTicks: stride(from: 40, through: 70, by: 5).map {
                ConsensusLineChart.Tick(value: Double($0), label: "2" + ConsensusLineChart.superscript($0))
            },
            yTicks: ConsensusLineChart.ticks(maximum: coins(emission.initialReward)),
            series: [
                .init(name: "reward without PoLW (k = 1), after 4 years", color: "#868e96", dashed: true,
                      points: withoutPolw.reward),
                .init(name: "reward after 4 years", color: "#74c0fc", width: 6, points: stable.reward),
                .init(name: "burnt after 4 years", color: "#74c0fc", dashed: true, width: 6, points: stable.burnt),
                .init(name: "reward at launch", color: "#e8590c", points: atLaunch.reward),
                .init(name: "burnt at launch", color: "#c92a2a", dashed: true, points: atLaunch.burnt),
            ],
            shadedFrom: .init(x: threshold, label: "Proof of Less Work: hash rate above H_T"),
            legendOffset: 30)
    }

    /// Reward per block over the first six years, at hash rates on each side of the PoLW threshold.
    private static func rewardAgainstTime(_ params: ConsensusParams, name: String) throws -> ConsensusLineChart {
        let emission = params.emission
        let hashRates: [(log2: Int, color: String)] = [(50, "#2f9e44"), (57, "#1c7ed6"), (62, "#e8590c")]
        let months = (0...72).map { UInt64($0) }
        let series = try hashRates.map { log2, color in
            let target = emission.timing.target(forHashRate: BigUInt(1) << log2)
            let points = try months.map { month -> (x: Double, y: Double) in
                let reward = try emission.reward(target: target, elapsedMs: month * yearMs / 12)
                return (Double(month) / 12, coins(reward.reward))
            }
            return ConsensusLineChart.Series(
                name: "reward at 2\(ConsensusLineChart.superscript(log2)) H/s", color: color, points: points)
        }
        return ConsensusLineChart(
            title: "Reward per block against time since launch (\(name))",
            xLabel: "years since launch",
            yLabel: "EMB per block",
            xRange: 0...6,
            yRange: 0...(coins(emission.initialReward) * 1.1),
            xTicks: (0...6).map { ConsensusLineChart.Tick(value: Double($0), label: String($0)) },
            yTicks: ConsensusLineChart.ticks(maximum: coins(emission.initialReward)),
            series: series,
            markers: [.init(x: 4, label: "time cap reaches the stable reward")])
    }

    private static func coins(_ amount: Amount) -> Double { MiningEconomics.coins(amount) }
}
