import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import EmberTruebit
import EmberVM
import Testing

/// Verification games through real blocks: a lying solution refuted by the one-step proof and closed, and
/// the recreated task solved honestly; a solver that stops answering; a wrong challenger; a result paid
/// despite a marker, voided; and the marker's sweep.
@Suite("Truebit transactions: disputes through blocks")
struct TruebitDisputeChainTests {
    typealias C = TruebitChain

    @Test("a lie is challenged, bisected to one step, refuted by the step proof and closed; the recreated task is solved honestly and paid")
    func liarIsRefutedAndTheTaskResolved() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let task = try chain.post()
        let lie = run.lie(extraSteps: 5)
        let solverBefore = chain.balance(C.solver)
        let challengerBefore = chain.balance(C.challenger)
        let giverBefore = chain.balance(C.giver)
        let (_, solutionOutpoint) = try chain.solve(task: task.outpoint, result: lie)
        let solution = try chain.solution(solutionOutpoint)

        let start = try chain.challenge(solutionOutpoint)
        let game = try chain.game(start)
        #expect(game.lo == 0 && game.hi == lie.steps && game.loHash == task.lock.initialState && game.hiHash == lie.finalStateHash)
        #expect(try chain.output(start).unspent.output.amount == C.challengerDeposit)
        let (last, rounds) = try chain.play(game: start, run: run, claim: lie)
        #expect(rounds == Bisection.maxRounds(steps: lie.steps))
        let final = try chain.game(last)
        #expect(final.hi == final.lo + 1)
        #expect(final.hi == lie.steps)

        let step = try chain.transactions(C.challenger).step(
            game: chain.output(last), proof: run.prover.proof(ofStep: final.lo), in: chain.context(C.challenger))
        try chain.mine(step)
        let marker = TruebitRefutedLock(solutionId: solution.solutionId, challengerKey: C.raw(C.challenger))
        #expect(step.transaction.outputs[0] == Output(amount: C.challengerDeposit, lock: C.pkh(C.challenger)))
        #expect(step.transaction.outputs[1] == Output(amount: chain.dust, lock: .truebitRefuted(marker)))
        let markerOutpoint = OutPoint(txid: step.transaction.txid, index: 1)

        let close = try chain.transactions(C.watcher).close(
            solution: chain.output(solutionOutpoint), marker: chain.output(markerOutpoint), in: chain.context(C.watcher))
        try chain.mine(close)
        let half = Amount(units: C.solverDeposit.units / 2)
        #expect(close.transaction.outputs[0] == Output(amount: C.reward, lock: .truebitTask(task.lock)))
        #expect(close.transaction.outputs[1] == Output(amount: half, lock: C.pkh(C.giver)))
        #expect(close.burnt == C.solverDeposit.subtracting(half)!)
        #expect(chain.isUnspent(markerOutpoint))
        // The liar lost its deposit; the giver got half of it; the challenger has its deposit back and paid
        // the marker's dust.
        #expect(chain.balance(C.solver) == solverBefore.subtracting(C.solverDeposit)!.subtracting(chain.feesPaid(by: C.solver))!)
        #expect(chain.balance(C.giver) == giverBefore.adding(half)!)
        #expect(chain.balance(C.challenger) == challengerBefore.subtracting(chain.dust)!.subtracting(chain.feesPaid(by: C.challenger))!)

