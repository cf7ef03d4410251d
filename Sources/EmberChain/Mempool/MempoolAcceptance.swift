import EmberCore
import EmberCrypto

/// What the mempool did with a transaction it did not reject.
public enum MempoolAcceptance: Hashable, Sendable {
    /// In the pool with `fee`. `evicted` lists every transaction that left the pool for it: first what
    /// it replaced (its conflicts with their descendants) and the readers of outputs it spends (with
    /// theirs), in arrival order; then what left to make room (lowest fee rate first, each with its
    /// descendants). `adoptedOrphans` lists the orphans it let in, parents first.
    case accepted(txid: Hash32, fee: Amount, evicted: [Hash32], adoptedOrphans: [Hash32])
    /// Held in the orphan pool until a transaction or block provides `missing`; `evictedOrphans`
    /// lists the older orphans that left to make room.
    case orphan(txid: Hash32, missing: OutPoint, evictedOrphans: [Hash32])

    /// The transaction's txid.
    public var txid: Hash32 {
        switch self {
        case .accepted(let txid, _, _, _), .orphan(let txid, _, _): txid
        }
    }
}
