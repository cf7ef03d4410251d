import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberVM
import Foundation
import Logging

/// `ember truebit solve`: takes Truebit tasks without a person (docs/truebit.md, "Solver").
///
/// Each pass follows layer 1 into the store (every task, commit, solution and game), then lets
/// `TruebitSolverPlanner` decide from the store alone and carries the decisions out: it runs the tasks
/// within its limits (refusing what cannot be solved or defended), stores the salt and the result before
/// broadcasting the commit, reveals once the commit is final, answers every game against its solutions at
/// its turn (the deepest first), claims games whose challenger ran out of clock, takes the payout from
/// `deadline + 3·clock`, and solves again a task that comes back. Everything but the runs lives in the
/// store, and the runs are made again on demand, so a restart resumes where the last pass stopped.
public actor TruebitSolver {
    public struct Configuration: Sendable {
        public var limits: SolverLimits
        /// Blocks after which an action without effect is sent again.
        public var resendAfter: UInt64
        /// How runs keep checkpoints; a fault here makes a cheating solver (tests and demos only).
        public var runOptions: TaskRun.Options
        /// The first height followed when the store has no cursor.
        public var startHeight: UInt64

        public init(limits: SolverLimits, resendAfter: UInt64 = 3, runOptions: TaskRun.Options = TaskRun.Options(), startHeight: UInt64 = 0) {
            self.limits = limits
            self.resendAfter = resendAfter
            self.runOptions = runOptions
            self.startHeight = startHeight
        }
    }

    public nonisolated let context: TruebitDaemonContext
    /// Signs reveals and bisects; its public key is the solver key of every commit.
    public nonisolated let solverKey: SigningKey
    public nonisolated let configuration: Configuration
    private let core: TruebitDaemonCore
    private let logger: Logger

    public init(
        context: TruebitDaemonContext, solverKey: SigningKey, configuration: Configuration, logger: Logger = Logger(label: "ember.truebit.solver")
    ) {
        self.context = context
        self.solverKey = solverKey
        self.configuration = configuration
        self.logger = logger
        core = TruebitDaemonCore(
            context: context, scan: TruebitBlockScan(solverKey: solverKey.rawPublicKey), resendAfter: configuration.resendAfter,
            runOptions: configuration.runOptions, startHeight: configuration.startHeight, logger: logger, role: "truebit solver")
    }

    public nonisolated var store: TruebitStore { context.store }
    nonisolated var node: NodeAPIClient { context.node }
    nonisolated var transactions: TruebitTransactions { context.transactions }

    // MARK: - A pass

    /// Follows layer 1 to the node's tip, plans from the store and acts; returns what it did.
    @discardableResult
    public func pass() async throws -> [TruebitSolverAction] {
        let tip = try await core.catchUp()
        let view = try view(nextHeight: tip.height + 1)
        var done = [TruebitSolverAction]()
        for action in TruebitSolverPlanner.plan(view) {
            do {
                if try await perform(action, tipHeight: tip.height) { done.append(action) }
            } catch let error as TruebitStoreError {
                throw error
            } catch {
                // One action's failure (a node that did not answer, a run that cannot be made) leaves the others.
                logger.error("truebit solver: \(action) failed: \(error)")
            }
        }
        try core.finishPass(keepingRunsOf: Set(try store.solutions().filter { !$0.status.isFinal }.map(\.taskId)), tipHeight: tip.height)
        return done
    }

    /// Runs passes every `interval` until cancelled; a pass that fails is logged and tried again.
    public func run(interval: Duration = .seconds(2)) async {
        logger.notice("truebit solver: started for solver key \(solverKey.rawPublicKey.bytes.hexString)")
        await core.repeatPasses(every: interval) { try await self.pass() }
    }

    private func view(nextHeight: UInt64) throws -> TruebitSolverPlanner.View {
        var records = [TruebitChainRecord]()
        for tag in [Lock.Tag.truebitTask, Lock.Tag.truebitCommit, Lock.Tag.truebitSolution, Lock.Tag.truebitGame] {
            records += try store.records(tag: tag, includeSpent: true)
        }
        let solutions = try store.solutions()
        var refused = Set<Hash32>()
        for task in records where task.isUnspent {
            guard case .truebitTask(let lock) = task.output.lock else { continue }
            if try store.decision(taskId: lock.taskId)?.verdict == .refused { refused.insert(lock.taskId) }
        }
        return TruebitSolverPlanner.View(
            nextHeight: nextHeight, layer2: transactions.params.layer2, solverKey: solverKey.rawPublicKey,
            openTasks: records.filter { $0.isUnspent && $0.output.lock.tag == Lock.Tag.truebitTask }, records: records, solutions: solutions,
            refusedTasks: refused)
    }

    // MARK: - Acting

    /// Carries out one decision; returns whether it did anything (sent, stored).
    private func perform(_ action: TruebitSolverAction, tipHeight: UInt64) async throws -> Bool {
        switch action {
        case .take(let task):
            return try await take(task, tipHeight: tipHeight)
        case .commit(let solution, let task):
            return try await sendCommit(solution, task: task, tipHeight: tipHeight)
        case .reveal(let solution, let commit):
            let result = TruebitRunResult(finalState: solution.finalState, output: solution.output, outputProof: solution.outputProof)
            let (transactions, key, salt) = (self.transactions, solverKey, solution.salt)
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.reveal(commit: commit.chainOutput, result: result, salt: salt, solverKey: key, in: context)
            }
        case .bisect(let game, let solution):
            guard case .truebitGame(let lock) = game.output.lock, case .truebitSolution(let solutionLock) = solution.output.lock,
                  let run = try await core.run(of: solutionLock.task)
            else { return false }
            if run.finalStateHash != solutionLock.finalState {
                logger.error("truebit solver: the run of task \(solutionLock.task.taskId.hex) no longer gives the committed final state; answering from it anyway")
            }
            let points = try run.bisectionHashes(lo: lock.lo, hi: lock.hi)
            let (transactions, key) = (self.transactions, solverKey)
            return try await core.send(action.key, what: "\(action) over [\(lock.lo), \(lock.hi)]", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.bisect(game: game.chainOutput, points: points, solverKey: key, in: context)
            }
        case .claim(let game):
            let transactions = self.transactions
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.claim(game: game.chainOutput, in: context)
            }
        case .payout(let solution):
            let transactions = self.transactions
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.payout(solution: solution.chainOutput, in: context)
            }
        case .setStatus(var solution, let status, let reason):
            solution.status = status
            solution.updatedHeight = tipHeight
            try store.save(solution)
            logger.notice("truebit solver: solution to task \(solution.taskId.hex) is \(status.rawValue): \(reason)")
            return true
        }
    }

    /// Weighs, runs and commits to an open task; a refusal is logged and, unless transient, stored.
    private func take(_ task: TruebitChainRecord, tipHeight: UInt64) async throws -> Bool {
        guard case .truebitTask(let lock) = task.output.lock else { return false }
        let limits = configuration.limits
        if let refusal = TruebitSolverPlanner.screen(
            lock, reward: task.output.amount, nextHeight: tipHeight + 1, finalityDepth: transactions.params.layer2.finalityDepth, limits: limits) {
            return try refuse(lock, refusal, tipHeight: tipHeight)
        }
        let made: TaskRun?
        do {
            made = try await core.run(of: lock)
        } catch {
            guard let refused = error as? TaskRunError else { throw error }
            return try refuse(lock, .runRefused(refused.description), tipHeight: tipHeight)
        }
        guard let run = made else { return false }
        let refusal = TruebitSolverPlanner.judge(
            outcome: run.outcome, outputBytes: run.output.count, memoryBytes: run.memoryBytes, stateHashCost: run.measureStateHashCost(),
            task: lock, reward: task.output.amount, limits: limits)
        if let refusal { return try refuse(lock, refusal, tipHeight: tipHeight) }
        let result = try run.solverResult()
        var salt = [UInt8](repeating: 0, count: Hash32.byteCount)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        guard let saltHash = Hash32(salt) else { return false }
        let solution = SolverSolution(
            taskId: lock.taskId, taskOutpoint: task.outpoint, salt: saltHash, finalState: result.finalState, output: result.output,
            outputProof: result.outputProof, updatedHeight: tipHeight)
        // Stored before anything is built or sent: without the salt the reveal cannot be made.
        try store.save(solution)
        try store.save(TaskDecision(taskId: lock.taskId, verdict: .taken, reason: "ran \(run.steps) steps in \(run.duration)", height: tipHeight))
        logger.notice("truebit solver: task \(lock.taskId.hex) ran \(run.steps) steps in \(run.duration): final state \(run.finalStateHash.hex)")
        return try await sendCommit(solution, task: task, tipHeight: tipHeight)
    }

    private func refuse(_ task: TruebitTaskLock, _ refusal: TaskRefusal, tipHeight: UInt64) throws -> Bool {
        logger.notice("truebit solver: refusing task \(task.taskId.hex): \(refusal)")
        guard !refusal.isTransient else { return false }
        try store.save(TaskDecision(taskId: task.taskId, verdict: .refused, reason: refusal.description, height: tipHeight))
        core.forgetRun(of: task.taskId)
        return true
    }

    /// Builds the commit of a stored solution, stores its txid, then sends it.
    private func sendCommit(_ solution: SolverSolution, task: TruebitChainRecord, tipHeight: UInt64) async throws -> Bool {
        let result = TruebitRunResult(finalState: solution.finalState, output: solution.output, outputProof: solution.outputProof)
        let (transactions, store, raw) = (self.transactions, self.store, solverKey.rawPublicKey)
        let action = TruebitSolverAction.commit(solution, task: task)
        return try await core.send(action.key, what: "commit to task \(solution.taskId.hex)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
            try transactions.commit(task: task.chainOutput, result: result, salt: solution.salt, solverKey: raw, in: context)
        } beforeSubmit: { built in
            var committing = solution
            committing.commitTxid = built.transaction.txid
            try store.save(committing)
        }
    }
}
