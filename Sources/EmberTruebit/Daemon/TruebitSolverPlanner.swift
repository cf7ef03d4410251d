import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM

/// The solver daemon's decisions (docs/truebit.md, "Solver"), as pure functions of the chain's view (the
/// store's records), the daemon's own solutions and its run: which task to take, whether a run is worth
/// committing to and defensible, when to reveal, which games to answer first, what to claim, when to be
/// paid, and what became of each solution. The actor only fetches, runs, builds and submits.
public enum TruebitSolverPlanner {
    /// What a pass knows.
    public struct View: Sendable {
        /// The height of the block the pass's transactions aim at (the node's tip + 1).
        public var nextHeight: UInt64
        public var layer2: Layer2Parameters
        public var solverKey: RawPublicKey
        /// The open tasks (unspent truebitTask records).
        public var openTasks: [TruebitChainRecord]
        /// The records of the daemon's commits, solutions and games, spent or not.
        public var records: [TruebitChainRecord]
        /// The daemon's solutions.
        public var solutions: [SolverSolution]
        /// Tasks the daemon refused, by taskId.
        public var refusedTasks: Set<Hash32>

        public init(
            nextHeight: UInt64, layer2: Layer2Parameters, solverKey: RawPublicKey, openTasks: [TruebitChainRecord], records: [TruebitChainRecord],
            solutions: [SolverSolution], refusedTasks: Set<Hash32>
        ) {
            self.nextHeight = nextHeight
            self.layer2 = layer2
            self.solverKey = solverKey
            self.openTasks = openTasks
            self.records = records
            self.solutions = solutions
            self.refusedTasks = refusedTasks
        }
    }

    /// Everything the pass should do, in order: what became of each solution, its commits and reveals,
    /// the games against it (the deepest first: each finished game is a sybil's deposit lost), claims,
    /// payouts, and last the new tasks to take.
    public static func plan(_ view: View) -> [TruebitSolverAction] {
        var actions = [TruebitSolverAction]()
        var bisects = [(span: UInt64, action: TruebitSolverAction)]()
        var claims = [TruebitSolverAction]()
        let commits = view.records.filter { $0.output.lock.tag == Lock.Tag.truebitCommit }
        let byOutpoint = Dictionary(view.records.map { ($0.outpoint, $0) }, uniquingKeysWith: { first, _ in first })
        for solution in view.solutions where !solution.status.isFinal {
            actions += follow(solution, commits: commits, records: byOutpoint, view: view)
        }
        var ours = [Hash32: TruebitChainRecord]()
        for record in view.records {
            if case .truebitSolution(let lock) = record.output.lock, lock.solverKey == view.solverKey { ours[lock.solutionId] = record }
        }
        for game in view.records where game.isUnspent && game.side == .solver {
            guard case .truebitGame(let lock) = game.output.lock, lock.solverKey == view.solverKey, let solution = ours[lock.solutionId] else { continue }
            let turn = GameTurn(lock)
            let ranOut = view.layer2.clockHasRunOut(clock: UInt64(turn.moverClock(lock)), createdHeight: game.height, height: view.nextHeight)
            switch (turn.mover, ranOut) {
            case (.solver, false): bisects.append((lock.hi - lock.lo, .bisect(game: game, solution: solution)))
            case (.challenger, true): claims.append(.claim(game: game))
            default: continue
            }
        }
        actions += bisects.sorted { $0.span < $1.span }.map(\.action)
        actions += claims
        for record in ours.values.sorted(by: { $0.height < $1.height }) where record.isUnspent {
            guard case .truebitSolution(let lock) = record.output.lock else { continue }
            if view.nextHeight >= payoutHeight(lock) { actions.append(.payout(solution: record)) }
        }
        actions += tasksToTake(view)
        return actions
    }

    /// The height from which a solution is paid: `deadline + 3·clock` (an overflow is never).
    public static func payoutHeight(_ solution: TruebitSolutionLock) -> UInt64 {
        solution.payoutHeight ?? .max
    }