        // The task is back with its taskId: an honest solver takes it and is paid.
        let recreated = OutPoint(txid: close.transaction.txid, index: 0)
        let (_, honestOutpoint) = try chain.solve(task: recreated, result: run.honest)
        let honest = try chain.solution(honestOutpoint)
        #expect(honest.task.taskId == task.taskId)
        try chain.advance(toNextHeight: C.payoutHeight(honest))
        let payout = try chain.transactions(C.solver).payout(solution: chain.output(honestOutpoint), in: chain.context(C.solver))
        try chain.mine(payout)
        #expect(payout.transaction.outputs[0] == Output(amount: C.reward.adding(C.solverDeposit)!, lock: C.pkh(C.solver)))
        let result = TruebitResultLock(taskId: task.taskId, solutionId: honest.solutionId, outputHash: Blake3.hash(run.honest.output))
        #expect(payout.transaction.outputs[1] == Output(amount: chain.dust, lock: .truebitResult(result)))
    }

    @Test("a solver that stops answering: from createdHeight + solverClock anyone claims; the challenger's deposit comes back with a marker, and the close follows")
    func stalledSolverLoses() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let (task, solutionOutpoint, gameOutpoint) = try chain.challengedLie(run: run, extraSteps: 2)
        let solution = try chain.solution(solutionOutpoint)
        let created = try chain.output(gameOutpoint).unspent.height
        let challengerBefore = chain.balance(C.challenger)

        try chain.advance(toNextHeight: created + UInt64(C.clock) - 1)
        #expect(throws: TruebitTransactionError.self) { try chain.transactions(C.watcher).claim(game: chain.output(gameOutpoint), in: chain.context(C.watcher)) }
        try chain.advance(toNextHeight: created + UInt64(C.clock))
        // Too late for the solver's move.
        let points = Bisection.points(lo: 0, hi: solution.steps)!.map { run.claimed($0, by: run.lie(extraSteps: 2)) }
        #expect(throws: TruebitTransactionError.clockRanOut(clock: C.clock, createdHeight: created, height: created + UInt64(C.clock))) {
            try chain.transactions(C.solver).bisect(game: chain.output(gameOutpoint), points: points, solverKey: C.solver, in: chain.context(C.solver))
        }
        let claim = try chain.transactions(C.watcher).claim(game: chain.output(gameOutpoint), in: chain.context(C.watcher))
        try chain.mine(claim)
        let marker = TruebitRefutedLock(solutionId: solution.solutionId, challengerKey: C.raw(C.challenger))
        #expect(claim.transaction.outputs[0] == Output(amount: C.challengerDeposit, lock: C.pkh(C.challenger)))
        #expect(claim.transaction.outputs[1] == Output(amount: chain.dust, lock: .truebitRefuted(marker)))
        #expect(claim.burnt == .zero)
        #expect(chain.balance(C.challenger) == challengerBefore.adding(C.challengerDeposit)!)

        let close = try chain.transactions(C.giver).close(
            solution: chain.output(solutionOutpoint), marker: chain.output(OutPoint(txid: claim.transaction.txid, index: 1)), in: chain.context(C.giver))
        try chain.mine(close)
        #expect(close.transaction.outputs[0] == Output(amount: C.reward, lock: .truebitTask(task.lock)))
    }

    @Test("a wrong challenger plays to one step, has no proof, and its clock runs out: the claim pays the solver half its deposit, and the payout still comes")
    func wrongChallengerPaysTheSolver() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let task = try chain.post()
        let (_, solutionOutpoint) = try chain.solve(task: task.outpoint, result: run.honest)
        let solution = try chain.solution(solutionOutpoint)
        let start = try chain.challenge(solutionOutpoint)
        let (last, _) = try chain.play(game: start, run: run, claim: run.honest)
        let final = try chain.game(last)
        #expect(final.hi == final.lo + 1)
        // The true step leads to hiHash: the rule refuses the proof, and the builder with it.
        #expect(throws: TruebitTransactionError.self) {
            try chain.transactions(C.challenger).step(game: chain.output(last), proof: run.prover.proof(ofStep: final.lo), in: chain.context(C.challenger))
        }
        let created = try chain.output(last).unspent.height
        try chain.advance(toNextHeight: created + UInt64(final.challengerClock))
        let solverBefore = chain.balance(C.solver)
        let claim = try chain.transactions(C.solver).claim(game: chain.output(last), in: chain.context(C.solver))
        try chain.mine(claim)
        let half = Amount(units: C.challengerDeposit.units / 2)
        #expect(claim.transaction.outputs[0] == Output(amount: half, lock: C.pkh(C.solver)))
        #expect(claim.burnt == C.challengerDeposit.subtracting(half)!)
        #expect(chain.balance(C.solver) == solverBefore.adding(half)!.subtracting(claim.fee)!)

        try chain.advance(toNextHeight: C.payoutHeight(solution))
        let payout = try chain.transactions(C.solver).payout(solution: chain.output(solutionOutpoint), in: chain.context(C.solver))
        try chain.mine(payout)
        #expect(payout.transaction.outputs[0] == Output(amount: C.reward.adding(C.solverDeposit)!, lock: C.pkh(C.solver)))
    }

    @Test("a result paid although its solution has a marker is voided by anyone reading the marker")
    func resultWithAMarkerIsVoided() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let (_, solutionOutpoint, gameOutpoint) = try chain.challengedLie(run: run, extraSteps: 1)
        let solution = try chain.solution(solutionOutpoint)
        try chain.advance(toNextHeight: try chain.output(gameOutpoint).unspent.height + UInt64(C.clock))
        let claim = try chain.transactions(C.challenger).claim(game: chain.output(gameOutpoint), in: chain.context(C.challenger))
        try chain.mine(claim)
        let markerOutpoint = OutPoint(txid: claim.transaction.txid, index: 1)
        // The close is kept out; the payout comes anyway.
        try chain.advance(toNextHeight: C.payoutHeight(solution))
        let payout = try chain.transactions(C.solver).payout(solution: chain.output(solutionOutpoint), in: chain.context(C.solver))
        try chain.mine(payout)
        let resultOutpoint = OutPoint(txid: payout.transaction.txid, index: 1)

        let watcherBefore = chain.balance(C.watcher)
        let void = try chain.transactions(C.watcher).voidResult(
            result: chain.output(resultOutpoint), marker: chain.output(markerOutpoint), in: chain.context(C.watcher))
        try chain.mine(void)
        #expect(void.transaction.outputs[0] == Output(amount: chain.dust, lock: C.pkh(C.watcher)))
        #expect(void.burnt == .zero)
        #expect(!chain.isUnspent(resultOutpoint))
        #expect(chain.isUnspent(markerOutpoint))
        // The result's dust went to the watcher, who paid the fee.
        #expect(chain.balance(C.watcher) == watcherBefore.adding(chain.dust)!.subtracting(void.fee)!)
    }

    @Test("a marker is swept from createdHeight + 700 000 and not a block before (checked against a UTXO view)")
    func markerIsSweptAfterTheDelay() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let (_, _, gameOutpoint) = try chain.challengedLie(run: run, extraSteps: 1)
        try chain.advance(toNextHeight: try chain.output(gameOutpoint).unspent.height + UInt64(C.clock))
        let claim = try chain.transactions(C.challenger).claim(game: chain.output(gameOutpoint), in: chain.context(C.challenger))
        try chain.mine(claim)
        let marker = try chain.output(OutPoint(txid: claim.transaction.txid, index: 1))
        let sweepFrom = marker.unspent.height + 700_000

        let watcher = chain.transactions(C.watcher)
        func context(_ height: UInt64) -> TruebitTransactions.Context {
            TruebitTransactions.Context(height: height, funding: chain.context(C.watcher).funding, nowMs: chain.builder.nowMs)
        }
        #expect(throws: TruebitTransactionError.self) { try watcher.sweep(marker: marker, in: context(sweepFrom - 1)) }
        let sweep = try watcher.sweep(marker: marker, in: context(sweepFrom))
        #expect(sweep.transaction.inputs[0].outpoint == marker.outpoint)
        #expect(sweep.transaction.outputs[0] == Output(amount: chain.dust, lock: C.pkh(C.watcher)))
        // The network's rules, asked directly over the marker and the watcher's coins: valid from the delay
        // on, refused a block before.
        var outputs = [marker.outpoint: marker.unspent]
        for coin in sweep.funding { outputs[coin.outpoint] = chain.builder.utxos.unspentOutput(at: coin.outpoint) }
        let view = InMemoryUTXOView(outputs)
        let params = chain.params
        let fee = try params.checkTransactionConnect(sweep.transaction, digests: sweep.digests, view: view, height: sweepFrom, blockTimestamp: chain.builder.nowMs)
        #expect(fee == sweep.fee)
        #expect(fee >= params.minimumFee(weight: sweep.weight))
        #expect(throws: TransactionRejection.self) {
            try params.checkTransactionConnect(sweep.transaction, digests: sweep.digests, view: view, height: sweepFrom - 1, blockTimestamp: chain.builder.nowMs)
        }
    }

    @Test("the builders refuse a wrong key, a wrong number of points, a part out of range, the wrong output and an early step")
    func buildersRefuseMalformedMoves() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let (_, solutionOutpoint, gameOutpoint) = try chain.challengedLie(run: run, extraSteps: 3)
        let game = try chain.game(gameOutpoint)
        let indices = try #require(Bisection.points(lo: game.lo, hi: game.hi))
        let points = indices.map { run.claimed($0, by: run.lie(extraSteps: 3)) }
        let solver = chain.transactions(C.solver)
        #expect(throws: TruebitTransactionError.notTheKey(role: "solver", expected: C.raw(C.solver))) {
            try solver.bisect(game: chain.output(gameOutpoint), points: points, solverKey: C.challenger, in: chain.context(C.solver))
        }
        #expect(throws: TruebitTransactionError.pointCount(expected: indices.count, found: indices.count - 1)) {
            try solver.bisect(game: chain.output(gameOutpoint), points: Array(points.dropLast()), solverKey: C.solver, in: chain.context(C.solver))
        }
        #expect(throws: TruebitTransactionError.notThe("truebitGame", solutionOutpoint)) {
            try solver.bisect(game: chain.output(solutionOutpoint), points: points, solverKey: C.solver, in: chain.context(C.solver))
        }
        #expect(throws: TruebitTransactionError.notThe("truebitTask", gameOutpoint)) {
            try chain.transactions(C.giver).refund(task: chain.output(gameOutpoint), giverKey: C.giver, in: chain.context(C.giver))
        }
        // The range is many steps: no step proof settles it yet.
        #expect(throws: TruebitTransactionError.self) {
            try chain.transactions(C.challenger).step(game: chain.output(gameOutpoint), proof: run.prover.proof(ofStep: 0), in: chain.context(C.challenger))
        }
        let bisect = try chain.mine(solver.bisect(game: chain.output(gameOutpoint), points: points, solverKey: C.solver, in: chain.context(C.solver)))
        let moved = OutPoint(txid: bisect.txid, index: 0)
        let challenger = chain.transactions(C.challenger)
        for part in [0, indices.count + 2] {
            #expect(throws: TruebitTransactionError.partOutOfRange(part: part, parts: indices.count + 1)) {
                try challenger.choose(game: chain.output(moved), points: points, part: part, challengerKey: C.challenger, in: chain.context(C.challenger))
            }
        }
        // Points other than those posted: the rule refuses the choice, and the builder with it.
        var others = points
        others[0] = Blake3.hash(Array("not posted".utf8))
        #expect(throws: TruebitTransactionError.self) {
            try challenger.choose(game: chain.output(moved), points: others, part: 1, challengerKey: C.challenger, in: chain.context(C.challenger))
        }
    }
}

