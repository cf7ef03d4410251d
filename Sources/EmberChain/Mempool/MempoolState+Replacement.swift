import EmberConsensus
import EmberCore
import EmberCrypto

/// The replacement policy of DESIGN.md section 15 (Bitcoin's BIP 125 rules 3–5, on covenant outputs
/// only): a transaction may take the place of what it conflicts with only when every conflict is over
/// an output with lock tag ≥ 1, it pays for everything it evicts plus its own minimum fee, and it pays
/// more per weight unit than each transaction it evicts. Plain outputs keep "first seen wins", so a
/// payment cannot be double-spent out of the pool by a higher fee.
extension MempoolState {
    /// What `transaction` would evict by replacement: the pool transactions spending its inputs, with
    /// their descendants, in arrival order; empty when it conflicts with nothing.
    ///
    /// - Throws: `conflict` when a conflicting outpoint is a plain output (lock tag 0),
    ///   `staleChannelReplacement` when a spend of a channel output ranks below the one it would replace,
    ///   `staleTruebitReplacement` when a spend of a Truebit solution would replace its close by a payout,
    ///   and `tooManyReplacements` when it would evict more than the policy allows.
    func replaced(by transaction: Transaction, view: some UTXOView) throws(MempoolRejection) -> [Hash32] {
        var conflicts = Set<Hash32>()
        let lookup = poolView(view)
        for input in transaction.inputs {
            guard let other = spentBy[input.outpoint] else { continue }
            // Only a covenant output is open to replacement: layer 2 needs a dispute answered by whoever
            // pays more, while a plain output's first spend stays, as users of zero-confirmation payments expect.
            guard let output = lookup.output(at: input.outpoint), output.lock.tag != Lock.Tag.pubKeyHash else {
                throw .conflict(with: other, outpoint: input.outpoint)
            }
            if Self.channelTags.contains(output.lock.tag), let entry = entries[other] {
                try checkChannelRank(of: transaction, replacing: entry, at: input.outpoint)
            }
            if output.lock.tag == Lock.Tag.truebitSolution, let entry = entries[other] {
                try checkTruebitRank(of: transaction, replacing: entry, at: input.outpoint)
            }
            conflicts.insert(other)
        }
        guard !conflicts.isEmpty else { return [] }
        let evicted = conflicts.union(descendantSet(of: conflicts))
        guard evicted.count <= policy.maxReplacementEvictions else {
            throw .tooManyReplacements(limit: policy.maxReplacementEvictions, found: evicted.count)
        }
        return ordered(evicted)
    }

    /// BIP 125 rules 3 and 4 by weight: the replacement pays at least the fees of everything it evicts
    /// plus `minFeeRate × weight` (so the network is paid again for relaying it), at a higher fee per
    /// weight unit than each evicted transaction (so a miner is never offered a worse block).
    func checkReplacementFees(fee: Amount, weight: Int, replacing replaced: [Hash32]) throws(MempoolRejection) {
        guard !replaced.isEmpty else { return }
        let evicted = replaced.compactMap { entries[$0] }
        // At most `maxReplacementEvictions` fees of at most 10^27 each: saturating only guards an absurd policy.
        let evictedFees = evicted.lazy.map(\.fee).checkedSum() ?? Amount(units: .max)
        let required = evictedFees.adding(params.minimumFee(weight: weight)) ?? Amount(units: .max)
        guard fee >= required else { throw .replacementFeeTooLow(required: required, found: fee) }
        let rate = FeeRate(fee: fee, weight: weight)
        if let better = evicted.first(where: { $0.feeRate >= rate }) {
            throw .replacementFeeRateTooLow(evicted: better.txid, evictedRate: better.feeRate, found: rate)
        }
    }
}
