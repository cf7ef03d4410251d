import ArgumentParser
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation

/// `ember tx build`: a transaction from a JSON description (docs/tx-cli.md).
struct TxBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a transaction from a JSON description; print its hex, then its txid.",
        discussion: """
            The description names the version, inputs (outpoint, unlock, witness items), reads, outputs (amount in \
            units, lock as hex, {"pubKeyHash": hex} or {"address": "em..."}), blobs, and optionally a keystore \
            whose key signs the inputs with "unlock": "keystore" (see docs/tx-cli.md). Nothing is checked \
            against a chain: submit checks that.
            """
    )

    @Option(help: ArgumentHelp("The JSON description (default: standard input).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("The keystore that signs (overrides the description's \"keystore\").", valueName: "file"))
    var wallet: String?

    @OptionGroup var passphrase: WalletPassphraseOptions

    func run() async throws {
        let data = try readDescription()
        let template: TransactionTemplate
        do {
            template = try TransactionTemplate.parse(json: data)
        } catch {
            throw commandFailure("the description is invalid: \(error)")
        }
        var key: SigningKey?
        var network = NetworkID.devnet
        if template.needsSigningKey {
            guard let path = wallet ?? template.keystore else {
                throw commandFailure("an input is signed by the keystore; name one with --wallet or \"keystore\"")
            }
            do {
                let keystore = try Keystore.read(path: path)
                key = try keystore.unlock(passphrase: try passphrase.passphrase(confirm: false))
                network = keystore.network
            } catch let error as KeystoreError {
                throw commandFailure(error.description)
            }
        }
        do {
            let transaction = try template.transaction(signingKey: key, network: network)
            print(transaction.encoded.hexString)
            print(transaction.txid)
        } catch {
            throw commandFailure(error.description)
        }
    }

    private func readDescription() throws -> Data {
        let handle: FileHandle
        if let json {
            do {
                handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: json))
            } catch {
                throw commandFailure("cannot read \(json): \(error.localizedDescription)")
            }
        } else {
            handle = FileHandle.standardInput
        }
        defer { if json != nil { try? handle.close() } }
        let data = (try? handle.read(upToCount: TransactionTemplate.maxJSONSize + 1)) ?? Data()
        guard data.count <= TransactionTemplate.maxJSONSize else {
            throw commandFailure("the description is longer than \(TransactionTemplate.maxJSONSize) bytes")
        }
        return data
    }
}
