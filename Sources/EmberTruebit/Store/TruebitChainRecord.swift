import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2

/// A Truebit output (lock tag 7, 8, 9, 11, 12 or 15) a daemon saw on layer 1, with what it learnt about it
/// from the transaction that created it and from the one that spent it: the daemon's view of the chain.
public struct TruebitChainRecord: Hashable, Sendable {
    public var outpoint: OutPoint
    public var output: Output
    /// The height of the block that created it (a game's clocks run from it).
    public var height: UInt64
    /// For a task created by a post: that post, where the task's program and input blobs live.
    public var postTxid: Hash32?
    /// For a game pinned by a bisect: the solver's k − 1 points, read from the bisect's witness (they hash
    /// to the game's pointsHash); the challenger chooses among them.
    public var points: [Hash32]?
    /// For a game: the daemon's side in it, nil when it plays neither.
    public var side: GameSide?
    /// How it was spent, nil while unspent on the followed chain.
    public var spend: Spend?

    /// The daemon's side in a verification game.
    public enum GameSide: String, Hashable, Sendable {
        case solver, challenger
    }

    /// The transaction that spent a record, where it was mined, and the Truebit mode it spent it in.
    public struct Spend: Hashable, Sendable {
        public var height: UInt64
        public var txid: Hash32
        /// The unlock's mode (`CovenantUnlock.TruebitMode`).
        public var mode: UInt8

        public init(height: UInt64, txid: Hash32, mode: UInt8) {
            self.height = height
            self.txid = txid
            self.mode = mode
        }

        public var truebitMode: CovenantUnlock.TruebitMode? { CovenantUnlock.TruebitMode(rawValue: mode) }
    }

    public init(
        outpoint: OutPoint, output: Output, height: UInt64, postTxid: Hash32? = nil, points: [Hash32]? = nil, side: GameSide? = nil,
        spend: Spend? = nil
    ) {
        self.outpoint = outpoint
        self.output = output
        self.height = height
        self.postTxid = postTxid
        self.points = points
        self.side = side
        self.spend = spend
    }

    public var isUnspent: Bool { spend == nil }

    /// What a builder spends or reads: the outpoint with the output and its creation height.
    public var chainOutput: CovenantTransactionRequest.ReadOutput {
        CovenantTransactionRequest.ReadOutput(outpoint: outpoint, unspent: UnspentOutput(output: output, height: height, isCoinbase: false))
    }

    /// The id a record is looked up by: the taskId of a task or commit, the solutionId of a solution, game,
    /// marker or result; nil for any other lock.
    public var subject: Hash32? { Self.subject(of: output.lock) }

    static func subject(of lock: Lock) -> Hash32? {
        switch lock {
        case .truebitTask(let task): task.taskId
        case .truebitCommit(let commit): commit.task.taskId
        case .truebitSolution(let solution): solution.solutionId
        case .truebitGame(let game): game.solutionId
        case .truebitRefuted(let marker): marker.solutionId
        case .truebitResult(let result): result.solutionId
        default: nil
        }
    }

    /// The lock tags a daemon records.
    public static let recordedTags: Set<UInt8> = [
        Lock.Tag.truebitTask, Lock.Tag.truebitCommit, Lock.Tag.truebitSolution, Lock.Tag.truebitGame, Lock.Tag.truebitResult,
        Lock.Tag.truebitRefuted,
    ]

    /// The most points one bisect posts.
    public static let maxPoints = Int(Bisection.maxParts) - 1

    /// The points item of a bisect as hashes; nil unless it is 1 … 15 whole hashes.
    public static func points(item: [UInt8]) -> [Hash32]? {
        guard !item.isEmpty, item.count % Hash32.byteCount == 0, item.count / Hash32.byteCount <= maxPoints else { return nil }
        return stride(from: 0, to: item.count, by: Hash32.byteCount).compactMap { Hash32(Array(item[$0..<$0 + Hash32.byteCount])) }
    }
}
