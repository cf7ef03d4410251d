import EmberConsensus
import EmberCore
import EmberCrypto

/// The pool's policy for Truebit spends (docs/truebit.md, "Mempool policy for Truebit spends";
/// docs/mempool.md, "Spends of Truebit outputs"): light, with one child that a better-paying sibling may
/// replace, as channel and Plasma spends; a close of a solution above a payout of it; and no claim on a
/// game output the pool holds. It stops a heavy, low-rate copy of a step, a move, a close or a commit
/// pinning the honest party's spend until its clock or the payout (docs/truebit-attacks.md, 2 and 3).
extension MempoolState {
    /// Lock tags whose spends are Truebit spends; a post spends none of them.
    static let truebitTags: Set<UInt8> = [
        Lock.Tag.truebitTask, Lock.Tag.truebitSolution, Lock.Tag.truebitGame, Lock.Tag.truebitResult, Lock.Tag.truebitRefuted,
        Lock.Tag.truebitCommit,
    ]

    /// The most `transaction` may weigh when it is a Truebit spend, or nil when it is none.
    ///
    /// A Truebit spend spends an output of `truebitTags`, confirmed or not, or creates a truebitGame (a
    /// challenge must not be a heavy parent that a close has to pay for). It may weigh
    /// `maxTruebitSpendWeight`, plus for each reveal the bytes of the blob it names as its output, with
    /// their length prefix: the only large witness a Truebit spend cannot do without.
    func truebitSpendWeightLimit(_ transaction: Transaction, view: some UTXOView) -> Int? {
        let lookup = poolView(view)
        var spendsTruebit = transaction.outputs.contains { $0.lock.tag == Lock.Tag.truebitGame }
        var outputBlobs = Set<Int>()
        var blobHashes: [Hash32]?
        for input in transaction.inputs {
            guard let spent = lookup.output(at: input.outpoint), Self.truebitTags.contains(spent.lock.tag) else { continue }
            spendsTruebit = true
            // The rule accepted the reveal, so the output at firstOutput is the solution it pins.
            guard spent.lock.tag == Lock.Tag.truebitCommit, let unlock = input.unlock.covenant,
                  unlock.mode == CovenantUnlock.TruebitMode.reveal.rawValue, unlock.firstOutput < UInt64(transaction.outputs.count),
                  case .truebitSolution(let solution) = transaction.outputs[Int(unlock.firstOutput)].lock
            else { continue }
            let hashes = blobHashes ?? transaction.blobHashes
            blobHashes = hashes
            if let index = hashes.firstIndex(of: solution.outputHash) { outputBlobs.insert(index) }
        }
        guard spendsTruebit else { return nil }
        let allowance = outputBlobs.reduce(0) { total, index in
            total + Varint.encodedSize(of: UInt128(transaction.blobs[index].count)) + transaction.blobs[index].count
        }
        // Saturating: a policy may lift the limit to `Int.max`.
        let (limit, overflow) = policy.maxTruebitSpendWeight.addingReportingOverflow(allowance)
        return overflow ? .max : limit
    }

    /// Refuses a claim (mode 7) on a game output a pool transaction creates: whether the side to move has
    /// run out of clock depends on the height that output will be mined at, which the pool can only guess.
    /// A move on such an output is accepted: its range, recorded with the output's height as tip + 1, can
    /// only start later, and the pool drops it when that range ends.
    func checkTruebitClaims(of transaction: Transaction, view: some UTXOView) throws(MempoolRejection) {
        for input in transaction.inputs where entries[input.outpoint.txid] != nil {
            guard input.unlock.covenant?.mode == CovenantUnlock.TruebitMode.claimTimeout.rawValue,
                  poolView(view).output(at: input.outpoint)?.lock.tag == Lock.Tag.truebitGame
            else { continue }
            throw .truebitClaimOnUnconfirmedGame(outpoint: input.outpoint)
        }
    }

    /// Refuses `transaction` as a replacement of `other`'s spend of the truebitSolution at `outpoint` when
    /// `other` closes it (mode 8) and `transaction` does not: a payout never takes the place of a close,
    /// whatever its fee, so a refuted solution cannot be paid by outbidding its close. A close replaces a
    /// payout, and a close or a payout one of its own kind, under the fee rules alone.
    func checkTruebitRank(of transaction: Transaction, replacing other: MempoolEntry, at outpoint: OutPoint) throws(MempoolRejection) {
        let close = CovenantUnlock.TruebitMode.closeRefuted.rawValue
        func closes(_ spender: Transaction) -> Bool {
            spender.inputs.first { $0.outpoint == outpoint }?.unlock.covenant?.mode == close
        }
        guard closes(other.transaction), !closes(transaction) else { return }
        throw .staleTruebitReplacement(replacing: other.txid, outpoint: outpoint)
    }
}
