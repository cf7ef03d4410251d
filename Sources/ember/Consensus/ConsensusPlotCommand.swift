import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore
import Foundation

/// `ember consensus plot`: an SVG chart of the reward and the PoLW burn against hash rate and time.
struct ConsensusPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw reward and burn against network hash rate (log scale), and reward against time, as SVG.",
        usage: "ember consensus plot --out <file.svg> [--network mainnet|testnet|devnet]"
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The SVG file to write.", valueName: "file.svg"))
    var out: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Whose parameters to plot: mainnet, testnet or devnet (default mainnet).", valueName: "network"))
    var network: String?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    private static let yearMs: UInt64 = 365 * 86_400_000
    private static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    ]

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let path = try ConsensusArgument.required(out, "--out")
        let params: ConsensusParams
        switch network ?? "mainnet" {
        case "mainnet": params = .mainnet
        case "testnet": params = .testnet
        case "devnet": params = try ConsensusArgument.checked { try ConsensusParams.devnet() }
        case let other: throw ConsensusArgumentError("--network '\(other)' is not mainnet, testnet or devnet")
        }
        let name = network ?? "mainnet"
        let width = 960.0
        let panelHeight = 430.0
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(2 * panelHeight))" \
            viewBox="0 0 \(Int(width)) \(Int(2 * panelHeight))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>

            """
            + (try Self.rewardAgainstHashRate(params, name: name))
                .svg(left: 0, top: 0, width: width, height: panelHeight)
            + (try Self.rewardAgainstTime(params, name: name))
                .svg(left: 0, top: panelHeight, width: width, height: panelHeight)
            + "</svg>\n"
        do {
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ConsensusArgumentError("cannot write \(path): \(error.localizedDescription)")
        }
        var json = ConsensusJSON()
        json.add("out", path)
        json.add("network", name)
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
                + "(2\(superscript(50)) ≈ 1.1 PH/s, 2\(superscript(60)) ≈ 1.2 EH/s); "
                + "C = \(params.chainCount), T = \(params.blockTimeMs / 1_000) s, k = \(params.polwFactor)",
            yLabel: "EMB per block",
            xRange: log2Range,
            yRange: 0...(coins(emission.initialReward) * 1.1),
            xTicks: stride(from: 40, through: 70, by: 5).map {
                ConsensusLineChart.Tick(value: Double($0), label: "2" + superscript($0))
            },
            yTicks: yTicks(maximum: coins(emission.initialReward)),
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

    private static func superscript(_ number: Int) -> String {
        String(String(number).map { superscripts[$0]! })
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
            return ConsensusLineChart.Series(name: "reward at 2\(superscript(log2)) H/s", color: color, points: points)
        }
        return ConsensusLineChart(
            title: "Reward per block against time since launch (\(name))",
            xLabel: "years since launch",
            yLabel: "EMB per block",
            xRange: 0...6,
            yRange: 0...(coins(emission.initialReward) * 1.1),
            xTicks: (0...6).map { ConsensusLineChart.Tick(value: Double($0), label: String($0)) },
            yTicks: yTicks(maximum: coins(emission.initialReward)),
            series: series,
            markers: [.init(x: 4, label: "time cap reaches the stable reward")])
    }

    /// Round steps (1, 2 or 5 times a power of ten) from 0 to `maximum`, at most ten of them.
    private static func yTicks(maximum: Double) -> [ConsensusLineChart.Tick] {
        let magnitude = pow(10, log10(maximum / 5).rounded(.down))
        let step = [1.0, 2, 5].map { $0 * magnitude }.first { maximum / $0 <= 10 } ?? 10 * magnitude
        return (0...Int((maximum * 1.05 / step).rounded(.down))).map { index in
            let value = Double(index) * step
            return ConsensusLineChart.Tick(value: value, label: String(format: "%g", value))
        }
    }

    private static func coins(_ amount: Amount) -> Double {
        Double(amount.units) / Double(Amount.unitsPerCoin)
    }
}
