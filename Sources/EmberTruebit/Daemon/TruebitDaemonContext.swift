import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation

/// What a Truebit daemon works with: its store, the node it follows and submits to, the builders (whose
/// funding key pays deposits, dust and fees), and the clock funding lock times are compared with.
public struct TruebitDaemonContext: Sendable {
    public let store: TruebitStore
    public let node: NodeAPIClient
    public let transactions: TruebitTransactions
    public let nowMs: @Sendable () -> UInt64

    public init(
        store: TruebitStore, node: NodeAPIClient, transactions: TruebitTransactions,
        nowMs: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.store = store
        self.node = node
        self.transactions = transactions
        self.nowMs = nowMs
    }
}

extension SigningKey {
    /// The public key as a lock body names it.
    var rawPublicKey: RawPublicKey {
        // A public key is 32 bytes by construction, the one length RawPublicKey accepts.
        guard let raw = RawPublicKey(publicKey.bytes) else { preconditionFailure("a public key is not 32 bytes") }
        return raw
    }
}
