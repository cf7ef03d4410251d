import ArgumentParser

/// `ember tx`: decode, build and submit transactions by hand or from tests.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Decode, build and submit transactions (version 1 and 2, covenant locks and unlocks).",
        subcommands: [TxDecodeCommand.self, TxBuildCommand.self, TxSubmitCommand.self]
    )
}
