import EmberCore

/// The spending rules of one lock tag (DESIGN.md sections 15–18): a pure function per spend mode and
/// the tag's creation rule. The framework (`ConsensusParams.checkCovenants`) calls it and enforces
/// what every covenant shares: pinned outputs, burns, named blobs and the fee.
public protocol CovenantRule: Sendable {
    /// The lock tag these rules govern.
    var lockTag: UInt8 { get }

    /// Checks a spend of an output under this lock; returns the outputs it pins (in order, from the
    /// unlock's firstOutput), what it burns, which blobs it names and the including heights its verdict
    /// holds for. Throws when the spend breaks a rule.
    ///
    /// Apart from `context.height`, the verdict must depend only on the transaction, the outputs it spends
    /// and reads, and the parameters; a check of the height belongs in the returned `heights` as well, or
    /// the mempool keeps a transaction no block can hold (it never runs the rules again on a new tip).
    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend

    /// The tag's creation rule: whether the transaction may create output `context.outputIndex`
    /// under this lock outside any pinned range; returns the blobs it names.
    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation
}

/// An output a covenant spend requires at an exact position: amount and lock exact, lockTime 0, no data.
public struct PinnedOutput: Hashable, Sendable {
    public var amount: Amount
    public var lock: Lock

    public init(amount: Amount, lock: Lock) {
        self.amount = amount
        self.lock = lock
    }

    /// The output a transaction must carry at the pinned position.
    public var output: Output { Output(amount: amount, lock: lock, lockTime: 0, data: []) }
}

/// What one covenant spend requires of its transaction.
public struct CovenantSpend: Hashable, Sendable {
    /// `outputs[firstOutput ..< firstOutput + pinned.count]` must be exactly these.
    public var pinned: [PinnedOutput]
    /// Coin the spend destroys: no output gets it and no miner collects it.
    public var burnt: Amount
    /// Indices of the transaction's blobs the rule names (a program, an input, an output, evidence).
    public var namedBlobs: Set<Int>
    /// The including heights the verdict holds for: what every deadline and window the rule checked allows.
    public var heights: ValidHeights
    /// Indices into `transaction.reads` of the outputs the rule looked at; a read no rule uses is invalid.
    public var usedReads: Set<Int>

    public init(
        pinned: [PinnedOutput] = [], burnt: Amount = .zero, namedBlobs: Set<Int> = [], heights: ValidHeights = .unbounded,
        usedReads: Set<Int> = []
    ) {
        self.pinned = pinned
        self.burnt = burnt
        self.namedBlobs = namedBlobs
        self.heights = heights
        self.usedReads = usedReads
    }
}

/// What a creation rule allowed.
public struct CovenantCreation: Hashable, Sendable {
    /// Indices of the transaction's blobs the rule names.
    public var namedBlobs: Set<Int>
    /// The including heights the verdict holds for.
    public var heights: ValidHeights
    /// Indices into `transaction.reads` of the outputs the rule looked at.
    public var usedReads: Set<Int>

    public init(namedBlobs: Set<Int> = [], heights: ValidHeights = .unbounded, usedReads: Set<Int> = []) {
        self.namedBlobs = namedBlobs
        self.heights = heights
        self.usedReads = usedReads
    }
}
