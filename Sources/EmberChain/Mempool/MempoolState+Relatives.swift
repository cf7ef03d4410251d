import EmberCore
import EmberCrypto

/// Walking and changing the graph of unconfirmed transactions: ancestors, descendants, removal and
/// eviction. Policy keeps every walk short (`maxAncestors`, `maxDescendants`).
extension MempoolState {
    /// The in-pool ancestors reachable from `parents`, `parents` included; the walk stops once it has
    /// found `limit`, which is enough to know a limit is broken.
    func ancestorSet(of parents: Set<Hash32>, stoppingAfter limit: Int = .max) -> Set<Hash32> {
        walk(from: parents, stoppingAfter: limit) { $0.parents }
    }

    /// The in-pool descendants reachable from `children`, `children` included.
    func descendantSet(of children: Set<Hash32>) -> Set<Hash32> {
        walk(from: children, stoppingAfter: .max) { $0.children }
    }

    private func walk(
        from start: Set<Hash32>, stoppingAfter limit: Int, next: (MempoolEntry) -> Set<Hash32>
    ) -> Set<Hash32> {
        var found = Set<Hash32>()
        var pending = Array(start)
        while found.count < limit, let txid = pending.popLast() {
            guard let entry = entries[txid], found.insert(txid).inserted else { continue }
            pending += next(entry)
        }
        return found
    }

    /// Pushes the entry's current descendant package onto the eviction queue, compacting the queue when
    /// outdated items outnumber live ones.
    mutating func requeue(_ txid: Hash32) {
        guard let entry = entries[txid] else { return }
        evictionQueue.push(.init(txid: txid, package: entry.descendants))
        if evictionQueue.count > 2 * entries.count + 1_024 {
            evictionQueue = MempoolEvictionQueue(entries.values.map { .init(txid: $0.txid, package: $0.descendants) })
        }
    }

    /// Removes one entry and keeps its relatives' packages and links right; its descendants stay
    /// (when it is confirmed they now spend a block's outputs).
    mutating func removeEntry(_ txid: Hash32) {
        guard let entry = entries.removeValue(forKey: txid) else { return }
        bytes -= entry.size
        for input in entry.transaction.inputs where spentBy[input.outpoint] == txid {
            spentBy[input.outpoint] = nil
        }
        for read in entry.transaction.reads {
            readBy[read]?.remove(txid)
            if readBy[read]?.isEmpty == true { readBy[read] = nil }
        }
        for ancestor in ancestorSet(of: entry.parents) {
            entries[ancestor]?.descendants.remove(entry)
            requeue(ancestor)
        }
        for descendant in descendantSet(of: entry.children) {
            entries[descendant]?.ancestors.remove(entry)
        }
        for parent in entry.parents { entries[parent]?.children.remove(txid) }
        for child in entry.children { entries[child]?.parents.remove(txid) }
    }

    /// Removes the entry and everything that spends its outputs, directly or not.
    /// - Returns: the txids removed, the entry first.
    @discardableResult
    mutating func removeWithDescendants(_ txid: Hash32) -> [Hash32] {
        guard let entry = entries[txid] else { return [] }
        let family = [txid] + ordered(descendantSet(of: entry.children))
        for member in family.reversed() { removeEntry(member) }
        return family
    }

    /// Evicts the lowest descendant-package fee rates (per weight unit), each with its descendants, until
    /// `needed` bytes are free, if `feeRate` beats every package evicted; the new transaction's own
    /// ancestors stay.
    /// On failure nothing changes.
    ///
    /// - Returns: the txids evicted.
    mutating func makeRoom(
        freeing needed: Int, forFeeRate feeRate: FeeRate, protecting protected: Set<Hash32>
    ) throws(MempoolRejection) -> [Hash32] {
        var popped = [MempoolEvictionQueue.Item]()
        var victims = Set<Hash32>(), victimOrder = [Hash32]()
        var freed = 0
        var highest = FeeRate.zero
        while freed < needed, let item = evictionQueue.popFirst() {
            guard let entry = entries[item.txid], entry.descendants == item.package else { continue }
            popped.append(item)
            guard !protected.contains(item.txid), !victims.contains(item.txid) else { continue }
            highest = max(highest, item.feeRate)
            for member in [item.txid] + descendantSet(of: entry.children) where victims.insert(member).inserted {
                victimOrder.append(member)
                freed += entries[member]?.size ?? 0
            }
        }
        // Live items go back whatever happens; the victims' become outdated and are dropped later.
        defer { for item in popped { evictionQueue.push(item) } }
        guard freed >= needed, feeRate > highest else { throw .poolFull(minimumFeeRate: highest) }
        for victim in victimOrder.reversed() { removeEntry(victim) }
        return victimOrder
    }
}
