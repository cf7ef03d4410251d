import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore
import Foundation

/// `ember bench simulate`: the PoLW simulator over 10 years of 64-second mainnet blocks, block by block,
/// beside the consensus reward function itself called for blocks of the same run.
struct SimulateBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "PoLW simulator blocks per second over 10 years of blocks (a hash-rate path and an equilibrium) against the reward rule's own speed."
    )

    /// The issue's target: 10 years of 64-second blocks in under 10 s.
    static let targetSeconds = 10.0
    /// Calls of the uncached reward rule the reference times.
    static let referenceCalls = 20_000

    @Option(help: "Days to simulate (default 3650: ten years).")
    var days: UInt64 = 3_650

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    private struct Run {
        let blocks: UInt64
        let seconds: Double
        let energyJoules: Double
        var blocksPerSecond: Double { Double(blocks) / seconds }
    }

    func run() throws {
        let path = try HashRatePath(points: [
            .init(day: 0, hashRate: 0x1p58), .init(day: Double(days), hashRate: 0x1p64),
        ])
        let economics = try MiningEconomics(joulesPerHash: 2e-10, electricityPricePerKilowattHour: 0.05, coinPrice: 100)
        let schedule = ConsensusParams.mainnet.emission
        let pathScenario = try SimulationScenario(
            schedule: schedule, economics: economics, hashRate: .path(path), days: days)
        let equilibriumScenario = try SimulationScenario(
            schedule: schedule, economics: economics, hashRate: .equilibrium, days: days)

        let pathRun = try measure(pathScenario)
        let equilibriumRun = try measure(equilibriumScenario)
        let referenceRate = try referenceRewardsPerSecond(schedule: schedule, path: path, blocks: pathRun.blocks)
        let ratio = pathRun.blocksPerSecond / referenceRate

        if json {
            let fields: [(String, String)] = [
                ("blocks", String(pathRun.blocks)),
                ("pathSeconds", jsonNumber(pathRun.seconds)),
                ("equilibriumSeconds", jsonNumber(equilibriumRun.seconds)),
                ("pathBlocksPerSec", jsonNumber(pathRun.blocksPerSecond)),
                ("referenceRewardsPerSec", jsonNumber(referenceRate)),
                ("ratio", jsonNumber(ratio)),
            ]
            print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
            return
        }
        print("\(pathRun.blocks) blocks of \(schedule.timing.blockTimeMs / 1_000) s (\(days) days), block by block:")
        print(String(format: "hash-rate path 2^58→2^64  %6.2f s  (%.2f M blocks/s)  %@", pathRun.seconds,
                     pathRun.blocksPerSecond / 1e6, verdict(pathRun.seconds)))
        print(String(format: "equilibrium               %6.2f s  (%.2f M blocks/s)  %@", equilibriumRun.seconds,
                     equilibriumRun.blocksPerSecond / 1e6, verdict(equilibriumRun.seconds)))
        print(String(format: "reference: EmissionSchedule.reward uncached, %.0f calls/s (%.1f s for every block)",
                     referenceRate, Double(pathRun.blocks) / referenceRate))
        print(String(format: "ratio (simulated blocks/s ÷ reward calls/s): %.1f", ratio))
        print(String(format: "(checksum: %.3e J over the path run)", pathRun.energyJoules))
    }

    private func verdict(_ seconds: Double) -> String {
        seconds < Self.targetSeconds ? "under the 10 s target" : "OVER the 10 s target"
    }

    /// Runs the whole scenario block by block into a sink that sums the energy, so nothing is skipped.
    private func measure(_ scenario: SimulationScenario) throws -> Run {
        var blocks: UInt64 = 0
        var energy = 0.0
        let clock = ContinuousClock()
        let start = clock.now
        try PolwSimulator.run(scenario, granularity: .block) { step in
            blocks += step.blocks
            energy += step.energyJoules
        }
        return Run(blocks: blocks, seconds: (clock.now - start).seconds, energyJoules: energy)
    }

    /// The consensus reward rule, without the simulator's memo, on blocks spread over the same run.
    private func referenceRewardsPerSecond(schedule: EmissionSchedule, path: HashRatePath, blocks: UInt64) throws -> Double {
        let spacing = max(1, blocks / UInt64(Self.referenceCalls))
        let inputs = (0..<UInt64(Self.referenceCalls)).map { index -> (CompactTarget, UInt64) in
            let elapsedMs = (1 + index * spacing) * schedule.timing.blockTimeMs
            let hashRate = path.hashRate(atDay: Double(elapsedMs / SimulationScenario.dayMs))
            return (schedule.timing.target(forHashRate: BigUInt(hashRate)), elapsedMs)
        }
        var burnt = Amount.zero
        let clock = ContinuousClock()
        let start = clock.now
        for (target, elapsedMs) in inputs {
            burnt = try schedule.reward(target: target, elapsedMs: elapsedMs).burnt
        }
        let seconds = (clock.now - start).seconds
        precondition(burnt.units < UInt128.max, "keeps the calls from being optimised away")
        return Double(Self.referenceCalls) / seconds
    }
}