    /// The commitment a solution's commit holds.
    public static func commitment(of solution: SolverSolution, solverKey: RawPublicKey) -> Hash32 {
        TruebitCommitLock.commitment(
            solverKey: solverKey, finalState: solution.finalState.hash, outputHash: Blake3.hash(solution.output), steps: solution.finalState.step,
            salt: solution.salt)
    }

    /// One solution's story so far, read from the chain: its commit is recognised by its commitment (a
    /// commit sent again with other funding has another txid), its solution by the commit's outpoint.
    static func follow(
        _ solution: SolverSolution, commits: [TruebitChainRecord], records: [OutPoint: TruebitChainRecord], view: View
    ) -> [TruebitSolverAction] {
        let commitment = commitment(of: solution, solverKey: view.solverKey)
        let commit = commits.first { record in
            guard case .truebitCommit(let lock) = record.output.lock else { return false }
            return lock.commitment == commitment && lock.solverKey == view.solverKey && lock.task.taskId == solution.taskId
        }
        guard let commit, case .truebitCommit(let commitLock) = commit.output.lock else {
            return unmined(solution, records: records, view: view)
        }
        var known = solution
        known.commitTxid = commit.outpoint.txid
        guard let spend = commit.spend else {
            if view.nextHeight >= commitLock.revealBy { return [.setStatus(known, .lost, reason: "revealBy \(commitLock.revealBy) passed before a reveal")] }
            var actions = [TruebitSolverAction]()
            if solution.status != .committed || solution.commitTxid != known.commitTxid {
                actions.append(.setStatus(known, .committed, reason: "the commit is in block \(commit.height)"))
            }
            // Final: the commit is buried under the finality depth, so no reorganisation hands the task to a copier.
            let (finalAt, overflow) = commit.height.addingReportingOverflow(view.layer2.finalityDepth)
            if !overflow, view.nextHeight >= finalAt { actions.append(.reveal(known, commit: commit)) }
            return actions
        }
        switch spend.truebitMode {
        case .reveal:
            let solutionId = TruebitSolutionLock.solutionId(commit: commit.outpoint)
            let revealed = records.values.first { record in
                if case .truebitSolution(let lock) = record.output.lock { return lock.solutionId == solutionId }
                return false
            }
            guard let revealed else {
                return solution.status == .revealed ? [] : [.setStatus(known, .revealed, reason: "revealed in block \(spend.height)")]
            }
            switch revealed.spend?.truebitMode {
            case nil:
                return solution.status == .revealed ? [] : [.setStatus(known, .revealed, reason: "revealed in block \(revealed.height)")]
            case .payout?:
                return [.setStatus(known, .paid, reason: "paid in block \(revealed.spend?.height ?? 0)")]
            case .closeRefuted?:
                return [.setStatus(known, .refuted, reason: "a game refuted it; closed in block \(revealed.spend?.height ?? 0)")]
            default:
                return []
            }
        case .missedReveal:
            return [.setStatus(known, .lost, reason: "a missed reveal gave the task back in block \(spend.height)")]
        default:
            return []
        }
    }

    /// A solution whose commit is not on the chain: send it again while the task is open, else it is lost.
    static func unmined(_ solution: SolverSolution, records: [OutPoint: TruebitChainRecord], view: View) -> [TruebitSolverAction] {
        guard solution.status == .committing, let task = records[solution.taskOutpoint], case .truebitTask(let lock) = task.output.lock else {
            return []
        }
        if task.spend != nil { return [.setStatus(solution, .lost, reason: "another commit took the task in block \(task.spend?.height ?? 0)")] }
        if view.nextHeight >= lock.solveDeadline { return [.setStatus(solution, .lost, reason: "solveDeadline \(lock.solveDeadline) passed")] }
        return [.commit(solution, task: task)]
    }

    /// Open tasks the daemon has not refused and has no live solution for; never one a game proved the
    /// daemon's own run wrong on.
    static func tasksToTake(_ view: View) -> [TruebitSolverAction] {
        var busy = Set<Hash32>()
        for solution in view.solutions where !solution.status.isFinal || solution.status == .refuted { busy.insert(solution.taskId) }
        return view.openTasks.compactMap { task in
            guard task.isUnspent, case .truebitTask(let lock) = task.output.lock, !busy.contains(lock.taskId),
                  !view.refusedTasks.contains(lock.taskId)
            else { return nil }
            return .take(task: task)
        }
    }

