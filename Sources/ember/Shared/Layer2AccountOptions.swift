import ArgumentParser
import EmberConsensus
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation

/// What every layer-2 client command shares: the node it talks to and the key that signs and pays fees
/// and deposits, a devnet seed key or a keystore unlocked with the wallet passphrase.
struct Layer2AccountOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The node's API (default: http://127.0.0.1:19271 on devnet, port 9271 otherwise).", valueName: "url"))
    var node: String?
    @Option(help: ArgumentHelp("The keystore file of the key, which also pays fees and deposits (default: ./.ember/wallet-NETWORK.json).", valueName: "file"))
    var key: String?
    @Option(help: "Use devnet seed key N (0…7) instead of a keystore.")
    var devnetKey: UInt32?
    @OptionGroup var passphrase: WalletPassphraseOptions
    @Option(help: "mainnet, testnet or devnet (default: devnet, or the keystore's).")
    var network: String?

    /// The key and its network.
    func signingKey() throws -> (SigningKey, NetworkID) {
        if let devnetKey {
            guard devnetKey < 8 else { throw commandFailure("--devnet-key must be 0…7") }
            return (.devnet(index: devnetKey), .devnet)
        }
        var files = WalletFileOptions()
        files.wallet = key
        files.network = network
        let keystore = try files.readKeystore()
        do {
            return (try keystore.unlock(passphrase: try passphrase.passphrase(confirm: false)), keystore.network)
        } catch {
            throw commandFailure("cannot unlock \(try files.path()): \(error)")
        }
    }

    /// The node's API client for `network`, not contacted yet.
    func nodeClient(for network: NetworkID) throws -> NodeAPIClient {
        var nodeOptions = WalletNodeOptions()
        nodeOptions.node = node
        return NodeAPIClient(baseURL: try nodeOptions.client(for: network).baseURL)
    }
}
