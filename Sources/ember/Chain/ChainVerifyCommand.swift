import ArgumentParser
import EmberChain
import EmberNode
import Foundation

/// `ember chain verify`: rebuilds the UTXO set from the stored blocks and compares.
struct ChainVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Rebuild the UTXO set from the stored blocks; print `ok HEIGHT TIPHASH UTXOHASH` or what differs."
    )

    @Option(help: "The data folder of one network's chain.")
    var dataDir: String

    @OptionGroup var networkOptions: NetworkOptions

    func run() async throws {
        let folder = try networkOptions.openDataFolder(dataDir)
        let report: ChainVerifier.Report
        do {
            report = try await folder.verifyChain()
        } catch {
            throw commandFailure(error.description)
        }
        guard report.isConsistent else {
            for difference in report.differences { print("differs: \(difference)") }
            throw ExitCode.failure
        }
        print("ok \(report.tip.height) \(report.tip.hash) \(report.tip.utxoSetHash)")
    }
}
