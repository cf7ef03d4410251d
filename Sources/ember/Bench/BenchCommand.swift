import ArgumentParser

/// `ember bench`: measurements a person runs by hand; never part of the tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance, each figure beside a reference measured in the same run.",
        subcommands: [
            Blake3BenchCommand.self, ValidationBenchCommand.self, ImportBenchCommand.self, MempoolBenchCommand.self,
            MiningBenchCommand.self, VMBenchCommand.self, P2PBenchCommand.self, CovenantBlockBenchCommand.self,
            ChannelBenchCommand.self, ExplorerBenchCommand.self, SimulateBenchCommand.self, PlasmaBenchCommand.self,
            PlasmaOperatorBenchCommand.self, TruebitBenchCommand.self,
        ]
    )
}
