import EmberCore
import EmberCrypto

/// Lock tag 13, plasmaChallenge (docs/plasma.md): an invalid-history challenge, created by its own
/// transaction against a read exit and holding the challenger's bond; spent by the owner's answer (mode
/// 4), by the cancel beside its exit once unanswered (5), and by the refund once its exit is closed (7).
public struct PlasmaChallengeRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaChallenge }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = PlasmaChecks(context)
        guard case .plasmaChallenge(let challenge) = context.spent.output.lock else { throw checks.broken("lock", "not a plasmaChallenge") }
        let items = context.witness.items
        let amount = context.spent.output.amount
        let refund = PinnedOutput(amount: amount, lock: PlasmaChecks.payTo(challenge.challengerKey))
        switch CovenantUnlock.PlasmaMode(rawValue: context.unlock.mode) {
        case .answer:
            try checks.requireItemCount(items, [3], mode: "answer")
            let tx = try checks.childTransaction(items[0], "the answering transaction")
            let block = try checks.blockNumber(items[1], "b")
            let proof = try checks.proof(items[2], "the answering transaction's proof")
            let heights = try checks.before(challenge.respondBy, rule: "answer")
            guard tx.coinId == challenge.coinId, tx.parentBlock == challenge.childBlock,
                  challenge.childBlock < block, block <= challenge.limitBlock
            else {
                throw checks.broken(
                    "answer",
                    "the answer moves the coin from block \(challenge.childBlock) in a block after it and at most \(challenge.limitBlock)")
            }
            let half = Amount(units: amount.units / 2)
            let pinned = [PinnedOutput(amount: half, lock: PlasmaChecks.payTo(challenge.ownerKey))]
            try checks.requireIncluded(tx, proof: proof, chainId: challenge.chainId, number: block, what: "the answering transaction")
            try checks.requireSigned(tx, by: challenge.childOwnerKey, what: "the answering transaction")
            return CovenantSpend(pinned: pinned, burnt: Amount(units: amount.units - half.units), heights: heights, usedReads: checks.usedReads)
        case .cancel:
            try checks.requireItemCount(items, [0], mode: "cancel")
            let exits = context.transaction.inputs.indices.filter { context.transaction.inputs[$0].outpoint == challenge.exit }
            guard exits.count == 1, context.transaction.inputs[exits[0]].unlock.covenant?.mode == CovenantUnlock.PlasmaMode.cancel.rawValue else {
                throw checks.broken("cancel", "the challenge cancels only beside its own exit, spent in mode 5")
            }
            let heights = try checks.from(challenge.respondBy, rule: "cancel (the challenge is unanswered)")
            return CovenantSpend(pinned: [refund], heights: heights)
        case .reclaimChallenge:
            try checks.requireItemCount(items, [0], mode: "reclaimChallenge")
            let heights = try checks.from(challenge.respondBy, rule: "reclaimChallenge")
            let marker = context.transaction.reads.indices.first { index in
                if case .plasmaExitClosed(let closed) = context.reads[index].output.lock { return closed.exit == challenge.exit }
                return false
            }
            guard let marker else { throw checks.broken("reclaimChallenge", "the transaction does not read the closed marker of the challenge's exit") }
            return CovenantSpend(pinned: [refund], heights: heights, usedReads: [marker])
        default:
            throw checks.broken("mode", "a challenge is spent by answer (4), cancel (5) or reclaimChallenge (7), found mode \(context.unlock.mode)")
        }
    }

    /// The invalid-history challenge: "entry c of the exit's coin exists, and the exit's history must
    /// show its spend in (c, parentBlock]". One per transaction, since its evidence sits in blobs 0 and 1.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        var checks = PlasmaChecks(
            lockTag: lockTag, height: context.height, transaction: context.transaction, reads: context.reads, params: context.params)
        let output = context.output
        guard case .plasmaChallenge(let challenge) = output.lock else { throw checks.broken("challenge", "not a plasmaChallenge") }
        try checks.requirePlain(output, index: context.outputIndex)
        let count = context.transaction.outputs.count { $0.lock.tag == Lock.Tag.plasmaChallenge }
        guard count == 1 else { throw checks.broken("challenge", "a transaction creates one challenge, found \(count)") }
        guard output.amount >= checks.bondMinimum else {
            throw checks.broken("challenge", "the challenge bond \(output.amount) is below the minimum \(checks.bondMinimum)")
        }
        guard let read = checks.read(at: challenge.exit), case .plasmaExit(let exit) = read.output.lock else {
            throw checks.broken("challenge", "the transaction does not read the challenged exit")
        }
        let heights = try checks.before(exit.deadline, rule: "challenge")
            .intersection(try checks.chosen(challenge.respondBy, window: exit.exitWindow))
        guard exit.parentBlock >= 1 else { throw checks.broken("challenge", "an exit resting on the deposit has no earlier history to dispute") }
        guard challenge.chainId == exit.chainId, challenge.coinId == exit.coinId, challenge.ownerKey == exit.ownerKey,
              challenge.limitBlock == exit.parentBlock
        else {
            throw checks.broken("challenge", "the challenge's chain, coin, owner and limit block must be the exit's")
        }
        let child = challenge.childBlock
        guard child == 0 || (exit.firstBlock <= child && child < exit.parentBlock) else {
            throw checks.broken("challenge", "the challenged entry's block \(child) is not 0 and not in [\(exit.firstBlock), \(exit.parentBlock))")
        }
        guard child >= 1 else {
            guard challenge.childOwnerKey == exit.depositorKey else { throw checks.broken("challenge", "entry 0's owner is the depositor") }
            return CovenantCreation(heights: heights, usedReads: checks.usedReads)
        }
        let blobs = context.transaction.blobs
        guard blobs.count >= 2 else { throw checks.broken("challenge", "the entry and its proof travel in blobs 0 and 1") }
        let entry = try checks.childTransaction(blobs[0], "blob 0")
        let proof = try checks.proof(blobs[1], "blob 1")
        guard entry.coinId == exit.coinId, challenge.childOwnerKey == entry.newOwnerKey else {
            throw checks.broken("challenge", "blob 0 is not an entry of the coin with the challenge's child owner")
        }
        try checks.requireIncluded(entry, proof: proof, chainId: exit.chainId, number: child, what: "the challenged entry")
        return CovenantCreation(namedBlobs: [0, 1], heights: heights, usedReads: checks.usedReads)
    }
}
