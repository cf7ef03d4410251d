import EmberConsensus
import EmberCore
import EmberCrypto

/// Why the mempool did not take a transaction: a consensus rule it breaks, or a policy of this node.
public enum MempoolRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// It breaks a consensus rule.
    case invalid(TransactionRejection)
    /// It is already in the pool, the orphan pool or the chain.
    case alreadyKnown(Hash32)
    /// It spends an output a transaction in the pool already spends, and that output is no covenant
    /// output (lock tag 0): the first one seen stays.
    case conflict(with: Hash32, outpoint: OutPoint)
    /// It would replace what it conflicts with but pays less than their fees (descendants included)
    /// plus the minimum fee of its own weight (BIP 125 rules 3 and 4).
    case replacementFeeTooLow(required: Amount, found: Amount)
    /// It would replace `evicted`, which pays `evictedRate`, at no higher a fee per weight unit.
    case replacementFeeRateTooLow(evicted: Hash32, evictedRate: FeeRate, found: FeeRate)
    /// Replacing what it conflicts with would evict more transactions, descendants included, than the policy allows.
    case tooManyReplacements(limit: Int, found: Int)
    /// It spends or reads an output of `evicted`, a transaction its own replacement would evict.
    case replacementSpendsEvicted(Hash32)
    /// It reads an output a transaction in the pool already spends; the spender came first.
    case readSpentInPool(OutPoint, spentBy: Hash32)
    /// It spends a channel output (lock tag 1 or 2) and weighs more than the policy allows.
    case channelSpendTooHeavy(weight: Int, limit: Int)
    /// It spends a Plasma output (or creates a Plasma challenge) and weighs more than the policy allows.
    case plasmaSpendTooHeavy(weight: Int, limit: Int)
    /// It is a Truebit spend (it spends an output of lock tag 7, 8, 9, 11, 12 or 15, or creates a game) and
    /// weighs more than the policy allows beside a reveal's output blob.
    case truebitSpendTooHeavy(weight: Int, limit: Int)
    /// It would be a second unconfirmed descendant of `spend`, a channel, Plasma or Truebit spend.
    case layer2SpendHasChild(spend: Hash32)
    /// It would be the child of `spend`, a channel, Plasma or Truebit spend, and weighs more than a child may.
    case layer2SpendChildTooHeavy(spend: Hash32, weight: Int, limit: Int)
    /// Its spend of the channel output `outpoint` ranks below the spend by `replacing` it would replace
    /// (a close above an override, a newer version above an older, a co-signed state above a forced move).
    case staleChannelReplacement(replacing: Hash32, outpoint: OutPoint, rank: String, replacedRank: String)
    /// It would replace the close (mode 8) by `replacing` of the truebitSolution at `outpoint` with a spend
    /// that is no close: a payout never takes the place of a close, whatever its fee.
    case staleTruebitReplacement(replacing: Hash32, outpoint: OutPoint)
    /// It claims a timeout (mode 7) on the game output `outpoint`, which a pool transaction creates: whether
    /// the clock has run out depends on the height that output will be mined at.
    case truebitClaimOnUnconfirmedGame(outpoint: OutPoint)
    /// Its inputs declare more VM steps, summed, than this node relays (consensus would allow them in a block).
    case tooManySteps(limit: UInt64, found: UInt64)
    /// The pool is full and the transaction does not pay more per byte than what it would evict.
    case poolFull(minimumFeeRate: FeeRate)
    /// It would have more in-pool ancestors, itself included, than the policy allows.
    case tooManyAncestors(limit: Int)
    /// It would give an in-pool ancestor more descendants, itself included, than the policy allows.
    case tooManyDescendants(ancestor: Hash32, limit: Int)
    /// It spends an output we do not know, and the orphan pool cannot hold it.
    case orphanPoolFull(missing: OutPoint, size: Int, maxOrphanBytes: Int)

    /// Whether a peer that sent it should be scored: only consensus failures are its fault.
    public var isSenderAtFault: Bool {
        if case .invalid(let rejection) = self { return rejection.isSenderAtFault }
        return false
    }

    /// Whether a VM run the transaction requires failed: its verdict never depends on the height
    /// (DESIGN.md section 15), so a peer relaying it made us run a program for nothing and is disconnected.
    public var isFailedProgramRun: Bool {
        if case .invalid(.covenant(.programRunFailed)) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .invalid(let rejection): "invalid transaction: \(rejection)"
        case .alreadyKnown(let txid): "transaction \(txid) is already known"
        case .conflict(let other, let outpoint):
            "input \(outpoint.txid):\(outpoint.index) is already spent by transaction \(other) in the mempool; "
                + "wait for it to confirm or expire (only covenant outputs can be replaced by fee)"
        case .replacementFeeTooLow(let required, let found):
            "a replacement must pay at least \(required) units (the fees it evicts plus its own minimum fee), found \(found)"
        case .replacementFeeRateTooLow(let evicted, let evictedRate, let found):
            "a replacement must pay more per weight unit than \(evicted), which pays \(evictedRate); found \(found)"
        case .tooManyReplacements(let limit, let found):
            "the replacement would evict \(found) transactions, more than the limit of \(limit)"
        case .replacementSpendsEvicted(let evicted):
            "the transaction spends or reads an output of \(evicted), which its replacement would evict"
        case .readSpentInPool(let outpoint, let spender):
            "read \(outpoint.txid):\(outpoint.index) is already spent by transaction \(spender) in the mempool"
        case .channelSpendTooHeavy(let weight, let limit):
            "a transaction spending a channel output may weigh \(limit) here, found \(weight); "
                + "move other inputs and outputs to another transaction, or wait for an unconfirmed channel output to confirm"
        case .plasmaSpendTooHeavy(let weight, let limit):
            "a transaction spending a Plasma output may weigh \(limit), found \(weight); batch fewer exits, answers or proofs in it"
        case .truebitSpendTooHeavy(let weight, let limit):
            "a transaction spending a Truebit output (or creating a game) may weigh \(limit) here, found \(weight); "
                + "move other inputs, outputs and moves to another transaction"
        case .layer2SpendHasChild(let spend):
            "unconfirmed transaction \(spend) spends a channel, Plasma or Truebit output and already has its one child; "
                + "pay more than that child to replace it, or wait for it to confirm"
        case .layer2SpendChildTooHeavy(let spend, let weight, let limit):
            "unconfirmed transaction \(spend) spends a channel, Plasma or Truebit output, so its child may weigh \(limit), found \(weight); "
                + "wait for it to confirm"
        case .staleChannelReplacement(let replacing, let outpoint, let rank, let replacedRank):
            "the spend of channel output \(outpoint.txid):\(outpoint.index) ranks as \(rank), below \(replacedRank) of \(replacing), "
                + "which it would replace; only a close, a newer state or a co-signed one replaces a channel spend"
        case .staleTruebitReplacement(let replacing, let outpoint):
            "transaction \(replacing) closes the refuted solution \(outpoint.txid):\(outpoint.index); only another close replaces it"
        case .truebitClaimOnUnconfirmedGame(let outpoint):
            "game output \(outpoint.txid):\(outpoint.index) is unconfirmed; claim its timeout once it is mined"
        case .tooManySteps(let limit, let found):
            "the inputs declare \(found) VM steps, more than the \(limit) this node relays"
        case .poolFull(let minimumFeeRate):
            "the mempool is full; a transaction must pay more than \(minimumFeeRate) to enter"
        case .tooManyAncestors(let limit):
            "the transaction would have more than \(limit) unconfirmed ancestors (itself included); wait for some to confirm"
        case .tooManyDescendants(let ancestor, let limit):
            "unconfirmed transaction \(ancestor) would have more than \(limit) descendants (itself included); wait for it to confirm"
        case .orphanPoolFull(let missing, let size, let maxOrphanBytes):
            "input \(missing.txid):\(missing.index) is unknown, and the orphan pool (\(maxOrphanBytes) bytes) "
                + "cannot hold a transaction of \(size) bytes; send its parent first"
        }
    }
}
