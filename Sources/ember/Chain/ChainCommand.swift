import ArgumentParser

/// `ember chain`: work on a data folder's chain without running a node.
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Verify, export and import the chain of a data folder.",
        subcommands: [ChainVerifyCommand.self, ChainExportCommand.self, ChainImportCommand.self, ChainGenerateCommand.self]
    )
}
