import EmberCore
import EmberCrypto

/// Transactions that spend or read outputs we do not know yet, kept until a transaction or block provides
/// them. Bounded in count and bytes; the oldest leave first.
///
/// Orphans passed the context-free rules and their signatures before they came here, so trying one
/// again only needs the UTXO view.
struct MempoolOrphanPool: Sendable {
    struct Orphan: Sendable {
        let transaction: Transaction
        let digests: Transaction.Digests
        let arrivalMs: UInt64
        let sequence: UInt64
        /// The txids of every transaction it spends or reads from: any of them arriving may complete it.
        var parentTxids: Set<Hash32> { Set(transaction.inputs.map(\.outpoint.txid) + transaction.reads.map(\.txid)) }
    }

    private(set) var orphans: [Hash32: Orphan] = [:]
    private var byParent: [Hash32: Set<Hash32>] = [:]
    private var nextSequence: UInt64 = 0
    private(set) var bytes = 0

    var count: Int { orphans.count }

    func contains(_ txid: Hash32) -> Bool { orphans[txid] != nil }

    /// Adds an orphan, then evicts the oldest until the pool is within `maxCount` and `maxBytes`.
    /// - Returns: the txids evicted.
    mutating func insert(
        _ transaction: Transaction, digests: Transaction.Digests, arrivalMs: UInt64, maxCount: Int, maxBytes: Int
    ) -> [Hash32] {
        let orphan = Orphan(transaction: transaction, digests: digests, arrivalMs: arrivalMs, sequence: nextSequence)
        nextSequence += 1
        orphans[digests.txid] = orphan
        bytes += digests.size
        for parent in orphan.parentTxids { byParent[parent, default: []].insert(digests.txid) }
        var evicted = [Hash32]()
        while orphans.count > maxCount || bytes > maxBytes, let oldest = orphans.values.min(by: { $0.sequence < $1.sequence }) {
            remove(oldest.digests.txid)
            evicted.append(oldest.digests.txid)
        }
        return evicted
    }

    @discardableResult
    mutating func remove(_ txid: Hash32) -> Orphan? {
        guard let orphan = orphans.removeValue(forKey: txid) else { return nil }
        bytes -= orphan.digests.size
        for parent in orphan.parentTxids {
            byParent[parent]?.remove(txid)
            if byParent[parent]?.isEmpty == true { byParent[parent] = nil }
        }
        return orphan
    }

    /// The orphans spending outputs of `parent`, oldest first.
    func children(of parent: Hash32) -> [Orphan] {
        (byParent[parent] ?? []).compactMap { orphans[$0] }.sorted { $0.sequence < $1.sequence }
    }

    /// Every orphan, oldest first.
    var all: [Orphan] { orphans.values.sorted { $0.sequence < $1.sequence } }

    /// Removes the orphans that arrived more than `maxAgeMs` before `nowMs`.
    /// - Returns: the txids removed.
    mutating func expire(nowMs: UInt64, maxAgeMs: UInt64) -> [Hash32] {
        let expired = all.filter { nowMs > $0.arrivalMs && nowMs - $0.arrivalMs > maxAgeMs }.map(\.digests.txid)
        for txid in expired { remove(txid) }
        return expired
    }
}
