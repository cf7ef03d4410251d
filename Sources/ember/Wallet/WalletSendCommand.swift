import ArgumentParser
import EmberCore
import EmberNode
import Foundation

/// `ember wallet send`: pays an address from the wallet's confirmed outputs through the node.
struct WalletSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send EMB to an address; print the txid.",
        discussion: """
            Nothing is sent when the address is not for the node's network, the amount has more than 18 \
            decimals, or the spendable balance does not cover the amount and the fee. The fee is the fee \
            rate times the transaction's size; change below the dust limit goes to the fee.
            """
    )

    @OptionGroup var file: WalletFileOptions
    @OptionGroup var passphrase: WalletPassphraseOptions
    @OptionGroup var node: WalletNodeOptions

    @Option(help: ArgumentHelp("The address to pay.", valueName: "address"))
    var to: String

    @Option(help: ArgumentHelp("The amount in EMB, up to 18 decimals (such as 12.5).", valueName: "EMB"))
    var amount: String

    @Option(help: ArgumentHelp("Fee rate in units per byte (default: the network minimum, 10^10).", valueName: "units"))
    var feeRate: String?

    func run() async throws {
        let keystore = try file.readKeystore()
        let rate = try parsedFeeRate()
        let sent = WalletSentTransactions(keystorePath: try file.path())
        let sender = WalletSender(keystore: keystore, client: try node.client(for: keystore.network), sent: sent)
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1_000)
        // Earlier payments a node lost (a kill before it saved its pool) go out again first.
        if let earlier = try? await sender.rebroadcast(sent), !earlier.resent.isEmpty {
            FileHandle.standardError.write(Data("sent again: \(earlier.resent.map(\.description).joined(separator: ", "))\n".utf8))
        }
        do {
            let payment = try await sender.send(amount: amount, to: to, feeRate: rate, nowMs: nowMs) {
                try passphrase.passphrase(confirm: false)
            }
            print(payment.digests.txid)
        } catch let error as WalletSendError {
            throw commandFailure(error.description)
        }
    }

    private func parsedFeeRate() throws -> Amount? {
        guard let feeRate else { return nil }
        guard let rate = CoinAmount.parseUnits(feeRate) else {
            throw commandFailure("--fee-rate must be a whole number of units per byte; got '\(feeRate)'")
        }
        return rate
    }
}
