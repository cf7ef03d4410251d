/// Runs a scenario block by block and reports each block, or each day's blocks summed.
public enum PolwSimulator {
    public enum Granularity: String, Hashable, Sendable, CaseIterable {
        case block, day
    }

    /// Calls `emit` with every step in height order, starting at height 1 one block time after launch.
    public static func run(
        _ scenario: SimulationScenario, granularity: Granularity, emit: (SimulationStep) throws -> Void
    ) throws {
        let blockTimeMs = scenario.schedule.timing.blockTimeMs
        guard scenario.blockCount > 0 else { return }
        var blocks = ScenarioBlocks(scenario: scenario)
        var supply = SimulatedSupply()
        var block: BlockEconomics?
        var period: (day: UInt64, timeCapStep: UInt64)?
        var step: SimulationStep?
        for height in 1...scenario.blockCount {
            let elapsedMs = height * blockTimeMs
            let day = elapsedMs / SimulationScenario.dayMs
            let timeCapStep = blocks.timeCapStep(elapsedMs: elapsedMs)
            if period?.day != day || period?.timeCapStep != timeCapStep {
                period = (day, timeCapStep)
                block = try blocks.block(atElapsedMs: elapsedMs)
            }
            guard let block else { preconditionFailure("the first block starts a period") }
            try supply.add(block, height: height)
            if granularity == .block || step?.day != day {
                if let finished = step { try emit(finished) }
                step = SimulationStep(firstHeight: height, startElapsedMs: elapsedMs)
            }
            try step?.add(block, supply: supply)
        }
        if let finished = step { try emit(finished) }
    }
}
