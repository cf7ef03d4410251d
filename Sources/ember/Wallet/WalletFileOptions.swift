import ArgumentParser
import EmberCrypto
import EmberNode
import Foundation

/// The options that find a wallet's keystore file.
struct WalletFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The keystore file (default: ./.ember/wallet-NETWORK.json).", valueName: "file"))
    var wallet: String?

    @Option(help: "mainnet, testnet or devnet: the network of a new wallet, and of the default keystore file (default: devnet).")
    var network: String?

    /// The network named by `--network`, devnet when none was given.
    func requestedNetwork() throws -> NetworkID {
        guard let network else { return .devnet }
        guard let id = NetworkID.allCases.first(where: { "\($0)" == network }) else {
            throw commandFailure("unknown network '\(network)'; use mainnet, testnet or devnet")
        }
        return id
    }

    /// The keystore path: `--wallet`, else the default file of the network.
    func path() throws -> String {
        if let wallet { return wallet }
        return FileManager.default.currentDirectoryPath + "/.ember/wallet-\(try requestedNetwork()).json"
    }

    /// Reads the keystore, refusing one of another network than an explicit `--network`.
    func readKeystore() throws -> Keystore {
        let path = try path()
        let keystore: Keystore
        do {
            keystore = try Keystore.read(path: path)
        } catch {
            throw commandFailure(error.description)
        }
        if network != nil, keystore.network != (try requestedNetwork()) {
            throw commandFailure("the wallet \(path) is for \(keystore.network), not \(try requestedNetwork())")
        }
        return keystore
    }
}
