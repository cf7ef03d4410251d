import ArgumentParser
import EmberNode

/// `ember wallet address`: the address to give to payers.
struct WalletAddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Print the wallet's address.",
        discussion: """
            The address is stored in the clear so no passphrase is needed; --verify unlocks the key and \
            checks that the address is really its own (the keystore authenticates it).
            """
    )

    @OptionGroup var file: WalletFileOptions
    @OptionGroup var passphrase: WalletPassphraseOptions

    @Flag(help: "Unlock the key with the passphrase and check the address belongs to it.")
    var verify = false

    func run() throws {
        let keystore = try file.readKeystore()
        if verify {
            let secret = try passphrase.passphrase(confirm: false)
            do {
                _ = try keystore.unlock(passphrase: secret)
            } catch {
                throw commandFailure(error.description)
            }
        }
        print(keystore.address)
    }
}
