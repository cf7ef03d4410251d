import ArgumentParser
import EmberConsensus

/// `--block-time-ms` and `--chain-count`: the block timing that turns targets into hash rates.
struct ConsensusTimingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Block time T in milliseconds.", valueName: "ms"))
    var blockTimeMs: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Chain count C (1 on Ember networks).", valueName: "C"))
    var chainCount: String?

    /// True when neither option was given.
    var isEmpty: Bool { blockTimeMs == nil && chainCount == nil }

    /// The timing both options describe; an error names a missing or unusable one.
    func timing() throws -> BlockTiming {
        let chains = try ConsensusArgument.requiredUInt64(chainCount, "--chain-count")
        let blockTime = try ConsensusArgument.requiredUInt64(blockTimeMs, "--block-time-ms")
        return try ConsensusArgument.checked { try BlockTiming(chainCount: chains, blockTimeMs: blockTime) }
    }
}
