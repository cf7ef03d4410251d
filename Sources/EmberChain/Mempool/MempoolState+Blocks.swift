import EmberConsensus
import EmberCore
import EmberCrypto

/// Keeping the pool in step with the chain: blocks connected and disconnected, and time passing.
extension MempoolState {
    /// Removes what `block` confirms and whatever now conflicts with it (spends or reads an output the
    /// block spends, with its descendants), drops the entries whose valid heights end at the new tip,
    /// then lets in the orphans whose parents it holds.
    ///
    /// - Parameters:
    ///   - view: the chain's UTXO set with `block` connected.
    ///   - nowMs: the clock, for lock times.
    public mutating func blockConnected(_ block: Block, view: some UTXOView, nowMs: UInt64) {
        tipHeight = block.header.height
        // The coinbase too: under PoLW it spends outputs, which may be ones the pool spends.
        let txids = block.transactions.map(\.txid)
        for (transaction, txid) in zip(block.transactions, txids) {
            orphans.remove(txid)
            if entries[txid] != nil {
                removeEntry(txid)
                continue
            }
            for input in transaction.inputs {
                if let conflicting = spentBy[input.outpoint] { removeWithDescendants(conflicting) }
                // A read must be unspent where its reader stands in a block; after this block it never is.
                for reader in ordered(readBy[input.outpoint] ?? []) { removeWithDescendants(reader) }
            }
        }
        dropOutOfHeights()
        _ = retryOrphans(txids.flatMap { orphans.children(of: $0) }, view: view, nowMs: nowMs)
    }

    /// DESIGN.md section 15, "Mempool and heights": drops, with their descendants, the entries whose
    /// valid heights (`MempoolEntry.validHeights`) no longer hold the new tip's next height. Nothing else
    /// can change: the outputs an entry spends and reads are what they were (the block's conflicts have
    /// left), and a rule's verdict apart from the height is fixed by them, so no program runs and no
    /// signature is checked again. Nobody is scored: the sender was right when the transaction came.
    ///
    /// - Returns: the txids dropped, each failing entry before its descendants.
    @discardableResult
    mutating func dropOutOfHeights() -> [Hash32] {
        let next = tipHeight &+ 1
        let failing = entries.values.filter { !$0.validHeights.contains(next) }.sorted { $0.sequence < $1.sequence }
        var dropped = [Hash32]()
        for entry in failing where entries[entry.txid] != nil {
            dropped += removeWithDescendants(entry.txid)
        }
        return dropped
    }

    /// `reorganised` for one block taken off the tip.
    public mutating func blockDisconnected(_ block: Block, view: some UTXOView, nowMs: UInt64) {
        reorganised(disconnected: [block], connected: [], view: view, nowMs: nowMs)
    }

    /// After a reorganisation: returns the non-coinbase transactions of the `disconnected` blocks to the
    /// pool when still valid, leaves out what the `connected` blocks confirm or conflict with, and checks
    /// every other entry again (inputs and lock times may have changed), then tries the orphans.
    ///
    /// The pool is rebuilt in dependency order: the disconnected blocks' transactions by height and
    /// position, then the old entries by arrival, every one checked at the new tip's next height.
    /// Neither context-free rules nor signatures run again: every transaction passed them before, as
    /// part of a valid block or on entering the pool. Returning transactions are held to consensus caps
    /// only (up to 2^24 declared steps per input), not the relay cap, and nobody is scored for them.
    ///
    /// - Parameters:
    ///   - disconnected: the blocks taken off, in any order.
    ///   - connected: the blocks of the new branch, in any order.
    ///   - view: the chain's UTXO set at the new tip.
    ///   - nowMs: the clock: the arrival time of returned transactions, and the block timestamp for lock times.
    public mutating func reorganised(disconnected: [Block], connected: [Block], view: some UTXOView, nowMs: UInt64) {
        let confirmed = Set(connected.lazy.flatMap(\.transactions).map(\.txid))
        var returning = [(transaction: Transaction, digests: Transaction.Digests, arrivalMs: UInt64)]()
        for block in disconnected.sorted(by: { $0.header.height < $1.header.height }) {
            for transaction in block.transactions.dropFirst() {
                returning.append((transaction, transaction.digests, nowMs))
            }
        }
        returning += contents.map { ($0.transaction, $0.digests, $0.arrivalMs) }

        let newTipHeight = connected.map(\.header.height).max()
            ?? disconnected.map(\.header.height).min().map { $0 > 0 ? $0 - 1 : 0 } ?? tipHeight
        var rebuilt = MempoolState(params: params, policy: policy, tipHeight: newTipHeight)
        rebuilt.orphans = orphans
        for txid in confirmed { rebuilt.orphans.remove(txid) }
        for candidate in returning where !confirmed.contains(candidate.digests.txid) && rebuilt.entries[candidate.digests.txid] == nil {
            // A transaction that no longer fits (spent or vanished inputs, a lock time, the limits) is dropped.
            _ = try? rebuilt.admit(
                candidate.transaction, digests: candidate.digests, view: view, nowMs: nowMs, arrivalMs: candidate.arrivalMs,
                keepingOrphan: false)
        }
        _ = rebuilt.retryOrphans(rebuilt.orphans.all, view: view, nowMs: nowMs)
        self = rebuilt
    }

    /// Drops the entries that arrived more than `policy.expiryMs` before `nowMs`, with their
    /// descendants, and the orphans older than `policy.orphanExpiryMs`.
    ///
    /// - Returns: the txids dropped.
    @discardableResult
    public mutating func expire(nowMs: UInt64) -> [Hash32] {
        let expired = contents.filter { nowMs > $0.arrivalMs && nowMs - $0.arrivalMs > policy.expiryMs }
        var dropped = [Hash32]()
        for entry in expired where entries[entry.txid] != nil {
            dropped += removeWithDescendants(entry.txid)
        }
        return dropped + orphans.expire(nowMs: nowMs, maxAgeMs: policy.orphanExpiryMs)
    }
}
