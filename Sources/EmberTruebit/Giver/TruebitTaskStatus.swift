import EmberConsensus
import EmberCore
import EmberCrypto

/// Where a task stands on layer 1, for `ember truebit status` (docs/truebit.md, "The life of a task"): its
/// phase, its current solution and the games against it (round, who is to move, both clocks), and the
/// result once paid. Pure: computed from a daemon store's records of the task and its solutions and the tip.
public struct TruebitTaskStatus: Hashable, Sendable {
    public enum Phase: String, Hashable, Sendable, CaseIterable {
        /// Waiting for a solver (the task output is unspent and before solveDeadline).
        case open
        /// Unsolved at solveDeadline: the giver may take the reward back.
        case refundable
        /// The giver took the reward back.
        case refunded
        /// A solver committed; its reveal is due before revealBy.
        case committed
        /// A solution is revealed and open to challenges until its deadline.
        case challengeable
        /// At least one game against the solution is being played.
        case disputed
        /// A game refuted the solution: a close will send the reward back into the task.
        case refuted
        /// Every game ended in the solution's favour, or none was opened: the payout is due from `payoutFrom`.
        case awaitingPayout
        /// The payout pinned a result; it is final once `finalityDepth` blocks deep.
        case paid
        /// The result is `finalityDepth` blocks deep: the giver may rely on it.
        case final
    }

    /// One game against the current solution.
    public struct Game: Hashable, Sendable {
        public var outpoint: OutPoint
        public var challengerKey: RawPublicKey
        public var lo: UInt64
        public var hi: UInt64
        /// 1 for the first bisection; one more after each choose.
        public var round: Int
        /// "solver" (to bisect), "challenger" (to choose, or to prove the one step when hi = lo + 1).
        public var toMove: String
        public var solverClock: UInt32
        public var challengerClock: UInt32
        /// The height from which the side to move has lost on its clock (`createdHeight + its clock`).
        public var clockRunsOutAt: UInt64
    }

    public struct Solution: Hashable, Sendable {
        public var solutionId: Hash32
        public var outpoint: OutPoint
        public var solverKey: RawPublicKey
        public var steps: UInt64
        public var finalState: Hash32
        public var outputHash: Hash32
        public var deadline: UInt64
        /// `deadline + 3·clock`: when anyone may pay the solver, whatever the games.
        public var payoutFrom: UInt64
    }

    public struct Result: Hashable, Sendable {
        public var outpoint: OutPoint
        public var solutionId: Hash32
        public var outputHash: Hash32
        public var paidAtHeight: UInt64
        public var confirmations: UInt64
    }

    public var taskId: Hash32
    public var tipHeight: UInt64
    public var phase: Phase
    /// The task as posted (the reward is the task output's amount).
    public var task: TruebitTaskLock
    public var reward: Amount
    /// Solutions refuted and closed so far.
    public var refutedSolutions: Int
    public var revealBy: UInt64?
    public var solution: Solution?
    public var games: [Game]
    public var result: Result?

