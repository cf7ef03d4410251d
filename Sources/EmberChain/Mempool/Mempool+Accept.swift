import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// Why a transaction from outside was not taken: the mempool's rules refused it, or our own store
/// could not be read (never the sender's fault, and never a reason to park it among the orphans).
public enum TransactionAcceptanceError: Error, Sendable, CustomStringConvertible {
    case rejected(MempoolRejection)
    case store(StoreError)

    public var description: String {
        switch self {
        case .rejected(let rejection): rejection.description
        case .store(let error): "the node could not read its UTXO set: \(error)"
        }
    }
}

extension Mempool {
    /// The one way a transaction from outside (the API, a peer) enters the pool.
    ///
    /// The outputs it spends and reads are read from `chain`'s store first, in one batch: a failed
    /// read is thrown as `.store`, before the pool is touched, instead of passing for a missing input
    /// that would park the transaction among the orphans. Orphans it lets in may spend other confirmed
    /// outputs; those are read as the pool asks for them.
    public func accept(
        _ transaction: Transaction, chain: Chain, nowMs: UInt64
    ) throws(TransactionAcceptanceError) -> MempoolAcceptance {
        let outpoints = transaction.inputs.map(\.outpoint) + transaction.reads
        let found: [OutPoint: UTXOEntry]
        do {
            found = try chain.store.utxos(at: outpoints)
        } catch {
            throw .store(error)
        }
        let view = PrefetchedUTXOView(asked: Set(outpoints), found: found, rest: chain.utxoView)
        do {
            return try add(transaction, view: view, nowMs: nowMs)
        } catch {
            throw .rejected(error)
        }
    }
}

/// The outputs one transaction asked for, read at one instant, and the store for any others.
struct PrefetchedUTXOView: UTXOView, Sendable {
    let asked: Set<OutPoint>
    let found: [OutPoint: UTXOEntry]
    let rest: StoreUTXOView

    func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? {
        asked.contains(outpoint) ? found[outpoint] : rest.unspentOutput(at: outpoint)
    }
}
