import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberVM
import Foundation
import Logging

/// `ember truebit verify`: checks every Truebit solution without a person (docs/truebit.md, "Challenger").
///
/// Each pass follows layer 1 into the store, then lets `TruebitVerifierPlanner` decide from the store and
/// its verdicts, and carries the decisions out: it re-runs the task of every new solution and compares its
/// own state hash at the solution's step count with the solution's final state; challenges a wrong one
/// before its deadline; in each of its games names the first part whose right end differs from its own
/// run, and at `hi = lo + 1` proves that step on layer 1; claims a game whose solver ran out of clock;
/// closes every refuted solution at once, and voids a result paid despite a marker. Everything but the
/// runs lives in the store, and the runs are made again on demand, so a restart resumes.
public actor TruebitVerifier {
    public struct Configuration: Sendable {
        /// Blocks after which an action without effect is sent again.
        public var resendAfter: UInt64
        public var runOptions: TaskRun.Options
        /// The first height followed when the store has no cursor.
        public var startHeight: UInt64

        public init(resendAfter: UInt64 = 3, runOptions: TaskRun.Options = TaskRun.Options(), startHeight: UInt64 = 0) {
            self.resendAfter = resendAfter
            self.runOptions = runOptions
            self.startHeight = startHeight
        }
    }

    public nonisolated let context: TruebitDaemonContext
    /// Signs the challenger's moves; its public key is the challenger key of every game it opens.
    public nonisolated let challengerKey: SigningKey
    public nonisolated let configuration: Configuration
    private let core: TruebitDaemonCore
    private let logger: Logger

    public init(
        context: TruebitDaemonContext, challengerKey: SigningKey, configuration: Configuration, logger: Logger = Logger(label: "ember.truebit.verifier")
    ) {
        self.context = context
        self.challengerKey = challengerKey
        self.configuration = configuration
        self.logger = logger
        core = TruebitDaemonCore(
            context: context, scan: TruebitBlockScan(challengerKey: challengerKey.rawPublicKey), resendAfter: configuration.resendAfter,
            runOptions: configuration.runOptions, startHeight: configuration.startHeight, logger: logger, role: "truebit verifier")
    }

    public nonisolated var store: TruebitStore { context.store }
    nonisolated var node: NodeAPIClient { context.node }
    nonisolated var transactions: TruebitTransactions { context.transactions }

    // MARK: - A pass

    /// Follows layer 1 to the node's tip, plans from the store and acts; returns what it did.
    @discardableResult
    public func pass() async throws -> [TruebitVerifierAction] {
        let tip = try await core.catchUp()
        var records = [TruebitChainRecord]()
        for tag in [Lock.Tag.truebitSolution, Lock.Tag.truebitGame, Lock.Tag.truebitRefuted, Lock.Tag.truebitResult] {
            records += try store.records(tag: tag, includeSpent: true)
        }
        var verdicts = [Hash32: SolutionVerdict]()
        for record in records {
            guard case .truebitSolution(let lock) = record.output.lock, let verdict = try store.verdict(solutionId: lock.solutionId) else { continue }
            verdicts[lock.solutionId] = verdict
        }
        let view = TruebitVerifierPlanner.View(
            nextHeight: tip.height + 1, layer2: transactions.params.layer2, challengerKey: challengerKey.rawPublicKey, records: records, verdicts: verdicts)
        var done = [TruebitVerifierAction]()
        for action in TruebitVerifierPlanner.plan(view) {
            do {
                if try await perform(action, tipHeight: tip.height) { done.append(action) }
            } catch let error as TruebitStoreError {
                throw error
            } catch {
                logger.error("truebit verifier: \(action) failed: \(error)")
            }
        }
        try core.finishPass(keepingRunsOf: Self.liveTasks(records, challengerKey: challengerKey.rawPublicKey, nextHeight: tip.height + 1), tipHeight: tip.height)
        return done
    }

    /// Runs passes every `interval` until cancelled; a pass that fails is logged and tried again.
    public func run(interval: Duration = .seconds(2)) async {
        logger.notice("truebit verifier: started for challenger key \(challengerKey.rawPublicKey.bytes.hexString)")
        await core.repeatPasses(every: interval) { try await self.pass() }
    }

    /// Tasks whose run may still be asked for: a solution open to challenges, or a game of the daemon's.
    static func liveTasks(_ records: [TruebitChainRecord], challengerKey: RawPublicKey, nextHeight: UInt64) -> Set<Hash32> {
        var tasks = [Hash32: Hash32]()
        var live = Set<Hash32>()
        for record in records {
            guard case .truebitSolution(let lock) = record.output.lock else { continue }
            tasks[lock.solutionId] = lock.task.taskId
            if record.isUnspent, nextHeight < lock.deadline { live.insert(lock.task.taskId) }
        }
        for record in records where record.isUnspent {
            if case .truebitGame(let game) = record.output.lock, game.challengerKey == challengerKey, let task = tasks[game.solutionId] {
                live.insert(task)
            }
        }
        return live
    }

    // MARK: - Acting

    private func perform(_ action: TruebitVerifierAction, tipHeight: UInt64) async throws -> Bool {
        let transactions = self.transactions
        switch action {
        case .check(let solution):
            return try await check(solution, tipHeight: tipHeight)
        case .challenge(let solution):
            let key = challengerKey.rawPublicKey
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.challenge(solution: solution.chainOutput, challengerKey: key, in: context)
            }
        case .choose(let game, let points, let solution):
            guard case .truebitGame(let lock) = game.output.lock, case .truebitSolution(let solutionLock) = solution.output.lock,
                  let run = try await core.run(of: solutionLock.task)
            else { return false }
            let own = try run.bisectionHashes(lo: lock.lo, hi: lock.hi) + [run.stateHash(at: lock.hi)]
            guard let part = TruebitVerifierPlanner.part(points: points, hiHash: lock.hiHash, own: own) else {
                logger.error("truebit verifier: every point of game \(game.outpoint.txid.hex) agrees with the daemon's run; no part to name")
                return false
            }
            let key = challengerKey
            let range = Bisection.part(UInt64(part), lo: lock.lo, hi: lock.hi).map { " [\($0.lo), \($0.hi)]" } ?? ""
            return try await core.send(action.key, what: "\(action): part \(part)\(range)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.choose(game: game.chainOutput, points: points, part: part, challengerKey: key, in: context)
            }
        case .step(let game, let solution):
            guard case .truebitGame(let lock) = game.output.lock, case .truebitSolution(let solutionLock) = solution.output.lock,
                  let run = try await core.run(of: solutionLock.task)
            else { return false }
            let proof = try run.stepProof(at: lock.lo)
            return try await core.send(action.key, what: "\(action) \(lock.lo)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.step(game: game.chainOutput, proof: proof, in: context)
            }
        case .claim(let game):
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.claim(game: game.chainOutput, in: context)
            }
        case .close(let solution, let marker):
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.close(solution: solution.chainOutput, marker: marker.chainOutput, in: context)
            }
        case .voidResult(let result, let marker):
            return try await core.send(action.key, what: "\(action)", tipHeight: tipHeight) { context throws(TruebitTransactionError) in
                try transactions.voidResult(result: result.chainOutput, marker: marker.chainOutput, in: context)
            }
        }
    }

    /// Re-runs the solution's task and stores whether its final state is the daemon's own state at its steps.
    private func check(_ solution: TruebitChainRecord, tipHeight: UInt64) async throws -> Bool {
        guard case .truebitSolution(let lock) = solution.output.lock, let run = try await core.run(of: lock.task) else { return false }
        let own = try run.stateHash(at: lock.steps)
        let agrees = own == lock.finalState
        try store.save(SolutionVerdict(solutionId: lock.solutionId, agrees: agrees, ownState: own, height: tipHeight))
        let line = "truebit verifier: solution \(lock.solutionId.hex) of task \(lock.task.taskId.hex) is \(agrees ? "right" : "WRONG"): "
            + "its final state at step \(lock.steps) is \(lock.finalState.hex), the run's is \(own.hex) (\(run.outcome))"
        logger.notice("\(line)")
        return true
    }
}