    /// The status of `taskId` from `taskRecords` (the task's outputs and commits, `records(subject: taskId)`),
    /// `solutionRecords` (every solution of the task with its games, markers and results), at `tipHeight`;
    /// nil when no record of the task was seen.
    public init?(
        taskId: Hash32, taskRecords: [TruebitChainRecord], solutionRecords: [TruebitChainRecord], tipHeight: UInt64, finalityDepth: UInt64
    ) {
        let tasks = taskRecords.compactMap { record -> (TruebitChainRecord, TruebitTaskLock)? in
            guard case .truebitTask(let task) = record.output.lock, task.taskId == taskId else { return nil }
            return (record, task)
        }
        guard let (latestTask, taskLock) = tasks.last else { return nil }
        self.taskId = taskId
        self.tipHeight = tipHeight
        task = taskLock
        reward = latestTask.output.amount
        games = []
        let solutions = solutionRecords.compactMap { record -> (TruebitChainRecord, TruebitSolutionLock)? in
            guard case .truebitSolution(let solution) = record.output.lock, solution.task.taskId == taskId else { return nil }
            return (record, solution)
        }
        refutedSolutions = solutions.filter { $0.0.spend?.truebitMode == .closeRefuted }.count

        let results = solutionRecords.compactMap { record -> (TruebitChainRecord, TruebitResultLock)? in
            guard case .truebitResult(let result) = record.output.lock, result.taskId == taskId, record.isUnspent else { return nil }
            return (record, result)
        }
        if let (record, lock) = results.last {
            let confirmations = tipHeight >= record.height ? tipHeight - record.height + 1 : 0
            result = Result(outpoint: record.outpoint, solutionId: lock.solutionId, outputHash: lock.outputHash, paidAtHeight: record.height, confirmations: confirmations)
            phase = confirmations >= finalityDepth ? .final : .paid
            solution = solutions.first { $0.1.solutionId == lock.solutionId }.map { Self.describe($0.0, $0.1) }
            return
        }
        result = nil

        if latestTask.isUnspent {
            phase = tipHeight + 1 >= taskLock.solveDeadline ? .refundable : .open
            return
        }
        if latestTask.spend?.truebitMode == .refund {
            phase = .refunded
            return
        }
        let commits = taskRecords.compactMap { record -> (TruebitChainRecord, TruebitCommitLock)? in
            guard case .truebitCommit(let commit) = record.output.lock, commit.task.taskId == taskId else { return nil }
            return (record, commit)
        }
        if let (commit, lock) = commits.last, commit.isUnspent {
            phase = .committed
            revealBy = lock.revealBy
            return
        }
        guard let (solutionRecord, solutionLock) = solutions.last(where: { $0.0.isUnspent }) ?? solutions.last else {
            // The commit was spent but its solution is not recorded yet (a follower behind the tip).
            phase = .committed
            return
        }
        solution = Self.describe(solutionRecord, solutionLock)
        let ofSolution = solutionRecords.filter { $0.subject == solutionLock.solutionId }
        games = Self.games(ofSolution, tipHeight: tipHeight)
        let refuted = ofSolution.contains { if case .truebitRefuted = $0.output.lock { true } else { false } }
        if refuted {
            phase = .refuted
        } else if !games.isEmpty {
            phase = .disputed
        } else if tipHeight + 1 < solutionLock.deadline {
            phase = .challengeable
        } else {
            phase = .awaitingPayout
        }
    }

    static func describe(_ record: TruebitChainRecord, _ lock: TruebitSolutionLock) -> Solution {
        Solution(
            solutionId: lock.solutionId, outpoint: record.outpoint, solverKey: lock.solverKey, steps: lock.steps, finalState: lock.finalState,
            outputHash: lock.outputHash, deadline: lock.deadline, payoutFrom: lock.payoutHeight ?? .max)
    }

    /// The unspent games of one solution, each with its round counted from the chooses that led to it.
    static func games(_ records: [TruebitChainRecord], tipHeight: UInt64) -> [Game] {
        let all = records.compactMap { record -> (TruebitChainRecord, TruebitGameLock)? in
            guard case .truebitGame(let game) = record.output.lock else { return nil }
            return (record, game)
        }
        return all.filter { $0.0.isUnspent }.map { record, game in
            // Every game output of this challenger awaiting a bisect marks a round begun (the challenge, then each choose).
            let round = all.filter { $0.1.challengerKey == game.challengerKey && $0.1.pointsHash == .zero && $0.0.height <= record.height }.count
            let solverToMove = game.pointsHash == .zero && game.hi > game.lo && game.hi - game.lo > 1
            let clock = solverToMove ? game.solverClock : game.challengerClock
            let (runsOut, overflow) = record.height.addingReportingOverflow(UInt64(clock))
            return Game(
                outpoint: record.outpoint, challengerKey: game.challengerKey, lo: game.lo, hi: game.hi, round: max(round, 1),
                toMove: solverToMove ? "solver" : "challenger", solverClock: game.solverClock, challengerClock: game.challengerClock,
                clockRunsOutAt: overflow ? .max : runsOut)
        }
    }
}
