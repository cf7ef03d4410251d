import EmberCore
import EmberNode

/// One covenant input of a transaction to sponsor: the output it spends, how, and what its rule pins.
public struct CovenantSpendInput: Hashable, Sendable {
    public var outpoint: OutPoint
    /// The output spent, with its creation height (covenant rules read it).
    public var spent: UnspentOutput
    /// A covenant unlock (tag 1–3); its `firstOutput` is where `pinned` goes in the output list.
    public var unlock: Unlock
    /// The input's witness items (signatures and proofs its rule checks).
    public var witness: Witness
    /// The outputs the rule pins for this spend, in order; empty when it pins nothing.
    public var pinned: [Output]

    public init(outpoint: OutPoint, spent: UnspentOutput, unlock: Unlock, witness: Witness, pinned: [Output] = []) {
        self.outpoint = outpoint
        self.spent = spent
        self.unlock = unlock
        self.witness = witness
        self.pinned = pinned
    }
}

/// What a sponsored transaction holds besides its funding: covenant inputs (first, in order), outputs
/// read, pinned outputs at their positions, the free outputs in the gaps and after, and blobs.
public struct CovenantTransactionRequest: Hashable, Sendable {
    public var covenantInputs: [CovenantSpendInput]
    /// Outputs read without being spent, with their current state.
    public var reads: [ReadOutput]
    /// Outputs no rule pins; they fill the positions pinned ranges leave free, in order, then follow them.
    public var otherOutputs: [Output]
    public var blobs: [[UInt8]]

    public init(covenantInputs: [CovenantSpendInput], reads: [ReadOutput] = [], otherOutputs: [Output] = [], blobs: [[UInt8]] = []) {
        self.covenantInputs = covenantInputs
        self.reads = reads
        self.otherOutputs = otherOutputs
        self.blobs = blobs
    }

    /// An output read without being spent.
    public struct ReadOutput: Hashable, Sendable {
        public var outpoint: OutPoint
        public var unspent: UnspentOutput

        public init(outpoint: OutPoint, unspent: UnspentOutput) {
            self.outpoint = outpoint
            self.unspent = unspent
        }
    }
}

/// A signed, self-checked sponsored transaction and what it pays.
public struct SponsoredTransaction: Hashable, Sendable {
    public let transaction: Transaction
    public let digests: Transaction.Digests
    /// `params.weight(of:size:)`: what the fee is priced by.
    public let weight: Int
    /// `Σin − Σout − burnt`, as consensus computed it.
    public let fee: Amount
    /// What the covenant rules burn.
    public let burnt: Amount
    /// The change output's amount (the last output); nil when the surplus was below dust and went to the fee.
    public let change: Amount?
    /// The funding key's outputs spent, in input order after the covenant inputs.
    public let funding: [WalletOutput]
}
