import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore

/// `ember consensus next-target`: one step of the difficulty adjustment (DESIGN.md section 7).
struct ConsensusNextTargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next-target",
        abstract: "Compute the next block's target from its parent's target and the 17-block span.",
        usage: """
            ember consensus next-target --parent-target <bits> --span-ms <ms> --block-time-ms <ms> \
            --max-target <bits>
            """
    )

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The parent's compact target bits (8 hex digits).", valueName: "bits"))
    var parentTarget: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Milliseconds from the ancestor 17 blocks back to the parent (may be negative).", valueName: "ms"))
    var spanMs: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Block time T in milliseconds.", valueName: "ms"))
    var blockTimeMs: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The network's maximum target, as compact bits.", valueName: "bits"))
    var maxTarget: String?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let parent = try ConsensusArgument.requiredBits(parentTarget, "--parent-target")
        let span = try ConsensusArgument.bigInt(ConsensusArgument.required(spanMs, "--span-ms"), "--span-ms")
        let blockTime = try ConsensusArgument.requiredUInt64(blockTimeMs, "--block-time-ms")
        let maximum = try ConsensusArgument.requiredBits(maxTarget, "--max-target")
        let next = try ConsensusArgument.checked {
            try DifficultyAdjustment(blockTimeMs: blockTime, maxTarget: maximum)
                .nextTarget(parentTarget: parent, spanMs: span)
        }
        var json = ConsensusJSON()
        json.add("next", next.description)
        json.add("value", next.value.prefixedHex)
        print(json.text)
    }
}
