import ArgumentParser
import EmberCore
import EmberNode
import Foundation

/// `ember wallet history`: the confirmed transactions that paid or spent the wallet's address.
struct WalletHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the wallet's confirmed transactions, newest first: height, time (UTC), net change in EMB, txid."
    )

    @OptionGroup var file: WalletFileOptions
    @OptionGroup var node: WalletNodeOptions

    @Option(help: "How many transactions to list (1 to \(NodeClient.maxHistoryLimit)).")
    var limit = 20

    func run() async throws {
        guard (1...NodeClient.maxHistoryLimit).contains(limit) else {
            throw commandFailure("--limit must be 1 to \(NodeClient.maxHistoryLimit); got \(limit)")
        }
        let keystore = try file.readKeystore()
        let client = try await node.connect(for: keystore.network)
        let entries = try await orFail { () async throws(WalletNodeError) in
            try await client.history(of: keystore.address, limit: limit)
        }
        guard !entries.isEmpty else {
            print("no confirmed transactions for \(keystore.address)")
            return
        }
        let formatter = ISO8601DateFormatter()
        for entry in entries {
            let date = formatter.string(from: Date(timeIntervalSince1970: Double(entry.timestampMs) / 1_000))
            print("\(entry.height)  \(date)  \(Self.netChange(entry))  \(entry.txid)")
        }
    }

    /// What the transaction changed for the wallet: `+1.5 EMB` or `-0.25 EMB`.
    static func netChange(_ entry: AddressHistoryEntry) -> String {
        if let gain = entry.received.subtracting(entry.sent) { return "+" + CoinAmount.formatWithUnit(gain) }
        return "-" + CoinAmount.formatWithUnit(entry.sent.subtracting(entry.received) ?? .zero)
    }
}
