import BigInt
import EmberConsensus
import Foundation

/// `ember consensus plot --chart energy`: energy and burn per block against the hash rate the reward
/// follows, for plain PoW and for PoLW with k = 8, 16 and 32, every point from the consensus rules.
enum PolwEnergyChart {
    private static let factors: [(k: UInt64, color: String)] = [
        (1, "#868e96"), (8, "#1c7ed6"), (16, "#2f9e44"), (32, "#e8590c"),
    ]
    /// The hash-rate cap pays nothing from 2^67 H/s on, so nothing beyond it is mined.
    private static let zeroRewardLog2 = 67.0
    /// How far below the threshold the charts start, in powers of two.
    private static let log2SpanBelowThreshold = 10.0

    static func panels(scenario: SimulationScenario, elapsedMs: UInt64, name: String) throws -> [ConsensusLineChart] {
        let schedule = scenario.schedule
        let threshold = Double(schedule.polwThresholdHashRate)
        let thresholdLog2 = log2(max(threshold, 1))
        let xRange = max(0, thresholdLog2 - log2SpanBelowThreshold)...max(zeroRewardLog2, thresholdLog2 + 1)
        let samples = stride(from: xRange.lowerBound, through: xRange.upperBound, by: 0.05).map { $0 }
        var energy: [ConsensusLineChart.Series] = []
        var burn: [ConsensusLineChart.Series] = []
        for (factor, color) in factors {
            let model = try ConsensusArgument.checked { try scenario.withPolwFactor(factor) }
            var energyPoints: [(x: Double, y: Double)] = []
            var burnPoints: [(x: Double, y: Double)] = []
            for log2Virtual in samples {
                let block = try block(virtualLog2: log2Virtual, scenario: model, elapsedMs: elapsedMs)
                guard block.virtualHashRate.isFinite, block.virtualHashRate > 0 else { continue }
                let x = log2(block.virtualHashRate)
                energyPoints.append((x, log10(block.energyJoules / MiningEconomics.joulesPerKilowattHour)))
                burnPoints.append((x, MiningEconomics.coins(block.reward.burnt)))
            }
            let label = factor == 1 ? "plain PoW (k = 1)" : "PoLW, k = \(factor)"
            energy.append(.init(name: label, color: color, dashed: factor == 1, points: energyPoints))
            burn.append(.init(name: label, color: color, dashed: factor == 1, points: burnPoints))
        }
        let energyValues = energy.flatMap(\.points).map(\.y)
        let energyRange = (energyValues.min() ?? 0).rounded(.down)...(energyValues.max() ?? 1).rounded(.up)
        let maxBurn = max(burn.flatMap(\.points).map(\.y).max() ?? 0, 1e-9)
        let economics = scenario.economics
        let xLabel = "hash rate the reward follows (PoW: physical, PoLW: virtual), H/s, log scale; "
            + "T = \(schedule.timing.blockTimeMs / 1_000) s, H_T = 2\(ConsensusLineChart.superscript(Int(thresholdLog2))) H/s"
        let xTicks = ConsensusLineChart.powerTicks(xRange, base: "2", every: 5)
        let band = ConsensusLineChart.Marker(x: thresholdLog2, label: "PoLW: hash rate above H_T")
        let day = elapsedMs / SimulationScenario.dayMs
        return [
            ConsensusLineChart(
                title: "Energy per block (\(name), day \(day), \(economics.joulesPerHash) J per hash)",
                xLabel: xLabel, yLabel: "energy per block, kWh (log scale)", xRange: xRange, yRange: energyRange,
                xTicks: xTicks, yTicks: ConsensusLineChart.powerTicks(energyRange, base: "10"), series: energy,
                shadedFrom: band, legendOffset: 30),
            ConsensusLineChart(
                title: "Coins burnt per block (\(name), day \(day))",
                xLabel: xLabel, yLabel: "burnt per block, EMB", xRange: xRange, yRange: 0...(maxBurn * 1.1),
                xTicks: xTicks, yTicks: ConsensusLineChart.ticks(maximum: maxBurn), series: burn,
                shadedFrom: band, legendOffset: 30),
        ]
    }

    /// The block whose reward follows 2^`virtualLog2` H/s: below the threshold the physical hash rate
    /// is that rate itself; above it, the rate whose virtual hash rate `k·HR − (k−1)·H_T` it is.
    private static func block(
        virtualLog2: Double, scenario: SimulationScenario, elapsedMs: UInt64
    ) throws -> BlockEconomics {
        let schedule = scenario.schedule
        let virtual = pow(2, virtualLog2)
        let threshold = Double(schedule.polwThresholdHashRate)
        let k = Double(schedule.polwFactor)
        let physical = virtual <= threshold ? virtual : (virtual + (k - 1) * threshold) / k
        let target = schedule.timing.target(forHashRate: BigUInt(physical.rounded(.down)))
        return try ConsensusArgument.checked {
            try BlockEconomics(target: target, elapsedMs: elapsedMs, schedule: schedule, economics: scenario.economics)
        }
    }
}
