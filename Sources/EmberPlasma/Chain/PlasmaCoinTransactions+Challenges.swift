import EmberCore
import EmberCrypto
import EmberLayer2

/// The spends of an exit and of a challenge: preempt, the spent and double-spend challenges, the
/// invalid-history challenge, answer, cancel, finalize, reclaimChallenge and sweep (docs/plasma.md,
/// modes 2–7, 10, 11 and the challenge's creation rule).
extension PlasmaCoinTransactions {
    /// Mode 10: replaces `exit` by an exit of the same coin resting on `evidence` (an older pair), with a
    /// bond of at least `max(β_min, min(X.exitBond, 10 · β_min))` (the default); the displaced owner gets
    /// its bond back and a marker is left.
    public func preempt(
        exit: ChainOutput, evidence: CoinExitEvidence, bond: Amount? = nil, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let displaced = try exitLock(exit)
        let pair = evidence.pair
        guard (pair.parent, pair.exit) < (displaced.parentBlock, displaced.exitBlock) else {
            throw .notOlder(found: "(\(pair.parent), \(pair.exit))", exit: "(\(displaced.parentBlock), \(displaced.exitBlock))")
        }
        let newBond = bond ?? preemptBond(against: displaced)
        guard let value = exit.unspent.output.amount.subtracting(displaced.exitBond), let total = value.adding(newBond) else {
            throw .sponsorship(.overflow)
        }
        let deadline = Self.chosenDeadline(nextHeight: context.height, window: displaced.exitWindow)
        let newer = evidence.exitLock(coin: displaced.coinLock, deadline: deadline, bond: newBond)
        let input = CovenantSpendInput(
            outpoint: exit.outpoint, spent: exit.unspent, unlock: Self.unlock(.preempt), witness: Witness(items: evidence.items),
            pinned: [
                Output(amount: total, lock: .plasmaExit(newer)), Output(amount: displaced.exitBond, lock: Self.payTo(displaced.ownerKey)),
                marker(of: exit.outpoint, exit: displaced),
            ])
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: evidence.reads), in: context)
    }

    /// The least bond a preempt of `exit` may carry: the displaced bond, at least β_min, at most 10 · β_min.
    public func preemptBond(against exit: PlasmaExitLock) -> Amount {
        let cap = Amount(units: bondMinimum.units.multipliedReportingOverflow(by: 10).partialValue)
        return max(bondMinimum, min(exit.exitBond, cap))
    }

    /// Mode 2: cancels `exit` with `spend`, the exit owner's own later move of the exit's entry.
    public func challengeSpent(exit: ChainOutput, spend: IncludedMove, in context: Context) throws(PlasmaTransactionError) -> SponsoredTransaction {
        try cancelWithProof(.challengeSpent, exit: exit, move: spend, in: context)
    }

    /// Mode 3: cancels `exit` with `earlierSpend`, a move of the exit's parent entry included before the exit's transaction.
    public func challengeDoubleSpend(
        exit: ChainOutput, earlierSpend: IncludedMove, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        try cancelWithProof(.challengeDoubleSpend, exit: exit, move: earlierSpend, in: context)
    }

    private func cancelWithProof(
        _ mode: CovenantUnlock.PlasmaMode, exit: ChainOutput, move: IncludedMove, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let lock = try exitLock(exit)
        let input = CovenantSpendInput(
            outpoint: exit.outpoint, spent: exit.unspent, unlock: Self.unlock(mode), witness: Witness(items: move.challengeItems),
            pinned: try cancelOutputs(exit, lock: lock, recipient: move.move.newOwnerKey))
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: [move.block]), in: context)
    }

    /// The invalid-history challenge: "entry `entry` of the exit's coin (nil: the deposit) exists; show
    /// its spend". Holds `bond` (β_min by default), refunded to `challengerKey`.
    public func challengeInvalidHistory(
        exit: ChainOutput, entry: IncludedMove?, challengerKey: RawPublicKey, bond: Amount? = nil, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let lock = try exitLock(exit)
        let challenge = PlasmaChallengeLock(
            exit: exit.outpoint, chainId: lock.chainId, coinId: lock.coinId, childBlock: entry?.number ?? 0,
            childOwnerKey: entry?.move.newOwnerKey ?? lock.depositorKey, limitBlock: lock.parentBlock, challengerKey: challengerKey,
            ownerKey: lock.ownerKey, respondBy: Self.chosenDeadline(nextHeight: context.height, window: lock.exitWindow))
        let output = Output(amount: bond ?? bondMinimum, lock: .plasmaChallenge(challenge))
        let request = CovenantTransactionRequest(
            covenantInputs: [], reads: [exit] + (entry.map { [$0.block] } ?? []), otherOutputs: [output],
            blobs: entry.map { [$0.move.encoded, $0.proof.encoded] } ?? [])
        return try build(request, in: context)
    }

    /// Mode 4: answers `challenge` with `spend`, the history's move of the challenged entry.
    public func answer(challenge: ChainOutput, spend: IncludedMove, in context: Context) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let lock = try challengeLock(challenge)
        let half = Amount(units: challenge.unspent.output.amount.units / 2)
        let input = CovenantSpendInput(
            outpoint: challenge.outpoint, spent: challenge.unspent, unlock: Self.unlock(.answer), witness: Witness(items: spend.challengeItems),
            pinned: [Output(amount: half, lock: Self.payTo(lock.ownerKey))])
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: [spend.block]), in: context)
    }

    /// Mode 5: cancels `exit` with its own unanswered `challenge`, from the challenge's respondBy on.
    public func cancel(exit: ChainOutput, challenge: ChainOutput, in context: Context) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let lock = try exitLock(exit)
        let challengeLock = try challengeLock(challenge)
        let exitOutputs = try cancelOutputs(exit, lock: lock, recipient: challengeLock.childOwnerKey)
        let inputs = [
            CovenantSpendInput(outpoint: exit.outpoint, spent: exit.unspent, unlock: Self.unlock(.cancel), witness: Witness(items: []), pinned: exitOutputs),
            CovenantSpendInput(
                outpoint: challenge.outpoint, spent: challenge.unspent, unlock: Self.unlock(.cancel, firstOutput: UInt64(exitOutputs.count)),
                witness: Witness(items: []),
                pinned: [Output(amount: challenge.unspent.output.amount, lock: Self.payTo(challengeLock.challengerKey))]),
        ]
        return try build(CovenantTransactionRequest(covenantInputs: inputs), in: context)
    }

    /// Mode 6: pays the exit's value and bond to its owner, from `deadline + 3W` on; leaves the marker.
    public func finalize(exit: ChainOutput, in context: Context) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let lock = try exitLock(exit)
        let input = CovenantSpendInput(
            outpoint: exit.outpoint, spent: exit.unspent, unlock: Self.unlock(.finalize), witness: Witness(items: []),
            pinned: [Output(amount: exit.unspent.output.amount, lock: Self.payTo(lock.ownerKey)), marker(of: exit.outpoint, exit: lock)])
        return try build(CovenantTransactionRequest(covenantInputs: [input]), in: context)
    }

    /// Mode 7: refunds `challenge` to its challenger once its exit is closed (`marker` is the exit's marker).
    public func reclaimChallenge(
        challenge: ChainOutput, marker: ChainOutput, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        let lock = try challengeLock(challenge)
        let input = CovenantSpendInput(
            outpoint: challenge.outpoint, spent: challenge.unspent, unlock: Self.unlock(.reclaimChallenge), witness: Witness(items: []),
            pinned: [Output(amount: challenge.unspent.output.amount, lock: Self.payTo(lock.challengerKey))])
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: [marker]), in: context)
    }

    /// Mode 11: removes a closed exit's marker; its dust is paid to the funding key in an output of its
    /// own (a transaction needs one output, and the dust alone would go to the fee), the fee from its funds.
    public func sweep(marker: ChainOutput, in context: Context) throws(PlasmaTransactionError) -> SponsoredTransaction {
        guard case .plasmaExitClosed = marker.unspent.output.lock else { throw .notThe("plasmaExitClosed", marker.outpoint) }
        let input = CovenantSpendInput(outpoint: marker.outpoint, spent: marker.unspent, unlock: Self.unlock(.sweep), witness: Witness(items: []))
        let reward = Output(amount: marker.unspent.output.amount, lock: sponsor.fundingLock)
        return try build(CovenantTransactionRequest(covenantInputs: [input], otherOutputs: [reward]), in: context)
    }

    // MARK: - Parts

    func exitLock(_ output: ChainOutput) throws(PlasmaTransactionError) -> PlasmaExitLock {
        guard case .plasmaExit(let lock) = output.unspent.output.lock else { throw .notThe("plasmaExit", output.outpoint) }
        return lock
    }

    func challengeLock(_ output: ChainOutput) throws(PlasmaTransactionError) -> PlasmaChallengeLock {
        guard case .plasmaChallenge(let lock) = output.unspent.output.lock else { throw .notThe("plasmaChallenge", output.outpoint) }
        return lock
    }

    /// The cancel outputs of an exit: the coin back, half the bond to `recipient`, the marker.
    func cancelOutputs(_ exit: ChainOutput, lock: PlasmaExitLock, recipient: RawPublicKey) throws(PlasmaTransactionError) -> [Output] {
        guard let value = exit.unspent.output.amount.subtracting(lock.exitBond) else { throw .sponsorship(.overflow) }
        return [
            Output(amount: value, lock: .plasmaCoin(lock.coinLock)), Output(amount: Amount(units: lock.exitBond.units / 2), lock: Self.payTo(recipient)),
            marker(of: exit.outpoint, exit: lock),
        ]
    }
}

extension PlasmaExitLock {
    /// The coin an exit holds, as a cancel gives it back.
    public var coinLock: PlasmaCoinLock {
        PlasmaCoinLock(chainId: chainId, coinId: coinId, depositorKey: depositorKey, exitWindow: exitWindow, firstBlock: firstBlock)
    }
}
