import ArgumentParser
import Foundation

/// The `ember` command line: a thin shell over the library targets.
@main
struct Ember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ember",
        abstract: "Ember: a Proof-of-Less-Work blockchain node and its tools.",
        subcommands: [
            DevnetCommand.self, NodeCommand.self, WalletCommand.self, ChainCommand.self, HashCommand.self,
            ConsensusCommand.self, VMCommand.self, TxCommand.self, ChannelCommand.self, PlasmaCommand.self, TruebitCommand.self, BenchCommand.self,
        ]
    )

    /// Runs the command, turning every argument mistake into one line on standard error and exit
    /// status 1, as Ember's commands promise, instead of the parser's usage text and status 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let firstLine = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            FileHandle.standardError.write(Data("ember: \(firstLine) (see ember --help)\n".utf8))
            exit(withError: ExitCode.failure)
        }
    }
}
