import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberVM

/// Plays one task's life for `TruebitDisputeBenchmark` on its ledger: the giver posts, the solver commits
/// and reveals its lying run's result, the challenger (holding the honest run) challenges, the two bisect
/// and choose round by round as their daemons would, the challenger proves the one step, and the giver
/// closes the refuted solution. Each party builds with its own `TruebitTransactions`, funded by its key.
struct DisputeDriver {
    typealias Failure = TruebitDisputeBenchmark.Failure
    typealias Report = TruebitDisputeReport

    let params: ConsensusParams
    let program: [UInt8]
    let honest: TaskRun
    let lying: TaskRun
    private(set) var ledger: BenchmarkLedger
    private(set) var included: [Report.Included] = []
    private(set) var rounds: [Report.Round] = []
    private(set) var solution: OutPoint?
    /// The game output the next move spends.
    private(set) var game: OutPoint?
    private(set) var marker: OutPoint?
    private let clock = ContinuousClock()

    init(params: ConsensusParams, program: [UInt8], honest: TaskRun, lying: TaskRun) throws(Failure) {
        self.params = params
        self.program = program
        self.honest = honest
        self.lying = lying
        ledger = BenchmarkLedger(params: params, nextHeight: 1_000)
        ledger.fund(TruebitDisputeBenchmark.giverKey, amount: TruebitDisputeBenchmark.funding, label: "giver")
        ledger.fund(TruebitDisputeBenchmark.solverKey, amount: TruebitDisputeBenchmark.funding, label: "solver")
        ledger.fund(TruebitDisputeBenchmark.challengerKey, amount: TruebitDisputeBenchmark.funding, label: "challenger")
    }

    private func builders(_ key: SigningKey) -> TruebitTransactions { TruebitTransactions(params: params, fundingKey: key) }

    /// Post, commit, reveal and challenge: a game over the whole run, the solver to move.
    mutating func openGame() throws(Failure) {
        let giver = TruebitDisputeBenchmark.giverKey, solver = TruebitDisputeBenchmark.solverKey
        let parameters = TruebitTaskParameters(
            giverKey: TruebitTransactions.raw(giver), reward: TruebitDisputeBenchmark.reward, solverDeposit: TruebitDisputeBenchmark.solverDeposit,
            challengerDeposit: TruebitDisputeBenchmark.challengerDeposit, maxSteps: lying.steps, challengeWindow: params.layer2.windowMinimum,
            clock: UInt32(clamping: params.layer2.truebitClockMinimum(maxSteps: lying.steps)), solveDeadline: ledger.nextHeight + 10_000)
        let posted = try attempt("the post") {
            try builders(giver).post(program: program, input: [], tasks: [parameters], in: ledger.context(giver))
        }
        try include(posted.transaction, as: .post)
        guard let task = posted.tasks.first else { throw Failure(description: "the post made no task") }

        let result = try attempt("the solver's result") { try TruebitRunResult(machine: lying.machine(at: lying.steps)) }
        let salt = Blake3.hash(Array("ember bench truebit salt".utf8))
        let commit = try attempt("the commit") {
            try builders(solver).commit(
                task: ledger.output(task.outpoint), result: result, salt: salt, solverKey: TruebitTransactions.raw(solver), in: ledger.context(solver))
        }
        let commitOutpoint = OutPoint(txid: try include(commit, as: .commit).txid, index: 0)
        let reveal = try attempt("the reveal") {
            try builders(solver).reveal(commit: ledger.output(commitOutpoint), result: result, salt: salt, solverKey: solver, in: ledger.context(solver))
        }
        let solution = OutPoint(txid: try include(reveal, as: .reveal).txid, index: 0)
        self.solution = solution

        // The challenger's daemon compares the claimed final state with its own run's.
        let claimed = try ledger.output(solution)
        guard case .truebitSolution(let lock) = claimed.unspent.output.lock, lock.finalState != honest.finalStateHash else {
            throw Failure(description: "the challenger's run agrees with the solution: no dispute")
        }
        let challenger = TruebitDisputeBenchmark.challengerKey
        let challenge = try attempt("the challenge") {
            try builders(challenger).challenge(solution: claimed, challengerKey: TruebitTransactions.raw(challenger), in: ledger.context(challenger))
        }
        game = OutPoint(txid: try include(challenge, as: .challenge).txid, index: 0)
    }

