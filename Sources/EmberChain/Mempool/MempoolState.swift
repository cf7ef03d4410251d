import EmberConsensus
import EmberCore
import EmberCrypto

/// The mempool of DESIGN.md sections 13 and 15 as a value: unconfirmed transactions ordered by fee per
/// weight unit, conflicts rejected unless a covenant output is replaced by fee, bounded in bytes with
/// lowest-fee-rate eviction, reads tracked, orphans bounded, expiry, height-bounded rules checked again
/// on every tip, and revalidation after reorganisations. `Mempool` is the actor that owns one;
/// docs/mempool.md describes every rule.
///
/// Every consensus rule comes from EmberConsensus; this type adds only policy. Lock times are checked
/// against the caller's clock (`nowMs`) as if it were the next block's timestamp, and templates skip
/// what a block of an earlier timestamp could not hold (`selectTransactions`).
public struct MempoolState: Sendable {
    /// The consensus rules transactions are checked against.
    public let params: ConsensusParams
    /// This node's limits.
    public let policy: MempoolPolicy

    var entries: [Hash32: MempoolEntry] = [:]
    /// Which pool transaction spends each outpoint: how conflicts are found.
    var spentBy: [OutPoint: Hash32] = [:]
    /// Which pool transactions read each outpoint: those a spend of it evicts.
    var readBy: [OutPoint: Set<Hash32>] = [:]
    var orphans = MempoolOrphanPool()
    var evictionQueue = MempoolEvictionQueue()
    var nextSequence: UInt64 = 0
    /// The encoded bytes of all transactions in the pool (orphans apart).
    public internal(set) var bytes = 0
    /// The height of the chain's tip; transactions are checked for the block after it.
    public internal(set) var tipHeight: UInt64

    /// An empty pool checking transactions against `params` under `policy`, for a chain whose tip is at
    /// `tipHeight`.
    public init(params: ConsensusParams, policy: MempoolPolicy = MempoolPolicy(), tipHeight: UInt64 = 0) {
        self.params = params
        self.policy = policy
        self.tipHeight = tipHeight
    }

    // MARK: Queries

    /// How many transactions are in the pool (orphans apart).
    public var count: Int { entries.count }
    /// How many orphans wait for a parent.
    public var orphanCount: Int { orphans.count }
    /// The encoded bytes of the orphans.
    public var orphanBytes: Int { orphans.bytes }

    /// The pool's entry for `txid`, if it holds that transaction.
    public func entry(_ txid: Hash32) -> MempoolEntry? { entries[txid] }

    /// Whether `txid` is in the orphan pool.
    public func isOrphan(_ txid: Hash32) -> Bool { orphans.contains(txid) }

    /// Every entry, in arrival order (so parents before children).
    public var contents: [MempoolEntry] { entries.values.sorted { $0.sequence < $1.sequence } }

    // MARK: Acceptance

    /// Checks `transaction` against the consensus rules (context-free rules, signatures, then `view`
    /// plus the pool's own outputs, with `nowMs` as the block timestamp for lock times) and the pool's
    /// policy (the relay cap on declared steps first), and takes it in: into the pool, or into the
    /// orphan pool when an input or read is unknown.
    ///
    /// - Parameter view: the chain's UTXO set at its tip.
    public mutating func add(
        _ transaction: Transaction, view: some UTXOView, nowMs: UInt64
    ) throws(MempoolRejection) -> MempoolAcceptance {
        let digests = transaction.digests
        guard entries[digests.txid] == nil, !orphans.contains(digests.txid) else { throw .alreadyKnown(digests.txid) }
        do throws(TransactionRejection) {
            try params.checkTransactionSanity(transaction, digests: digests)
        } catch {
            throw .invalid(error)
        }
        // Before any signature or program: the relay cap prices what a peer can make us run.
        let steps = transaction.inputs.reduce(UInt64(0)) { $0 + UInt64($1.unlock.covenant?.maxSteps ?? 0) }
        guard steps <= policy.maxRelaySteps else { throw .tooManySteps(limit: policy.maxRelaySteps, found: steps) }
        do throws(TransactionRejection) {
            try params.checkSignatures(transaction, txid: digests.txid)
        } catch {
            throw .invalid(error)
        }
        let acceptance = try admit(transaction, digests: digests, view: view, nowMs: nowMs, arrivalMs: nowMs, keepingOrphan: true)
        guard case .accepted(let txid, let fee, let evicted, _) = acceptance else { return acceptance }
        let orphanOutcome = retryOrphans(orphans.children(of: txid), view: view, nowMs: nowMs)
        return .accepted(txid: txid, fee: fee, evicted: evicted + orphanOutcome.evicted, adoptedOrphans: orphanOutcome.adopted)
    }

