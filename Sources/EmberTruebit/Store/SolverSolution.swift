import EmberCore
import EmberCrypto
import EmberVM

/// One attempt of the solver daemon at one task output: the salted result it commits to, kept from before
/// the commit is broadcast until the solution is paid, refuted or lost (docs/truebit.md, "What each side
/// must keep": losing the salt before the reveal loses the deposit).
public struct SolverSolution: Equatable, Sendable {
    /// Where the attempt stands; every status after `revealed` is final.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Salt and result stored; the commit built (and sent, or about to be).
        case committing
        /// The commit is on the chain.
        case committed
        /// The solution is on the chain, open to challenges until its deadline and then paid.
        case revealed
        /// Paid out to the solver.
        case paid
        /// A game proved it wrong and it was closed: the deposit is lost, the task recreated.
        case refuted
        /// Never revealed: another commit took the task, the reveal came too late, or the task expired.
        case lost

        public var isFinal: Bool { self == .paid || self == .refuted || self == .lost }
    }

    public var taskId: Hash32
    /// The task output the commit spends.
    public var taskOutpoint: OutPoint
    public var salt: Hash32
    /// The result committed to: the final state, the output bytes and its proof against the final memory root.
    public var finalState: MachineState
    public var output: [UInt8]
    public var outputProof: [UInt8]
    /// The commit transaction last built (its commit is output 0); nil before the first build.
    public var commitTxid: Hash32?
    public var status: Status
    /// The height of the tip when the status last changed.
    public var updatedHeight: UInt64

    public init(
        taskId: Hash32, taskOutpoint: OutPoint, salt: Hash32, finalState: MachineState, output: [UInt8], outputProof: [UInt8],
        commitTxid: Hash32? = nil, status: Status = .committing, updatedHeight: UInt64
    ) {
        self.taskId = taskId
        self.taskOutpoint = taskOutpoint
        self.salt = salt
        self.finalState = finalState
        self.output = output
        self.outputProof = outputProof
        self.commitTxid = commitTxid
        self.status = status
        self.updatedHeight = updatedHeight
    }

    /// Where the commit is once mined: output 0 of the commit transaction.
    public var commitOutpoint: OutPoint? { commitTxid.map { OutPoint(txid: $0, index: 0) } }

    /// The solutionId a reveal of this commit gets.
    public var solutionId: Hash32? { commitOutpoint.map { TruebitSolutionLock.solutionId(commit: $0) } }
}
