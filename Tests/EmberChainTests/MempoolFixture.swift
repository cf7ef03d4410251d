import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// A devnet chain whose seed accounts can pay at once, with an empty mempool on top, and real signed
/// transactions to feed it.
struct MempoolFixture {
    var chain: ChainBuilder
    var pool: MempoolState

    static let recipient = Lock.pubKeyHash(SigningKey.devnet(index: 7).publicKey.publicKeyHash)
    static let oneCoin = Amount(coins: 1)!

    init(policy: MempoolPolicy = MempoolPolicy()) throws {
        chain = ChainBuilder()
        try chain.extend(by: 1)
        pool = MempoolState(params: chain.params, policy: policy)
    }

    var nowMs: UInt64 { chain.nowMs }

    /// A fee of `multiple` times the minimum for 1 000 bytes: every test transaction is smaller, so
    /// fee rates rank as the multiples do.
    static func fee(_ multiple: UInt128) -> Amount { Amount(units: 10_000_000_000 * 1_000 * multiple) }

    /// One coin from seed account `seed` to the recipient, change back to the seed key.
    func payment(seed: UInt32, fee: Amount, amount: Amount = oneCoin) -> Transaction {
        chain.payment(from: chain.seedOutPoint(seed), key: .devnet(index: seed), amount: amount, fee: fee, to: Self.recipient)
    }

    /// One coin from `parent`'s change output (output 1, owned by `seed`'s key), change back again.
    func child(of parent: Transaction, seed: UInt32, fee: Amount) -> Transaction {
        let available = parent.outputs[1].amount
        let key = SigningKey.devnet(index: seed)
        return chain.spend([(OutPoint(txid: parent.txid, index: 1), key)], to: [
            Output(amount: Self.oneCoin, lock: Self.recipient),
            Output(amount: available.subtracting(Self.oneCoin)!.subtracting(fee)!, lock: .pubKeyHash(key.publicKey.publicKeyHash)),
        ])
    }

    /// Adds to the pool at the fixture's clock.
    @discardableResult
    mutating func add(_ transaction: Transaction, nowMs: UInt64? = nil) throws(MempoolRejection) -> MempoolAcceptance {
        try pool.add(transaction, view: chain.utxos, nowMs: nowMs ?? self.nowMs)
    }

    /// The rejection `add` throws, or nil (recorded as an issue) when it accepts.
    mutating func rejection(
        of transaction: Transaction, nowMs: UInt64? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) -> MempoolRejection? {
        do {
            let acceptance = try add(transaction, nowMs: nowMs)
            Issue.record("expected a rejection, got \(acceptance)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The txids of the pool's entries, in arrival order.
    var pooled: [Hash32] { pool.contents.map(\.txid) }
}
