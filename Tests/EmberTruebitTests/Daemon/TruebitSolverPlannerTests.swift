import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTruebit
import Testing

@Suite("Truebit solver planner: each decision from the chain's view")
struct TruebitSolverPlannerTests {
    typealias P = PlannerSamples

    @Test("an open task is taken, unless refused, being solved, or once refuted; a task lost to another solver is taken again")
    func tasksToTake() {
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 101, tasks: [P.taskRecord])) == [.take(task: P.taskRecord)])
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 101, tasks: [P.taskRecord], refused: [P.task.taskId])).isEmpty)
        let refuted = P.with(status: .refuted)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 101, tasks: [P.taskRecord], solutions: [refuted])).isEmpty)
        // Lost to another commit, then the task came back at a new outpoint (same taskId): taken again.
        var back = P.taskRecord
        back.outpoint = P.outpoint(0x70)
        let lost = P.with(status: .lost)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 300, tasks: [back], solutions: [lost])) == [.take(task: back)])
        // Being committed: the task is still open on the chain until the commit is mined.
        let committing = P.solution
        let actions = TruebitSolverPlanner.plan(P.solverView(nextHeight: 102, tasks: [P.taskRecord], records: [P.taskRecord], solutions: [committing]))
        #expect(actions == [.commit(committing, task: P.taskRecord)])
    }

    @Test("a commit not on the chain is sent again while the task is open; lost when another took the task or the deadline passed")
    func unminedCommit() {
        var taken = P.taskRecord
        taken.spend = P.spend(.commit, txid: P.hash(0x77))
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 120, records: [taken], solutions: [P.solution]))
            == [.setStatus(P.solution, .lost, reason: "another commit took the task in block 130")])
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 500, records: [P.taskRecord], solutions: [P.solution]))
            == [.setStatus(P.solution, .lost, reason: "solveDeadline 500 passed")])
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 499, records: [P.taskRecord], solutions: [P.solution]))
            == [.commit(P.solution, task: P.taskRecord)])
    }

    @Test("the commit is recognised by its commitment, revealed only once final (8 blocks on devnet), and lost from revealBy")
    func revealOnceFinal() {
        // Sent again with other funding: the mined commit has another txid, and the solution learns it.
        let commit = P.commit(height: 110, txid: P.hash(0x90))
        var known = P.solution
        known.commitTxid = P.hash(0x90)
        #expect(P.layer2.finalityDepth == 8)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 117, records: [P.taskRecord, commit], solutions: [P.solution]))
            == [.setStatus(known, .committed, reason: "the commit is in block 110")])
        let committed = P.with(known, status: .committed)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 117, records: [commit], solutions: [committed])).isEmpty)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 118, records: [commit], solutions: [committed])) == [.reveal(committed, commit: commit)])
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 149, records: [commit], solutions: [committed])) == [.reveal(committed, commit: commit)])
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 150, records: [commit], solutions: [committed]))
            == [.setStatus(committed, .lost, reason: "revealBy 150 passed before a reveal")])
        // A commit of another key or another commitment is not the daemon's.
        var foreign = commit
        if case .truebitCommit(var lock) = foreign.output.lock {
            lock.commitment = P.hash(0x91)
            foreign.output.lock = .truebitCommit(lock)
        }
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 118, records: [P.taskRecord, foreign], solutions: [P.solution]))
            == [.commit(P.solution, task: P.taskRecord)])
    }

    @Test("what became of a revealed solution: revealed, paid, refuted; a missed reveal loses it")
    func solutionOutcomes() {
        let committed = P.with(status: .committed)
        let revealedCommit = P.commit(spend: P.spend(.reveal, height: 120))
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 121, records: [revealedCommit, P.solutionRecord()], solutions: [committed]))
            == [.setStatus(committed, .revealed, reason: "revealed in block 120")])
        let revealed = P.with(status: .revealed)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 121, records: [revealedCommit, P.solutionRecord()], solutions: [revealed])).isEmpty)
        let paidRecord = P.solutionRecord(spend: P.spend(.payout, height: 400))
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 401, records: [revealedCommit, paidRecord], solutions: [revealed]))
            == [.setStatus(revealed, .paid, reason: "paid in block 400")])
        let closed = P.solutionRecord(spend: P.spend(.closeRefuted, height: 200))
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 201, records: [revealedCommit, closed], solutions: [revealed]))
            == [.setStatus(revealed, .refuted, reason: "a game refuted it; closed in block 200")])
        let missed = P.commit(spend: P.spend(.missedReveal, height: 150))
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 151, records: [missed], solutions: [committed]))
            == [.setStatus(committed, .lost, reason: "a missed reveal gave the task back in block 150")])
    }

    @Test("the payout is sent from deadline + 3·clock, not a block before")
    func payoutHeight() {
        let record = P.solutionRecord()
        let due = P.solutionLock.deadline + 3 * UInt64(P.task.clock)
        #expect(due == 310)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 309, records: [record])).isEmpty)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 310, records: [record])) == [.payout(solution: record)])
    }

    @Test("games: bisect at the solver's turn while its clock runs, deepest first; claim once the challenger's clock ran out")
    func games() {
        let solution = P.solutionRecord()
        let wide = P.game(lo: 0, hi: 5_000, height: 130, side: .solver, at: 0x80)
        let deep = P.game(lo: 4_000, hi: 4_020, height: 131, side: .solver, at: 0x81)
        let plan = TruebitSolverPlanner.plan(P.solverView(nextHeight: 132, records: [solution, wide, deep]))
        #expect(plan == [.bisect(game: deep, solution: solution), .bisect(game: wide, solution: solution)])
        // The solver's clock (40 blocks from 130) has run out at 170: nothing left to do for that game.
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 170, records: [solution, wide])).isEmpty)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 169, records: [solution, wide])) == [.bisect(game: wide, solution: solution)])
        // The challenger to choose (points posted) or to step (one step left): claimable from created + its clock.
        let choosing = P.game(lo: 0, hi: 5_000, points: (1...15).map { P.hash($0) }, height: 140, challengerClock: 12, side: .solver)
        let stepping = P.game(lo: 9, hi: 10, height: 140, challengerClock: 20, side: .solver, at: 0x82)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 151, records: [solution, choosing, stepping])).isEmpty)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 152, records: [solution, choosing, stepping])) == [.claim(game: choosing)])
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 160, records: [solution, choosing, stepping]))
            == [.claim(game: choosing), .claim(game: stepping)])
        // A game of someone else's solution, or already spent, is not the daemon's to answer.
        var spent = deep
        spent.spend = P.spend(.bisect, height: 132)
        let notOurs = P.game(lo: 0, hi: 5_000, side: nil, at: 0x83)
        #expect(TruebitSolverPlanner.plan(P.solverView(nextHeight: 133, records: [solution, spent, notOurs])).isEmpty)
    }
}