    // MARK: - Taking a task

    /// What a task's fields alone refuse, before anything is fetched or run. A commit's revealBy lies
    /// `W + ⌊W/2⌋` after the block it is built for, and the reveal waits for the commit's `finalityDepth`: a
    /// window too short for both would lose the deposit for sure.
    public static func screen(
        _ task: TruebitTaskLock, reward: Amount, nextHeight: UInt64, finalityDepth: UInt64, limits: SolverLimits
    ) -> TaskRefusal? {
        if task.maxSteps > limits.maxSteps { return .maxStepsOverLimit(maxSteps: task.maxSteps, limit: limits.maxSteps) }
        if task.solverDeposit > limits.maxSolverDeposit { return .depositOverLimit(deposit: task.solverDeposit, limit: limits.maxSolverDeposit) }
        if reward < limits.minReward { return .rewardTooSmall(reward: reward, minimum: limits.minReward) }
        let revealWindow = UInt64(task.challengeWindow) + UInt64(task.challengeWindow / 2)
        if revealWindow <= finalityDepth + limits.commitBlocks {
            return .windowTooShort(window: task.challengeWindow, finalityDepth: finalityDepth)
        }
        let (needed, overflow) = nextHeight.addingReportingOverflow(limits.commitBlocks)
        if overflow || task.solveDeadline <= needed {
            return .deadlineTooNear(solveDeadline: task.solveDeadline, nextHeight: nextHeight, needed: limits.commitBlocks)
        }
        return nil
    }

    /// What the run refuses: a run that traps, exits with a code other than 0 or does not halt, an output
    /// too large to reveal, memory over the limit, and a task the daemon could not defend.
    public static func judge(
        outcome: TaskRunOutcome, outputBytes: Int, memoryBytes: Int, stateHashCost: Duration, task: TruebitTaskLock, reward: Amount,
        limits: SolverLimits
    ) -> TaskRefusal? {
        guard outcome == .halted(exitCode: 0) else { return .unsolvable(outcome.description) }
        guard let _ = TruebitOutputProof.shape(outputLength: outputBytes) else { return .outputTooLarge(bytes: outputBytes, limit: maxRevealedOutput) }
        if memoryBytes > limits.maxMemoryBytes { return .memoryOverLimit(bytes: memoryBytes, limit: limits.maxMemoryBytes) }
        guard limits.refuseIndefensible else { return nil }
        let games = defendableGames(task: task, stateHashCost: stateHashCost, limits: limits)
        let atRisk = reward.adding(task.solverDeposit) ?? Amount(units: .max)
        // A flood of `games` sybil games costs its sender games · Dc; the daemon risks R + Ds.
        if games.isFinite, games * Double(task.challengerDeposit.units) < Double(atRisk.units) {
            return .indefensible(games: games, challengerDeposit: task.challengerDeposit, atRisk: atRisk)
        }
        return nil
    }

    /// The most output bytes a reveal carries.
    public static let maxRevealedOutput = 65_536

    /// N_max of docs/truebit.md ("Solver", step 1): how many games the daemon can answer within the clock,
    /// `cores × (clock − R − S − (r + 1)(m + 1)) × blockTime / t_game` with `t_game = 15·(r − 1)·t_h`;
    /// infinite when a game asks for (almost) no state hashes.
    public static func defendableGames(task: TruebitTaskLock, stateHashCost: Duration, limits: SolverLimits) -> Double {
        let rounds = UInt64(Bisection.maxRounds(steps: task.maxSteps))
        let seconds = Double(stateHashCost.components.seconds) + Double(stateHashCost.components.attoseconds) / 1e18
        let perGame = 15 * Double(rounds > 0 ? rounds - 1 : 0) * seconds
        guard perGame > 0 else { return .infinity }
        let reserved = Double(limits.reorganisationBlocks) + Double(limits.congestionBlocks) + Double(rounds + 1) * Double(limits.moveMargin + 1)
        let blocks = max(0, Double(task.clock) - reserved)
        return Double(max(limits.cores, 1)) * blocks * limits.blockSeconds / perGame
    }
}
