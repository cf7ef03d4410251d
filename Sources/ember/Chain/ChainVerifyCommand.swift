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
        // A folder stopped between its creation and its first block holds no chain yet, which is
        // consistent: open it as every start does (connecting genesis), then verify.
        if (try? folder.store.tip()) == nil {
            do {
                _ = try await Chain(params: folder.params, store: folder.store)
            } catch {
                throw commandFailure("the folder holds no chain and genesis could not be connected: \(error)")
            }
        }
        let report: ChainVerifier.Report
        do {
            report = try ChainVerifier.verify(folder.store)
        } catch {
            throw commandFailure("verification could not run: \(error)")
        }
        guard report.isConsistent else {
            for difference in report.differences { print("differs: \(difference)") }
            throw ExitCode.failure
        }
        print("ok \(report.tip.height) \(report.tip.hash) \(report.tip.utxoSetHash)")
    }
}
