import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
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
        // Everything that needs neither node nor key is checked first.
        let units: Amount
        do { units = try CoinAmount.parse(amount) } catch { throw commandFailure(error.description) }
        let keystore = try file.readKeystore()
        let payee: Address
        do { payee = try Address.parse(to, expecting: keystore.network) } catch { throw commandFailure(error.description) }
        let rate = try parsedFeeRate()
        let params = try Self.params(for: keystore.network)

        let client = try await node.connect(for: keystore.network)
        let outputs = try await orFail { () async throws(WalletNodeError) in try await client.outputs(of: keystore.address) }
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1_000)
        // A rehearsal with a throwaway key reports a shortfall before anyone types a passphrase: sizes and
        // fees do not depend on which key signs.
        _ = try build(WalletTransactionBuilder(params: params, key: SigningKey()), units, payee, outputs, rate, nowMs)

        let key: SigningKey
        do {
            key = try keystore.unlock(passphrase: try passphrase.passphrase(confirm: false))
        } catch let error as KeystoreError {
            throw commandFailure(error.description)
        }
        let payment = try build(WalletTransactionBuilder(params: params, key: key), units, payee, outputs, rate, nowMs)
        let txid = try await orFail { () async throws(WalletNodeError) in try await client.submit(payment.transaction) }
        guard txid == payment.digests.txid else {
            throw commandFailure("the node accepted the transaction but reported txid \(txid) instead of \(payment.digests.txid)")
        }
        print(txid)
    }

    private func build(
        _ builder: WalletTransactionBuilder, _ amount: Amount, _ payee: Address, _ outputs: [WalletOutput], _ rate: Amount?,
        _ nowMs: UInt64
    ) throws -> WalletTransactionBuilder.Payment {
        do {
            return try builder.build(paying: amount, to: payee, from: outputs, feeRate: rate, nowMs: nowMs)
        } catch {
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

    /// The rules a payment must meet; those the wallet uses (fees, dust, limits) are the same on every devnet.
    static func params(for network: NetworkID) throws -> ConsensusParams {
        switch network {
        case .mainnet: return .mainnet
        case .testnet: return .testnet
        case .devnet:
            do { return try .devnet() } catch { throw commandFailure("devnet parameters: \(error)") }
        }
    }
}