    /// Bisect and choose until the game's range is one step, each move in the block after the one before.
    mutating func playRounds() throws(Failure) {
        let solver = TruebitDisputeBenchmark.solverKey, challenger = TruebitDisputeBenchmark.challengerKey
        while true {
            let current = try currentGame()
            guard let points = Bisection.points(lo: current.lock.lo, hi: current.lock.hi) else { return }
            let (lo, hi) = (current.lock.lo, current.lock.hi)

            var start = clock.now
            var replayed = lying.executedSteps
            let claimed = try attempt("the solver's hashes") { try lying.bisectionHashes(lo: lo, hi: hi) }
            let solverHashing = clock.now - start
            let solverReplayed = lying.executedSteps - replayed
            start = clock.now
            let bisect = try attempt("the bisect") {
                try builders(solver).bisect(game: current.output, points: claimed, solverKey: solver, in: ledger.context(solver))
            }
            let solverBuilding = clock.now - start
            let bisected = try include(bisect, as: .bisect)
            let moved = try ledger.output(OutPoint(txid: bisected.txid, index: 0))

            // The challenger reads the points from the transaction, as its daemon reads them from a block.
            start = clock.now
            replayed = honest.executedSteps
            let posted = try attempt("reading the points") { try TruebitTransactions.postedPoints(in: bisected, spending: current.output.outpoint) }
            let own = try attempt("the challenger's hashes") { try honest.bisectionHashes(lo: lo, hi: hi) }
            guard posted.count == own.count else { throw Failure(description: "the bisect posted \(posted.count) points, not \(own.count)") }
            // The first part whose right end differs; the last part's right end is hiHash, which differs.
            let part = (posted.indices.first { posted[$0] != own[$0] } ?? points.count) + 1
            let challengerHashing = clock.now - start
            let challengerReplayed = honest.executedSteps - replayed
            start = clock.now
            let choose = try attempt("the choose") {
                try builders(challenger).choose(game: moved, points: posted, part: part, challengerKey: challenger, in: ledger.context(challenger))
            }
            let challengerBuilding = clock.now - start
            game = OutPoint(txid: try include(choose, as: .choose).txid, index: 0)
            rounds.append(Report.Round(
                lo: lo, hi: hi, parts: points.count + 1, chosenPart: part, solverHashing: solverHashing, solverBuilding: solverBuilding,
                solverReplayedSteps: solverReplayed, challengerHashing: challengerHashing, challengerBuilding: challengerBuilding,
                challengerReplayedSteps: challengerReplayed))
        }
    }

    /// The challenger's one-step proof of the game's last range from its own run. Returns the time it took
    /// to prove and build, the step transaction, its proof, and the outputs as they stood before it.
    mutating func settle() throws(Failure) -> (answer: Duration, step: Report.Included, proof: StepProof, viewBefore: InMemoryUTXOView) {
        let current = try currentGame()
        guard current.lock.hi == current.lock.lo + 1 else {
            throw Failure(description: "the game ended on [\(current.lock.lo), \(current.lock.hi)], not on one step")
        }
        let challenger = TruebitDisputeBenchmark.challengerKey
        let start = clock.now
        let proof = try attempt("the step proof") { try honest.stepProof(at: current.lock.lo) }
        let built = try attempt("the step") { try builders(challenger).step(game: current.output, proof: proof, in: ledger.context(challenger)) }
        let answer = clock.now - start
        let before = ledger.utxos
        let step = try include(built, as: .step)
        marker = OutPoint(txid: step.txid, index: 1)
        guard let record = included.last else { throw Failure(description: "the step was not recorded") }
        return (answer, record, proof, before)
    }

    /// Closes the refuted solution, reading the step's marker: the giver's client does it at once.
    mutating func close() throws(Failure) {
        guard let solution, let marker else { throw Failure(description: "nothing to close: no solution or no marker") }
        let giver = TruebitDisputeBenchmark.giverKey
        let close = try attempt("the close") {
            try builders(giver).close(solution: ledger.output(solution), marker: ledger.output(marker), in: ledger.context(giver))
        }
        try include(close, as: .close)
    }

    private func currentGame() throws(Failure) -> (output: TruebitTransactions.ChainOutput, lock: TruebitGameLock) {
        guard let game else { throw Failure(description: "no game is open") }
        let output = try ledger.output(game)
        guard case .truebitGame(let lock) = output.unspent.output.lock else { throw Failure(description: "output \(game.txid):\(game.index) is not a game") }
        return (output, lock)
    }

    @discardableResult
    private mutating func include(_ built: SponsoredTransaction, as kind: Report.Kind) throws(Failure) -> Transaction {
        let height = try ledger.include(built.transaction)
        included.append(Report.Included(kind: kind, transaction: built.transaction, weight: built.weight, fee: built.fee, height: height))
        return built.transaction
    }

    private func attempt<Value>(_ what: String, _ body: () throws -> Value) throws(Failure) -> Value {
        do {
            return try body()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(what) failed: \(error)")
        }
    }
}
