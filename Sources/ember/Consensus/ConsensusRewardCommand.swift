import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore

/// `ember consensus reward`: the block reward and PoLW burn (DESIGN.md sections 8 and 9).
struct ConsensusRewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract: "Compute a block's reward and burn from its target and the time since launch.",
        usage: """
            ember consensus reward --target <bits> --elapsed-ms <ms> --block-time-ms <ms> --chain-count <C> \
            [--polw-factor <k>] [--polw-threshold-hashrate <H/s>]
            """
    )

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The header's compact target bits (8 hex digits).", valueName: "bits"))
    var target: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Milliseconds since the network's launch timestamp.", valueName: "ms"))
    var elapsedMs: String?

    @OptionGroup var timingOptions: ConsensusTimingOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("PoLW factor k (default 8).", valueName: "k"))
    var polwFactor: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("PoLW threshold hash rate H_T in H/s (default 2^60).", valueName: "H/s"))
    var polwThresholdHashrate: String?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let target = try ConsensusArgument.requiredBits(target, "--target")
        let elapsed = try ConsensusArgument.requiredUInt64(elapsedMs, "--elapsed-ms")
        let timing = try timingOptions.timing()
        let factor = try polwFactor.map { try ConsensusArgument.uint64($0, "--polw-factor") }
            ?? ConsensusParams.defaultPolwFactor
        let threshold = try polwThresholdHashrate.map {
            try ConsensusArgument.bigUInt($0, "--polw-threshold-hashrate")
        } ?? ConsensusParams.defaultPolwThresholdHashRate
        let reward = try ConsensusArgument.checked {
            try EmissionSchedule(timing: timing, polwFactor: factor, polwThresholdHashRate: threshold)
                .reward(target: target, elapsedMs: elapsed)
        }
        print(Self.json(reward).text)
    }

    /// `{"kind", "reward", "burnt"}`, and `"polwTarget"` under PoLW.
    static func json(_ reward: BlockReward) -> ConsensusJSON {
        var json = ConsensusJSON()
        switch reward {
        case .pow: json.add("kind", "pow")
        case .polw: json.add("kind", "polw")
        }
        json.add("reward", reward.reward.description)
        json.add("burnt", reward.burnt.description)
        if case .polw(_, _, let polwTarget) = reward {
            json.add("polwTarget", polwTarget.description)
        }
        return json
    }
}
