import ArgumentParser

/// `ember wallet`: a key in an encrypted keystore file, and payments through a node's API.
struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Create a wallet, show its address, balance and history, and send EMB through a node.",
        discussion: """
            Amounts are written and shown in EMB with up to 18 decimals. The key is kept in a keystore \
            file encrypted under a passphrase, read from --passphrase-file, the environment variable \
            EMBER_WALLET_PASSPHRASE, or asked on the terminal. See docs/wallet.md.
            """,
        subcommands: [
            WalletCreateCommand.self, WalletAddressCommand.self, WalletBalanceCommand.self, WalletSendCommand.self,
            WalletHistoryCommand.self, WalletRebroadcastCommand.self,
        ]
    )
}
