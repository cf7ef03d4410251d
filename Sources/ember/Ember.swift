import ArgumentParser

/// The `ember` command line: a thin shell over the library targets.
@main
struct Ember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ember",
        abstract: "Ember: a Proof-of-Less-Work blockchain node and its tools.",
        subcommands: [HashCommand.self, BenchCommand.self, VMCommand.self]
    )
}
