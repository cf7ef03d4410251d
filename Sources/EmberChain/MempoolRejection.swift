import EmberConsensus
import EmberCore
import EmberCrypto

/// Why the mempool did not take a transaction: a consensus rule it breaks, or a policy of this node.
public enum MempoolRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// It breaks a consensus rule.
    case invalid(TransactionRejection)
    /// It is already in the pool, the orphan pool or the chain.
    case alreadyKnown(Hash32)
    /// It spends an output a transaction in the pool already spends; the first one seen stays (no
    /// replacement by fee).
    case conflict(with: Hash32, outpoint: OutPoint)
    /// The pool is full and the transaction does not pay more per byte than what it would evict.
    case poolFull(minimumFeeRate: FeeRate)
    /// It would have more in-pool ancestors, itself included, than the policy allows.
    case tooManyAncestors(limit: Int)
    /// It would give an in-pool ancestor more descendants, itself included, than the policy allows.
    case tooManyDescendants(ancestor: Hash32, limit: Int)
    /// It spends an output we do not know, and the orphan pool cannot hold it.
    case orphanPoolFull(missing: OutPoint, size: Int, maxOrphanBytes: Int)

    /// Whether a peer that sent it should be scored: only consensus failures are its fault.
    public var isSenderAtFault: Bool {
        if case .invalid(let rejection) = self { return rejection.isSenderAtFault }
        return false
    }

    public var description: String {
        switch self {
        case .invalid(let rejection): "invalid transaction: \(rejection)"
        case .alreadyKnown(let txid): "transaction \(txid) is already known"
        case .conflict(let other, let outpoint):
            "input \(outpoint.txid):\(outpoint.index) is already spent by transaction \(other) in the mempool; "
                + "wait for it to confirm or expire (no replacement by fee)"
        case .poolFull(let minimumFeeRate):
            "the mempool is full; a transaction must pay more than \(minimumFeeRate) to enter"
        case .tooManyAncestors(let limit):
            "the transaction would have more than \(limit) unconfirmed ancestors (itself included); wait for some to confirm"
        case .tooManyDescendants(let ancestor, let limit):
            "unconfirmed transaction \(ancestor) would have more than \(limit) descendants (itself included); wait for it to confirm"
        case .orphanPoolFull(let missing, let size, let maxOrphanBytes):
            "input \(missing.txid):\(missing.index) is unknown, and the orphan pool (\(maxOrphanBytes) bytes) "
                + "cannot hold a transaction of \(size) bytes; send its parent first"
        }
    }
}
