import ArgumentParser
import EmberNode

/// `ember wallet balance`: what the node has confirmed for the wallet's address.
struct WalletBalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Print the wallet's confirmed balance and the part of it that is spendable now, in EMB."
    )

    @OptionGroup var file: WalletFileOptions
    @OptionGroup var node: WalletNodeOptions

    func run() async throws {
        let keystore = try file.readKeystore()
        let client = try await node.connect(for: keystore.network)
        let balance = try await orFail { () async throws(WalletNodeError) in try await client.balance(of: keystore.address) }
        print("address   \(keystore.address)")
        print("confirmed \(CoinAmount.formatWithUnit(balance.balance))")
        print("spendable \(CoinAmount.formatWithUnit(balance.spendable))")
        print("outputs   \(balance.outputCount)")
    }
}
