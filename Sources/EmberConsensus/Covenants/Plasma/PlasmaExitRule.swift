import EmberCore
import EmberCrypto

/// Lock tag 6, plasmaExit (docs/plasma.md): pinned by an exit or a preempt; spent by the spent and
/// double-spend challenges (modes 2, 3) and the preempt (10) before its deadline, by the cancel with its
/// own unanswered challenge (5), and by finalize (6) from deadline + 3 · exitWindow on.
public struct PlasmaExitRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaExit }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = PlasmaChecks(context)
        guard case .plasmaExit(let exit) = context.spent.output.lock else { throw checks.broken("lock", "not a plasmaExit") }
        let items = context.witness.items
        let amount = context.spent.output.amount
        let outpoint = context.input.outpoint
        switch CovenantUnlock.PlasmaMode(rawValue: context.unlock.mode) {
        case .challengeSpent, .challengeDoubleSpend:
            let spent = context.unlock.mode == CovenantUnlock.PlasmaMode.challengeSpent.rawValue
            let rule = spent ? "challengeSpent" : "challengeDoubleSpend"
            try checks.requireItemCount(items, [3], mode: rule)
            let tx = try checks.childTransaction(items[0], "the challenging transaction")
            let block = try checks.blockNumber(items[1], "b")
            let proof = try checks.proof(items[2], "the challenging transaction's proof")
            let heights = try checks.before(exit.deadline, rule: rule)
            guard tx.coinId == exit.coinId else { throw checks.broken(rule, "the transaction moves another coin") }
            guard block >= exit.firstBlock else { throw checks.broken(rule, "block \(block) is below the coin's first block") }
            let signer: RawPublicKey
            if spent {
                guard tx.parentBlock == exit.exitBlock, block > exit.exitBlock else {
                    throw checks.broken(rule, "a spend of the exit names the exit block \(exit.exitBlock) as parent and is included after it")
                }
                signer = exit.ownerKey
            } else {
                guard tx.parentBlock == exit.parentBlock, exit.parentBlock < block, block < exit.exitBlock else {
                    throw checks.broken(rule, "a double spend names the exit's parent block \(exit.parentBlock) and is included before block \(exit.exitBlock)")
                }
                signer = exit.parentOwnerKey
            }
            var spend = try checks.cancel(exit: exit, amount: amount, outpoint: outpoint, recipient: tx.newOwnerKey)
            try checks.requireIncluded(tx, proof: proof, chainId: exit.chainId, number: block, what: "the challenging transaction")
            try checks.requireSigned(tx, by: signer, what: "the challenging transaction")
            spend.heights = heights
            spend.usedReads = checks.usedReads
            return spend
        case .cancel:
            try checks.requireItemCount(items, [0], mode: "cancel")
            let challenges = context.spentByInputs.indices.filter { index in
                guard context.transaction.inputs[index].unlock.covenant?.mode == CovenantUnlock.PlasmaMode.cancel.rawValue,
                      case .plasmaChallenge(let challenge) = context.spentByInputs[index].output.lock
                else { return false }
                return challenge.exit == outpoint
            }
            guard challenges.count == 1, case .plasmaChallenge(let challenge) = context.spentByInputs[challenges[0]].output.lock else {
                throw checks.broken("cancel", "exactly one of the exit's own challenges is spent beside it in mode 5, found \(challenges.count)")
            }
            let heights = try checks.from(challenge.respondBy, rule: "cancel (the challenge is unanswered)")
            var spend = try checks.cancel(exit: exit, amount: amount, outpoint: outpoint, recipient: challenge.childOwnerKey)
            spend.heights = heights
            return spend
        case .finalize:
            try checks.requireItemCount(items, [0], mode: "finalize")
            let heights = try checks.from(PlasmaChecks.sat(exit.deadline, 3, times: exit.exitWindow), rule: "finalize")
            return CovenantSpend(
                pinned: [PinnedOutput(amount: amount, lock: PlasmaChecks.payTo(exit.ownerKey)), checks.marker(of: outpoint, exit: exit)],
                heights: heights)
        case .preempt:
            return try preempt(exit, context: context, checks: &checks, items: items)
        default:
            throw checks.broken("mode", "an exit is spent by modes 2, 3, 5, 6 or 10, found mode \(context.unlock.mode)")
        }
    }

    /// Preempt: an exit of the same coin from an older history entry displaces this one; its owner gets
    /// its bond back, and the new exit's bond matches the displaced one up to 10 · β_min.
    private func preempt(
        _ exit: PlasmaExitLock, context: SpendContext, checks: inout PlasmaChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireItemCount(items, [0, 2, 4], mode: "preempt")
        let first = context.unlock.firstOutput
        let found = try checks.output(firstOutput: first, offset: 0, input: context.inputIndex, count: 3)
        guard case .plasmaExit(let newer) = found.lock else {
            throw checks.broken("preempt", "output \(first) must be the new exit, carrying its chosen deadline and bond")
        }
        let beforeDeadline = try checks.before(exit.deadline, rule: "preempt")
        let heights = try checks.chosen(newer.deadline, window: exit.exitWindow).intersection(beforeDeadline)
        guard newer.coin == exit.coin else { throw checks.broken("preempt", "the new exit's coin fields differ from the exit's") }
        let cappedBond = Amount(units: checks.bondMinimum.units.multipliedReportingOverflow(by: 10).partialValue)
        let required = max(checks.bondMinimum, min(exit.exitBond, cappedBond))
        guard newer.exitBond >= required else {
            throw checks.broken("preempt", "the new exit's bond \(newer.exitBond) is below \(required) (preemptBondTooSmall)")
        }
        let value = try checks.exitValue(exit, amount: context.spent.output.amount)
        guard let total = value.adding(newer.exitBond), total <= context.params.maxAmount else {
            throw checks.broken("preempt", "the coin's value and the new bond exceed the maximum amount")
        }
        let evidence = try PlasmaExitEvidence(items: items, coin: exit.coin, exit: newer, checks: checks)
        guard (newer.parentBlock, newer.exitBlock) < (exit.parentBlock, exit.exitBlock) else {
            throw checks.broken(
                "preempt",
                "the new exit's (parent, exit) blocks (\(newer.parentBlock), \(newer.exitBlock)) are not older than (\(exit.parentBlock), \(exit.exitBlock)) (preemptNotOlder)")
        }
        let pinned = [
            PinnedOutput(amount: total, lock: .plasmaExit(newer)), PinnedOutput(amount: exit.exitBond, lock: PlasmaChecks.payTo(exit.ownerKey)),
            checks.marker(of: context.input.outpoint, exit: exit),
        ]
        guard found == pinned[0].output else {
            throw .pinnedOutputDiffers(input: context.inputIndex, output: Int(first), expected: pinned[0].output, found: found)
        }
        try evidence.verify(exit: newer, checks: &checks)
        return CovenantSpend(pinned: pinned, heights: heights, usedReads: checks.usedReads)
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}