    /// The UTXO-dependent half of acceptance, for a transaction that already passed the context-free
    /// rules, its signatures and the relay cap (a new one or an orphan), or one from a disconnected
    /// block, which consensus caps alone bound (DESIGN.md section 15, "Mempool and heights").
    ///
    /// A transaction that conflicts with the pool replaces what it conflicts with only under the
    /// replacement policy (`replaced(by:)`); one that spends an output pool transactions read evicts
    /// those readers. On any rejection the pool is left as it was.
    ///
    /// - Parameter keepingOrphan: whether a transaction with an unknown input or read goes to the orphan
    ///   pool (false when the pool is rebuilt, where parents always come before children).
    mutating func admit(
        _ transaction: Transaction, digests: Transaction.Digests, view: some UTXOView, nowMs: UInt64, arrivalMs: UInt64,
        keepingOrphan: Bool
    ) throws(MempoolRejection) -> MempoolAcceptance {
        let txid = digests.txid
        for read in transaction.reads {
            if let spender = spentBy[read] { throw .readSpentInPool(read, spentBy: spender) }
        }
        let replaced = try replaced(by: transaction, view: view)
        // DESIGN.md section 15: a transaction that spends a read output evicts those that read it.
        let readers = Set(transaction.inputs.flatMap { readBy[$0.outpoint] ?? [] })
        let displaced = ordered(Set(replaced).union(readers).union(descendantSet(of: readers)))
        let displacedSet = Set(displaced)
        let dependencies = transaction.inputs.map(\.outpoint.txid) + transaction.reads.map(\.txid)
        if let evicted = dependencies.first(where: displacedSet.contains) { throw .replacementSpendsEvicted(evicted) }

        try checkTruebitClaims(of: transaction, view: view)

        let fee: Amount, unlockTimeMs: UInt64, heights: ValidHeights
        do throws(TransactionRejection) {
            (fee, unlockTimeMs, heights) = try connect(transaction, digests: digests, view: view, nowMs: nowMs, excluding: displacedSet)
        } catch {
            // An unknown output of a transaction the pool holds is no orphan: that transaction has no such output.
            guard keepingOrphan, let missing = Self.unknownOutPoint(error), entries[missing.txid] == nil else {
                throw .invalid(error)
            }
            return try keepOrphan(transaction, digests: digests, missing: missing, view: view, arrivalMs: arrivalMs)
        }
        let weight = params.weight(of: transaction, size: digests.size)
        let channelLimit = channelSpendWeightLimit(transaction, view: view)
        if let channelLimit, weight > channelLimit {
            throw .channelSpendTooHeavy(weight: weight, limit: channelLimit)
        }
        let plasma = isPlasmaSpend(transaction, view: view)
        if plasma, weight > policy.maxPlasmaSpendWeight {
            throw .plasmaSpendTooHeavy(weight: weight, limit: policy.maxPlasmaSpendWeight)
        }
        let truebitLimit = truebitSpendWeightLimit(transaction, view: view)
        if let truebitLimit, weight > truebitLimit {
            throw .truebitSpendTooHeavy(weight: weight, limit: truebitLimit)
        }
        // A channel spend's one child may be replaced by a better-paying sibling (as Bitcoin's TRUC).
        let siblings = ordered(try evictedSiblings(of: transaction, weight: weight, displaced: displacedSet))
        try checkReplacementFees(fee: fee, weight: weight, replacing: replaced + siblings)
        let leaving = displaced + siblings

        // What it displaces leaves first, so the limits below count the pool it joins; a failure puts it
        // back. `insert` changes nothing when it fails, so only a displacing transaction needs the copy.
        let before: MempoolState? = leaving.isEmpty ? nil : self
        for member in leaving.reversed() { removeEntry(member) }
        do throws(MempoolRejection) {
            let evicted = try insert(
                transaction, digests: digests, weight: weight, fee: fee, arrivalMs: arrivalMs, unlockTimeMs: unlockTimeMs,
                validHeights: heights, isLayer2Spend: channelLimit != nil || plasma || truebitLimit != nil)
            return .accepted(txid: txid, fee: fee, evicted: leaving + evicted, adoptedOrphans: [])
        } catch {
            if let before { self = before }
            throw error
        }
    }

