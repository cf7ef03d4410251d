import EmberConsensus
import EmberCore
import EmberCrypto

/// Pays an address from a keystore's key through a node: what `ember wallet send` does.
///
/// Everything that can be checked is checked before the passphrase is asked for (amount, address and
/// network, the node's network, funds and fee), and nothing reaches the node unless the signed
/// transaction passed the consensus self-check.
public struct WalletSender: Sendable {
    public let keystore: Keystore
    public let client: NodeClient
    public let params: ConsensusParams
    /// Where sent transactions are recorded until they confirm (`rebroadcast`); nil records nothing.
    public let sent: WalletSentTransactions?

    public init(keystore: Keystore, client: NodeClient, sent: WalletSentTransactions? = nil) {
        self.keystore = keystore
        self.client = client
        self.sent = sent
        params = Self.params(for: keystore.network)
    }

    /// The rules of `network` that a payment must meet. What the wallet uses of them (fee rate, dust,
    /// maximum amount, list and size limits, network id) is the same on every devnet, so the default
    /// devnet settings serve for all.
    public static func params(for network: NetworkID) -> ConsensusParams {
        switch network {
        case .mainnet: return .mainnet
        case .testnet: return .testnet
        case .devnet:
            do {
                return try .devnet()
            } catch {
                preconditionFailure("the default devnet settings are invalid: \(error)")
            }
        }
    }

    /// Sends `amountText` EMB to `addressText` and returns the payment the node accepted.
    ///
    /// - Parameters:
    ///   - feeRate: units per byte; the network minimum when nil.
    ///   - nowMs: the time against which output lock times are compared.
    ///   - passphrase: asked only once the payment is known to be possible; its errors pass through.
    /// - Throws: `WalletSendError`, or what `passphrase` throws.
    public func send(
        amount amountText: String, to addressText: String, feeRate: Amount? = nil, nowMs: UInt64,
        passphrase: () throws -> [UInt8]
    ) async throws -> WalletTransactionBuilder.Payment {
        let amount: Amount
        do { amount = try CoinAmount.parse(amountText) } catch { throw WalletSendError.amount(error) }
        let payee: Address
        do { payee = try Address.parse(addressText, expecting: keystore.network) } catch { throw WalletSendError.address(error) }

        let outputs: [WalletOutput]
        do {
            try await client.requireNetwork(keystore.network)
            outputs = try await client.outputs(of: keystore.address)
        } catch {
            throw WalletSendError.node(error)
        }
        // A rehearsal with a throwaway key reports a shortfall before anyone types a passphrase: sizes
        // and fees do not depend on which key signs.
        _ = try build(with: SigningKey(), amount: amount, payee: payee, outputs: outputs, feeRate: feeRate, nowMs: nowMs)

        let key: SigningKey
        do { key = try keystore.unlock(passphrase: try passphrase()) } catch let error as KeystoreError {
            throw WalletSendError.keystore(error)
        }
        let payment = try build(with: key, amount: amount, payee: payee, outputs: outputs, feeRate: feeRate, nowMs: nowMs)
        // Recorded before it is sent, so that a crash in between cannot lose it; `rebroadcast` sends
        // it again until it confirms, or forgets it once the node refuses it.
        try? sent?.record(payment.transaction)
        let txid: Hash32
        do { txid = try await client.submit(payment.transaction) } catch {
            if case .refused = error { try? sent?.remove([payment.digests.txid]) }
            throw WalletSendError.node(error)
        }
        guard txid == payment.digests.txid else { throw WalletSendError.txidMismatch(expected: payment.digests.txid, reported: txid) }
        return payment
    }

    private func build(
        with key: SigningKey, amount: Amount, payee: Address, outputs: [WalletOutput], feeRate: Amount?, nowMs: UInt64
    ) throws(WalletSendError) -> WalletTransactionBuilder.Payment {
        do {
            return try WalletTransactionBuilder(params: params, key: key)
                .build(paying: amount, to: payee, from: outputs, feeRate: feeRate, nowMs: nowMs)
        } catch {
            throw .build(error)
        }
    }
}
