import EmberConsensus
import Foundation

/// `ember consensus plot --chart attack`: a double spend's cost against its depth under the three
/// chain-weight models, and Nakamoto's success probability beside it.
enum AttackCostChart {
    static func panels(
        chains: AttackedChains, depths: ClosedRange<Int>, attackerShare: Double, name: String
    ) -> [ConsensusLineChart] {
        let costs = depths.map { chains.costs(depth: $0, attackerShare: attackerShare) }
        func series(
            _ model: ChainWeightModel, _ label: String, _ color: String, dashed: Bool = false,
            _ value: (AttackCost) -> Double
        ) -> ConsensusLineChart.Series {
            let points = costs.flatMap { $0.filter { $0.model == model } }.map { (x: Double($0.depth), y: value($0)) }
            return .init(name: label, color: color, dashed: dashed, points: points)
        }
        let lines = [
            series(.proofOfWork, "plain PoW: energy", "#868e96", dashed: true) { $0.expectedTotalCost },
            series(.polwBurnWeight, "burn-weighted PoLW: energy + burn", "#2f9e44") { $0.expectedTotalCost },
            series(.polwPhysicalWeight, "PoLW as implemented, branch wins: energy + burn", "#e8590c", dashed: true) {
                $0.energyCost + $0.burnCostIfWins
            },
            series(.polwPhysicalWeight, "PoLW as implemented: energy + P × burn", "#1c7ed6") { $0.expectedTotalCost },
        ]
        let maximum = max(lines.flatMap(\.points).map(\.y).max() ?? 0, 1e-9)
        let xRange = Double(depths.lowerBound)...Double(max(depths.upperBound, depths.lowerBound + 1))
        let xTicks = stride(from: depths.lowerBound, through: depths.upperBound, by: max(1, depths.count / 10)).map {
            ConsensusLineChart.Tick(value: Double($0), label: String($0))
        }
        let xLabel = "depth z: blocks on top of the payment's block (the branch replaces z + 1 blocks)"
        let probabilities = depths.compactMap { depth -> (x: Double, y: Double)? in
            let probability = DoubleSpendProbability.attackerSuccess(attackerShare: attackerShare, depth: depth)
            return probability > 0 ? (Double(depth), log10(probability)) : nil
        }
        let lowest = (probabilities.map(\.y).min() ?? -1).rounded(.down)
        let probabilityRange = min(lowest, -1)...0
        return [
            ConsensusLineChart(
                title: "Cost of a double spend at depth z (\(name), attacker share q = \(attackerShare))",
                xLabel: xLabel, yLabel: "attacker's cost per attempt, USD", xRange: xRange, yRange: 0...(maximum * 1.1),
                xTicks: xTicks, yTicks: ConsensusLineChart.ticks(maximum: maximum), series: lines),
            ConsensusLineChart(
                title: "Nakamoto's probability that the attacker catches up (q = \(attackerShare))",
                xLabel: xLabel, yLabel: "success probability P(q, z) (log scale)", xRange: xRange,
                yRange: probabilityRange, xTicks: xTicks,
                yTicks: ConsensusLineChart.powerTicks(probabilityRange, base: "10", every: Self.tickStep(probabilityRange)),
                series: [.init(name: "P(q, z), Bitcoin whitepaper §11", color: "#1c7ed6", points: probabilities)]),
        ]
    }

    /// Every power of ten up to ten of them, every second or more beyond: at most ten labels.
    private static func tickStep(_ range: ClosedRange<Double>) -> Int {
        max(1, Int(((range.upperBound - range.lowerBound) / 10).rounded(.up)))
    }
}