    /// The outpoint whose absence made `error`: an unknown input or read, which may only mean we have not
    /// seen its transaction yet (`isSenderAtFault` is false for exactly these).
    static func unknownOutPoint(_ error: TransactionRejection) -> OutPoint? {
        switch error {
        case .missingInput(let outpoint), .covenant(.missingRead(let outpoint)): outpoint
        default: nil
        }
    }

    /// Takes a checked transaction in, within the ancestor, descendant, channel and byte limits.
    /// - Returns: the txids evicted to make room.
    private mutating func insert(
        _ transaction: Transaction, digests: Transaction.Digests, weight: Int, fee: Amount, arrivalMs: UInt64,
        unlockTimeMs: UInt64, validHeights: ValidHeights, isLayer2Spend: Bool
    ) throws(MempoolRejection) -> [Hash32] {
        let txid = digests.txid
        let parents = Set((transaction.inputs.map(\.outpoint.txid) + transaction.reads.map(\.txid)).filter { entries[$0] != nil })
        let ancestors = ancestorSet(of: parents, stoppingAfter: policy.maxAncestors)
        guard ancestors.count < policy.maxAncestors else { throw .tooManyAncestors(limit: policy.maxAncestors) }
        if let crowded = ancestors.sorted().first(where: { (entries[$0]?.descendants.count ?? 0) >= policy.maxDescendants }) {
            throw .tooManyDescendants(ancestor: crowded, limit: policy.maxDescendants)
        }
        // DESIGN.md section 15: a spend of a channel, Plasma or Truebit output has at most one unconfirmed child.
        if let pinned = ancestors.sorted().first(where: {
            entries[$0].map { $0.isLayer2Spend && $0.descendants.count >= MempoolPolicy.maxLayer2SpendDescendants } ?? false
        }) {
            throw .layer2SpendHasChild(spend: pinned)
        }
        let excess = bytes + digests.size - policy.maxBytes
        let evicted = excess > 0
            ? try makeRoom(freeing: excess, forFeeRate: FeeRate(fee: fee, weight: weight), protecting: ancestors)
            : []

        var entry = MempoolEntry(
            transaction: transaction, digests: digests, weight: weight, fee: fee, arrivalMs: arrivalMs, unlockTimeMs: unlockTimeMs,
            sequence: nextSequence, validHeights: validHeights, isLayer2Spend: isLayer2Spend, parents: parents)
        nextSequence += 1
        for ancestor in ancestors {
            guard let ancestorEntry = entries[ancestor] else { continue }
            entry.ancestors.add(ancestorEntry)
            entries[ancestor]?.descendants.add(entry)
            requeue(ancestor)
        }
        for parent in parents { entries[parent]?.children.insert(txid) }
        for input in transaction.inputs { spentBy[input.outpoint] = txid }
        for read in transaction.reads { readBy[read, default: []].insert(txid) }
        entries[txid] = entry
        bytes += digests.size
        requeue(txid)
        return evicted
    }

