import EmberConsensus
import EmberCore
import EmberCrypto

/// A transaction in the mempool, with what the pool computed when it came in and its relatives among
/// the other unconfirmed transactions.
public struct MempoolEntry: Sendable {
    /// Totals over a set of entries: a transaction with its in-pool ancestors, or with its descendants.
    public struct Package: Hashable, Sendable {
        /// How many entries.
        public internal(set) var count: Int
        /// Their encoded bytes: what the pool's memory bound counts.
        public internal(set) var size: Int
        /// Their weights: what a block's bound counts and fees are priced by.
        public internal(set) var weight: Int
        /// Their fees.
        public internal(set) var fee: Amount

        /// Their fee per weight unit, taken together.
        public var feeRate: FeeRate { FeeRate(fee: fee, weight: weight) }

        init(count: Int, size: Int, weight: Int, fee: Amount) {
            self.count = count
            self.size = size
            self.weight = weight
            self.fee = fee
        }

        // A package holds at most `maxAncestors` or `maxDescendants` entries, each paying at most
        // `maxAmount` (10^27), so its fee stays far below 2^128; saturating instead of trapping only
        // guards against a policy set absurdly high.
        mutating func add(_ entry: MempoolEntry) {
            count += 1
            size += entry.size
            weight += entry.weight
            fee = fee.adding(entry.fee) ?? Amount(units: .max)
        }

        mutating func remove(_ entry: MempoolEntry) {
            count -= 1
            size -= entry.size
            weight -= entry.weight
            fee = fee.subtracting(entry.fee) ?? .zero
        }
    }

    /// The transaction.
    public let transaction: Transaction
    /// Its txid, full hash and encoded size.
    public let digests: Transaction.Digests
    /// Its weight (DESIGN.md section 15): size plus ⌈maxSteps / 64⌉ for each input's declared VM steps.
    public let weight: Int
    /// Σinputs − Σoutputs − what its covenants burn.
    public let fee: Amount
    /// When this node first accepted it (ms since the Unix epoch); it expires counting from here.
    public let arrivalMs: UInt64
    /// The latest lock time of the outputs it spends: no block with an earlier timestamp may hold it.
    public let unlockTimeMs: UInt64
    /// Arrival order, so parents always sort before their children.
    let sequence: UInt64
    /// The including heights at which its covenant rules hold (DESIGN.md section 15, "Mempool and
    /// heights"): on a new tip the pool keeps it only while the next height is inside.
    public let validHeights: ValidHeights
    /// Whether it spends a channel output (lock tag 1 or 2), a Plasma output (tags 3, 5, 6, 10, 13, 14) or a
    /// Truebit output (tags 7, 8, 9, 11, 12, 15), confirmed or not, or creates a Plasma challenge or a
    /// Truebit game: it stays light and has at most one unconfirmed child, of at most
    /// `MempoolPolicy.maxChannelSpendWeight` (docs/mempool.md).
    public let isLayer2Spend: Bool
    /// The txids of the in-pool transactions whose outputs it spends or reads: a block must hold them first.
    public internal(set) var parents: Set<Hash32>
    /// The txids of the in-pool transactions that spend or read its outputs.
    public internal(set) var children: Set<Hash32> = []
    /// It and all its in-pool ancestors: what a block must take to take it.
    public internal(set) var ancestors: Package
    /// It and all its in-pool descendants: what evicting it removes.
    public internal(set) var descendants: Package

    init(
        transaction: Transaction, digests: Transaction.Digests, weight: Int, fee: Amount, arrivalMs: UInt64, unlockTimeMs: UInt64,
        sequence: UInt64, validHeights: ValidHeights, isLayer2Spend: Bool, parents: Set<Hash32>
    ) {
        self.transaction = transaction
        self.digests = digests
        self.weight = weight
        self.fee = fee
        self.arrivalMs = arrivalMs
        self.unlockTimeMs = unlockTimeMs
        self.sequence = sequence
        self.validHeights = validHeights
        self.isLayer2Spend = isLayer2Spend
        self.parents = parents
        let alone = Package(count: 1, size: digests.size, weight: weight, fee: fee)
        ancestors = alone
        descendants = alone
    }

    /// Its txid.
    public var txid: Hash32 { digests.txid }
    /// Its encoded size in bytes.
    public var size: Int { digests.size }
    /// Its own fee per weight unit.
    public var feeRate: FeeRate { FeeRate(fee: fee, weight: weight) }
    /// Whether a new tip can make it invalid: a deadline, window or clock of its covenant rules bounds it.
    public var isHeightBounded: Bool { !validHeights.isUnbounded }
}
