/// The mempool's own limits: node policy, not consensus, so each node may choose them
/// (docs/mempool.md explains the defaults).
public struct MempoolPolicy: Hashable, Sendable {
    /// Bounds the memory that transactions waiting for a block can take, counted in encoded bytes.
    public var maxBytes: Int
    /// Drops transactions that never confirm, so a stuck payment's inputs can be spent again.
    public var expiryMs: UInt64
    /// Bounds the work every acceptance, removal and template does along chains of unconfirmed
    /// transactions: at most this many in-pool ancestors, the transaction itself included.
    public var maxAncestors: Int
    /// The same bound seen from a parent: at most this many in-pool descendants, itself included.
    public var maxDescendants: Int
    /// Bounds how many transactions without known parents a peer can make us hold.
    public var maxOrphanCount: Int
    /// Bounds the memory those orphans can take, in encoded bytes.
    public var maxOrphanBytes: Int
    /// Drops orphans whose parents never come, so they cannot hold orphan slots for long.
    public var orphanExpiryMs: UInt64
    /// Bounds the VM work a peer or API client can make us do for one transaction that may never pay:
    /// at most this many declared steps, summed over its inputs (consensus allows 2^24 per input).
    public var maxRelaySteps: UInt64
    /// Bounds what a transaction spending a channel output (lock tag 1 or 2) weighs apart from its
    /// force-moves' runs and apps, and what its one child weighs, so no one can pin a dispute behind a
    /// heavy transaction that a replacement would have to outbid.
    public var maxChannelSpendWeight: Int
    /// Bounds what a transaction spending a Plasma output (or creating a Plasma challenge) weighs: one
    /// exit, preempt or fraud proof with two proofs of 8 224 bytes fits, a heavy pin does not.
    public var maxPlasmaSpendWeight: Int
    /// Bounds what a Truebit spend (a spend of lock tag 7, 8, 9, 11, 12 or 15, or a challenge) weighs
    /// apart from a reveal's output blob, so no one can pin a move, a step, a close or a commit behind a
    /// heavy transaction that the honest party would have to outbid before its clock or the payout.
    public var maxTruebitSpendWeight: Int
    /// Bounds the work and the churn of one replacement: at most this many transactions evicted,
    /// descendants included (BIP 125 rule 5).
    public var maxReplacementEvictions: Int

    /// 64 MiB of transactions.
    public static let defaultMaxBytes = 64 * 1_024 * 1_024
    /// 24 hours.
    public static let defaultExpiryMs: UInt64 = 24 * 60 * 60 * 1_000
    /// As Bitcoin Core's default chain limit.
    public static let defaultMaxAncestors = 25
    /// As Bitcoin Core's default chain limit.
    public static let defaultMaxDescendants = 25
    /// As Bitcoin Core's default orphan limit.
    public static let defaultMaxOrphanCount = 100
    /// 4 MiB: room for 40 orphans of the largest valid size.
    public static let defaultMaxOrphanBytes = 4 * 1_024 * 1_024
    /// 20 minutes, as Bitcoin Core.
    public static let defaultOrphanExpiryMs: UInt64 = 20 * 60 * 1_000
    /// 2^20, DESIGN.md section 15's relay cap.
    public static let defaultMaxRelaySteps: UInt64 = 1 << 20
    /// 10 000, DESIGN.md section 15 (as Bitcoin's TRUC child limit of 10 000 virtual bytes).
    public static let defaultMaxChannelSpendWeight = 10_000
    /// 20 000 (docs/plasma.md, "Mempool policy for Plasma spends"): the heaviest single Plasma spend weighs 17 386.
    public static let defaultMaxPlasmaSpendWeight = 20_000
    /// 10 000 (docs/truebit.md, "Mempool policy for Truebit spends"): a step with the largest proof weighs
    /// about 3 300, a reveal about 1 800 beside its output blob, every other Truebit spend under 1 100.
    public static let defaultMaxTruebitSpendWeight = 10_000
    /// 100, as BIP 125.
    public static let defaultMaxReplacementEvictions = 100
    /// A transaction spending a channel, Plasma or Truebit output has at most this many unconfirmed descendants,
    /// itself included: it and one child (DESIGN.md section 15), so replacing it costs a bounded fee.
    public static let maxLayer2SpendDescendants = 2

    /// Limits, each defaulting to the constant of the same name.
    public init(
        maxBytes: Int = defaultMaxBytes,
        expiryMs: UInt64 = defaultExpiryMs,
        maxAncestors: Int = defaultMaxAncestors,
        maxDescendants: Int = defaultMaxDescendants,
        maxOrphanCount: Int = defaultMaxOrphanCount,
        maxOrphanBytes: Int = defaultMaxOrphanBytes,
        orphanExpiryMs: UInt64 = defaultOrphanExpiryMs,
        maxRelaySteps: UInt64 = defaultMaxRelaySteps,
        maxChannelSpendWeight: Int = defaultMaxChannelSpendWeight,
        maxPlasmaSpendWeight: Int = defaultMaxPlasmaSpendWeight,
        maxTruebitSpendWeight: Int = defaultMaxTruebitSpendWeight,
        maxReplacementEvictions: Int = defaultMaxReplacementEvictions
    ) {
        self.maxBytes = maxBytes
        self.expiryMs = expiryMs
        self.maxAncestors = maxAncestors
        self.maxDescendants = maxDescendants
        self.maxOrphanCount = maxOrphanCount
        self.maxOrphanBytes = maxOrphanBytes
        self.orphanExpiryMs = orphanExpiryMs
        self.maxRelaySteps = maxRelaySteps
        self.maxChannelSpendWeight = maxChannelSpendWeight
        self.maxPlasmaSpendWeight = maxPlasmaSpendWeight
        self.maxTruebitSpendWeight = maxTruebitSpendWeight
        self.maxReplacementEvictions = maxReplacementEvictions
    }
}
