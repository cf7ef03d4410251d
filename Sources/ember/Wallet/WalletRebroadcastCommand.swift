import ArgumentParser
import EmberNode
import Foundation

/// `ember wallet rebroadcast`: asks the node about every payment this wallet sent and has not seen
/// confirmed, and sends again those the node no longer knows.
struct WalletRebroadcastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebroadcast",
        abstract: "Send again this wallet's unconfirmed payments that the node no longer knows; print what happened to each.",
        discussion: """
            Payments are recorded beside the keystore (KEYSTORE.sent) when `wallet send` submits them, and \
            forgotten once confirmed or refused (an input spent by a conflicting transaction). `wallet send` \
            does this first on its own.
            """
    )

    @OptionGroup var file: WalletFileOptions
    @OptionGroup var node: WalletNodeOptions

    func run() async throws {
        let keystore = try file.readKeystore()
        let sent = WalletSentTransactions(keystorePath: try file.path())
        let sender = WalletSender(keystore: keystore, client: try node.client(for: keystore.network), sent: sent)
        let outcome = try await sender.rebroadcast(sent)
        for (label, txids) in [("confirmed", outcome.confirmed), ("pending", outcome.pending), ("resent", outcome.resent), ("dropped", outcome.dropped)] {
            for txid in txids { print("\(label) \(txid)") }
        }
    }
}
