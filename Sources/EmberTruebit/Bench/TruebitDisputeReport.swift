import EmberConsensus
import EmberCore

/// What `TruebitDisputeBenchmark` measured for one run length: the dispute's transactions and their layer-1
/// bytes, each side's time per round, the runs, and the consensus time of the settling step.
public struct TruebitDisputeReport: Sendable {
    /// One transaction of the task's life as the builders made it and the ledger included it.
    public struct Included: Sendable {
        public let kind: Kind
        public let transaction: Transaction
        /// `SponsoredTransaction.weight`: what the fee is priced by.
        public let weight: Int
        public let fee: Amount
        public let height: UInt64

        /// The serialized size in bytes.
        public var bytes: Int { transaction.encoded.count }
    }

    public enum Kind: String, CaseIterable, Sendable {
        case post, commit, reveal, challenge, bisect, choose, step, close
    }

    /// One bisection round: the solver's bisect and the challenger's choose.
    public struct Round: Sendable {
        public let lo: UInt64
        public let hi: UInt64
        /// k, the parts the range is cut into.
        public let parts: Int
        /// j, the part the challenger named.
        public let chosenPart: Int
        /// The solver's k − 1 state hashes from its run.
        public let solverHashing: Duration
        /// Building the bisect: signing the move and the sponsor's self-check on the network's rules.
        public let solverBuilding: Duration
        /// Instructions the solver's run replayed from checkpoints for this round.
        public let solverReplayedSteps: UInt64
        /// Reading the points from the bisect, the challenger's own k − 1 hashes and the choice.
        public let challengerHashing: Duration
        /// Building the choose.
        public let challengerBuilding: Duration
        public let challengerReplayedSteps: UInt64

        public var solverAnswer: Duration { solverHashing + solverBuilding }
        public var challengerAnswer: Duration { challengerHashing + challengerBuilding }
    }

    /// The consensus cost of the step that settles the game, each a mean over `repeats` checks.
    public struct SettleCost: Sendable {
        public let repeats: Int
        /// `checkTransactionConnect` of the step transaction against the outputs it spends: the amounts, the
        /// fee and the covenant framework with the game rule (decoding the proof, `verifyStep`), as a block
        /// connects it.
        public let connect: Duration
        /// Sanity, signatures (the fee input's) and connect: the step's whole cost in a block.
        public let fullCheck: Duration
        /// `verifyStep` of the decoded proof alone.
        public let verifyStep: Duration
        /// One Ed25519 verification (of a txid signature), the same run's reference.
        public let signatureVerification: Duration
        /// The step proof's binary size.
        public let proofBytes: Int
        /// The memory leaves the proved instruction reads or writes beside its own (0 for an ALU instruction,
        /// 1 or 2 for a load or store): what makes a proof larger.
        public let proofDataLeaves: Int
    }

    public let params: ConsensusParams
    /// The run's exact length, and the task's maxSteps.
    public let steps: UInt64
    public let checkpointInterval: UInt64
    /// The first index whose state the lying run has wrong: the dispute ends on the step before it.
    public let firstWrongIndex: UInt64
    /// Every transaction from the post to the close, in the order included.
    public let transactions: [Included]
    public let rounds: [Round]
    /// The challenger's step: its proof from its run (`TaskRun.stepProof`) and the build.
    public let stepAnswer: Duration
    /// The honest (challenger's) and lying (solver's) runs from load to halt, checkpoints included.
    public let honestRun: Duration
    public let lyingRun: Duration
    /// The program's steps per second on the fast path (no checkpoint, no hash), the same run: the rate of a
    /// replay from a checkpoint.
    public let fastPathStepsPerSecond: Double
    /// Checkpoints each run keeps: one at index 0 and one every `checkpointInterval` steps up to the halt.
    public let checkpointsPerRun: UInt64
    /// The resident memory the honest run added, from the caller's probe; nil without one.
    public let honestRunMemoryBytes: Int?
    public let settle: SettleCost
    /// The outputs after the close (the recreated task, the marker, the parties' coins).
    public let finalOutputs: InMemoryUTXOView

    /// `Bisection.maxRounds(steps:)`: what the rounds equal when the challenger always names a largest part.
    public var maxRounds: Int { Bisection.maxRounds(steps: steps) }

    /// The transactions of the dispute itself, from the challenge to the close.
    public var dispute: [Included] { Array(transactions.drop { $0.kind != .challenge }) }
    public var disputeBytes: Int { dispute.map(\.bytes).reduce(0, +) }
    public var disputeWeight: Int { dispute.map(\.weight).reduce(0, +) }
    /// What the dispute's transactions paid in fees; nil on an overflow, which fees of real transactions never reach.
    public var disputeFees: Amount? { dispute.map(\.fee).checkedSum() }
    /// The fee the minimum rate asks for the dispute's weight.
    public var disputeMinimumFee: Amount { params.minimumFee(weight: disputeWeight) }

    /// The transactions of one kind, in order.
    public func included(_ kind: Kind) -> [Included] { transactions.filter { $0.kind == kind } }
}
