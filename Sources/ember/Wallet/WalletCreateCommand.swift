import ArgumentParser
import EmberCrypto
import EmberNode
import Foundation

/// `ember wallet create`: a new key, or a devnet seed key, sealed in a new keystore file.
struct WalletCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a keystore with a new key (or a funded devnet seed key); print its path and address.",
        discussion: "An existing file is never overwritten."
    )

    /// Devnet's genesis funds seed keys 0 to 7.
    static let devnetSeedCount: UInt32 = 8

    @OptionGroup var file: WalletFileOptions
    @OptionGroup var passphrase: WalletPassphraseOptions

    @Option(help: ArgumentHelp("Use devnet seed key I (0-7), funded at genesis, instead of a new key.", valueName: "I"))
    var devnetSeed: UInt32?

    func run() throws {
        let network = try file.requestedNetwork()
        if let devnetSeed {
            guard network == .devnet else { throw commandFailure("--devnet-seed applies to a devnet wallet only") }
            guard devnetSeed < Self.devnetSeedCount else {
                throw commandFailure("--devnet-seed must be 0 to \(Self.devnetSeedCount - 1); got \(devnetSeed)")
            }
        }
        let path = try file.path()
        // Before asking for a passphrase, so no one types one for nothing.
        if FileManager.default.fileExists(atPath: path) { throw commandFailure(KeystoreError.alreadyExists(path: path).description) }

        let key = devnetSeed.map(SigningKey.devnet(index:)) ?? SigningKey()
        let secret = try passphrase.passphrase(confirm: true)
        do {
            let kdf = try KeystoreKDFParameters()
            let keystore = try Keystore.create(key: key, network: network, passphrase: secret, kdf: kdf)
            try keystore.write(path: path)
            print("created \(path)")
            print("address \(keystore.address)")
        } catch {
            throw commandFailure(error.description)
        }
    }
}