    /// The pool's view over `view`, for the next block's height.
    func poolView<Base: UTXOView>(_ view: Base, excluding excluded: Set<Hash32> = []) -> MempoolView<Base> {
        MempoolView(base: view, entries: entries, spentBy: spentBy, unconfirmedHeight: tipHeight &+ 1, excluded: excluded)
    }

    /// The fee, the latest lock time of the spent outputs and the heights the covenant rules hold for,
    /// checked against the chain's UTXO set plus the pool's outputs, without the transactions in `excluded`.
    func connect(
        _ transaction: Transaction, digests: Transaction.Digests, view: some UTXOView, nowMs: UInt64, excluding excluded: Set<Hash32>
    ) throws(TransactionRejection) -> (fee: Amount, unlockTimeMs: UInt64, heights: ValidHeights) {
        // The view shares the pool's dictionaries; it ends with this call, before the pool changes them.
        let view = poolView(view, excluding: excluded)
        // A transaction in the pool goes into the next block at the earliest (DESIGN §15: h = tip height + 1).
        let (fee, heights) = try params.checkConnectWithHeights(
            transaction, digests: digests, view: view, height: tipHeight &+ 1, blockTimestamp: nowMs)
        let unlockTimeMs = transaction.inputs.compactMap { view.unspentOutput(at: $0.outpoint)?.output.lockTime }.max()
        return (fee, unlockTimeMs ?? 0, heights)
    }

    /// `txids` in arrival order, so parents come before their children.
    func ordered(_ txids: Set<Hash32>) -> [Hash32] {
        txids.sorted { (entries[$0]?.sequence ?? 0) < (entries[$1]?.sequence ?? 0) }
    }

    private mutating func keepOrphan(
        _ transaction: Transaction, digests: Transaction.Digests, missing: OutPoint, view: some UTXOView, arrivalMs: UInt64
    ) throws(MempoolRejection) -> MempoolAcceptance {
        // Its inputs look missing because it is confirmed and spent them itself.
        let ownOutputs = transaction.outputs.indices.lazy.map { OutPoint(txid: digests.txid, index: UInt32($0)) }
        guard !ownOutputs.contains(where: { view.unspentOutput(at: $0) != nil }) else { throw .alreadyKnown(digests.txid) }
        guard policy.maxOrphanCount > 0, digests.size <= policy.maxOrphanBytes else {
            throw .orphanPoolFull(missing: missing, size: digests.size, maxOrphanBytes: policy.maxOrphanBytes)
        }
        let evicted = orphans.insert(
            transaction, digests: digests, arrivalMs: arrivalMs, maxCount: policy.maxOrphanCount, maxBytes: policy.maxOrphanBytes)
        return .orphan(txid: digests.txid, missing: missing, evictedOrphans: evicted)
    }

    /// Tries `candidates` again, and the orphans of every one that gets in, until none gets in.
    ///
    /// - Returns: the txids let in, parents first, and those evicted to make room.
    mutating func retryOrphans(
        _ candidates: [MempoolOrphanPool.Orphan], view: some UTXOView, nowMs: UInt64
    ) -> (adopted: [Hash32], evicted: [Hash32]) {
        var pending = candidates
        var adopted = [Hash32](), evicted = [Hash32]()
        var next = 0
        while next < pending.count {
            let orphan = pending[next]
            next += 1
            guard orphans.remove(orphan.digests.txid) != nil else { continue }
            let outcome = try? admit(
                orphan.transaction, digests: orphan.digests, view: view, nowMs: nowMs, arrivalMs: orphan.arrivalMs,
                keepingOrphan: true)
            guard case .accepted(let txid, _, let made, _) = outcome else { continue }
            adopted.append(txid)
            evicted += made
            pending += orphans.children(of: txid)
        }
        return (adopted, evicted)
    }
}
