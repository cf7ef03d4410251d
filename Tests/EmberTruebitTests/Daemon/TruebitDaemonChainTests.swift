import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTruebit
import EmberVM
import Testing

/// The daemons against a chain: each block, the solver's pass, then the verifier's, then the pool is
/// mined. Expected heights, amounts and outputs come from the task's numbers and docs/truebit.md, never
/// from the daemons.
@Suite("Truebit daemons on a chain", .serialized)
struct TruebitDaemonChainTests {
    typealias F = DaemonFixture

    /// The block height of the first mined transaction spending an output in `mode`, with the transaction.
    static func firstSpend(_ mode: CovenantUnlock.TruebitMode, in fixture: DaemonFixture) -> (height: UInt64, transaction: Transaction)? {
        for block in fixture.node.chain.blocks {
            for transaction in block.transactions where transaction.inputs.contains(where: { $0.unlock.covenant?.mode == mode.rawValue && $0.unlock.tag == Unlock.Tag.truebit }) {
                return (block.header.height, transaction)
            }
        }
        return nil
    }

    static func spends(_ mode: CovenantUnlock.TruebitMode, in fixture: DaemonFixture) -> [Transaction] {
        fixture.minedTransactions.filter { $0.inputs.contains { $0.unlock.tag == Unlock.Tag.truebit && $0.unlock.covenant?.mode == mode.rawValue } }
    }

    @Test("an honest solver commits, reveals once final, and is paid at deadline + 3·clock; the verifier agrees and opens no game")
    func honestSolverIsPaid() async throws {
        let fixture = try DaemonFixture()
        defer { fixture.remove() }
        let task = try fixture.post()
        let solver = try fixture.solver()
        let verifier = try fixture.verifier()
        for _ in 0..<150 where Self.firstSpend(.payout, in: fixture) == nil {
            try await solver.pass()
            try await verifier.pass()
            try fixture.node.mine()
        }
        let commit = try #require(Self.firstSpend(.commit, in: fixture))
        let reveal = try #require(Self.firstSpend(.reveal, in: fixture))
        let payout = try #require(Self.firstSpend(.payout, in: fixture))
        // The commit was mined in the block after the post (posted at solveDeadline − 400 + 1); the reveal waited for the finality depth.
        #expect(commit.height == task.lock.solveDeadline - 400 + 2)
        #expect(reveal.height == commit.height + fixture.params.layer2.finalityDepth)
        guard case .truebitSolution(let solution) = reveal.transaction.outputs[0].lock else {
            Issue.record("the reveal's output 0 is not a solution")
            return
        }
        // The true run: 300 + 299 + … + 1 = 45 150 as the output, and the final state of a fresh machine.
        let truth = RunPrograms.freshState(RunPrograms.summing, input: F.input, steps: F.maxSteps)
        #expect(solution.finalState == truth.hash)
        #expect(solution.steps == truth.step)
        #expect(solution.outputHash == Blake3.hash([0x5e, 0xb0, 0x00, 0x00]))
        #expect(payout.height == solution.deadline + 3 * UInt64(F.clock))
        #expect(payout.transaction.outputs[0] == Output(amount: F.reward.adding(F.solverDeposit)!, lock: .pubKeyHash(F.solver.publicKey.publicKeyHash)))
        #expect(payout.transaction.outputs[1].lock
            == .truebitResult(TruebitResultLock(taskId: task.taskId, solutionId: solution.solutionId, outputHash: solution.outputHash)))
        // The pass after the payout's block records it.
        #expect(try solver.store.solutions().map(\.status) == [.revealed])
        try await solver.pass()
        #expect(try solver.store.solutions().map(\.status) == [.paid])
        #expect(try verifier.store.verdict(solutionId: solution.solutionId)?.agrees == true)
        #expect(fixture.minedTransactions.allSatisfy { $0.outputs.allSatisfy { $0.lock.tag != Lock.Tag.truebitGame } })
    }

    @Test("a solver whose run is wrong from step 1 001 is challenged, bisected down to [1 000, 1 001], refuted and closed; both daemons restart mid-game")
    func cheatingSolverIsRefuted() async throws {
        let fixture = try DaemonFixture()
        defer { fixture.remove() }
        let task = try fixture.post()
        // x5 (t0) is the accumulator: wrong from index 1 001 to the halt, and in the output.
        let fault = try #require(RegisterFault(afterStep: 1_000, register: 5, mask: 0x10))
        var solver = try fixture.solver(fault: fault)
        var verifier = try fixture.verifier()
        var restarted = false
        for _ in 0..<150 where Self.firstSpend(.closeRefuted, in: fixture) == nil {
            try await solver.pass()
            try await verifier.pass()
            try fixture.node.mine()
            if !restarted, Self.spends(.choose, in: fixture).count == 1 {
                // A restart in the middle of the game: new actors on the same files, with no run kept.
                try solver.store.close()
                try verifier.store.close()
                solver = try fixture.solver(fault: fault)
                verifier = try fixture.verifier()
                restarted = true
            }
        }
        #expect(restarted)
        let reveal = try #require(Self.firstSpend(.reveal, in: fixture))
        guard case .truebitSolution(let solution) = reveal.transaction.outputs[0].lock else {
            Issue.record("the reveal's output 0 is not a solution")
            return
        }
        let challenge = try #require(fixture.minedTransactions.first { $0.outputs.contains { $0.lock.tag == Lock.Tag.truebitGame } && $0.inputs.allSatisfy { $0.unlock.tag != Unlock.Tag.truebit } })
        #expect(challenge.reads.count == 1)
        let bisects = Self.spends(.bisect, in: fixture)
        let chooses = Self.spends(.choose, in: fixture)
        // At most r(steps) rounds, one bisect and one choose each.
        #expect(bisects.count == chooses.count)
        #expect(bisects.count <= Bisection.maxRounds(steps: solution.steps))
        #expect(bisects.count >= 1)
        let step = try #require(Self.firstSpend(.step, in: fixture))
        guard case .truebitGame(let last) = try #require(Self.spentOutput(of: step.transaction, in: fixture)).lock else {
            Issue.record("the step does not spend a game")
            return
        }
        #expect(last.lo == 1_000)
        #expect(last.hi == 1_001)
        #expect(last.loHash == RunPrograms.freshStateHash(RunPrograms.summing, input: F.input, steps: 1_000))
        // The challenger's deposit back, and the marker.
        #expect(step.transaction.outputs[0] == Output(amount: F.challengerDeposit, lock: .pubKeyHash(F.verifier.publicKey.publicKeyHash)))
        #expect(step.transaction.outputs[1].lock == .truebitRefuted(TruebitRefutedLock(solutionId: solution.solutionId, challengerKey: last.challengerKey)))
        // Closed at once: the task is back with its taskId and reward, half the deposit to the giver.
        let close = try #require(Self.firstSpend(.closeRefuted, in: fixture))
        #expect(close.height <= step.height + 2)
        #expect(close.transaction.outputs[0] == Output(amount: F.reward, lock: .truebitTask(task.lock)))
        #expect(close.transaction.outputs[1] == Output(
            amount: Amount(units: F.solverDeposit.units / 2), lock: .pubKeyHash(F.giver.publicKey.publicKeyHash)))
        // What the verifier's store read from the blocks: its side in every game, the points of each bisect on
        // the game it pinned (as the choose that spent it posted them), the post's txid on the posted task only
        // (checked below, once the verifier has read the close's block).
        let games = try verifier.store.records(tag: Lock.Tag.truebitGame, includeSpent: true)
        #expect(games.count == 1 + bisects.count + chooses.count)
        #expect(games.allSatisfy { $0.side == .challenger })
        for bisect in bisects {
            let pinned = try #require(games.first { $0.outpoint == OutPoint(txid: bisect.txid, index: 0) })
            let choose = try #require(chooses.first { $0.inputs[0].outpoint == pinned.outpoint })
            #expect(pinned.points?.flatMap(\.bytes) == choose.witnesses[0].items[0])
        }
        // One more pass: the solver records the refutation and does not take the recreated task again.
        try await solver.pass()
        try await verifier.pass()
        try fixture.node.mine()
        try await solver.pass()
        #expect(try solver.store.solutions().map(\.status) == [.refuted])
        let tasks = try verifier.store.records(tag: Lock.Tag.truebitTask, includeSpent: true)
        #expect(tasks.map(\.postTxid) == [task.outpoint.txid, nil])
        #expect(Self.spends(.commit, in: fixture).count == 1)
        #expect(fixture.node.pool.isEmpty)
    }

    @Test("a solver restarted between its commit and its reveal reveals with the salt it stored before committing")
    func restartBeforeReveal() async throws {
        let fixture = try DaemonFixture()
        defer { fixture.remove() }
        try fixture.post()
        var solver = try fixture.solver()
        for _ in 0..<5 where Self.firstSpend(.commit, in: fixture) == nil {
            try await solver.pass()
            try fixture.node.mine()
        }
        let commit = try #require(Self.firstSpend(.commit, in: fixture))
        let stored = try #require(try solver.store.solutions().first)
        try solver.store.close()
        solver = try fixture.solver()
        for _ in 0..<20 where Self.firstSpend(.reveal, in: fixture) == nil {
            try await solver.pass()
            try fixture.node.mine()
        }
        // The chain's reveal rule checked the salt against the commitment: the reveal is mined, and carries it.
        let reveal = try #require(Self.firstSpend(.reveal, in: fixture))
        #expect(reveal.height == commit.height + fixture.params.layer2.finalityDepth)
        #expect(reveal.transaction.witnesses[0].items[0] == stored.salt.bytes)
    }

    @Test("a task whose run exits with a code other than 0 is refused once, and stays refused after a restart")
    func unsolvableTaskIsRefused() async throws {
        let fixture = try DaemonFixture()
        defer { fixture.remove() }
        let task = try fixture.post(program: RunPrograms.failing, input: [])
        var solver = try fixture.solver()
        try await solver.pass()
        let decision = try #require(try solver.store.decision(taskId: task.taskId))
        #expect(decision.verdict == .refused)
        #expect(decision.reason == "no solution exists: the run halted with exit code 3")
        #expect(fixture.node.pool.isEmpty)
        try fixture.node.mine()
        try solver.store.close()
        solver = try fixture.solver()
        try await solver.pass()
        try fixture.node.mine()
        try await solver.pass()
        // Not weighed again: the decision keeps the height it was made at, and nothing was sent.
        #expect(try solver.store.decision(taskId: task.taskId) == decision)
        #expect(try solver.store.solutions().isEmpty)
        #expect(Self.spends(.commit, in: fixture).isEmpty)
    }

    /// The output the first Truebit input of `transaction` spent, from the transaction that created it.
    static func spentOutput(of transaction: Transaction, in fixture: DaemonFixture) -> Output? {
        guard let input = transaction.inputs.first(where: { $0.unlock.tag == Unlock.Tag.truebit }) else { return nil }
        return fixture.minedTransactions.first { $0.txid == input.outpoint.txid }?.outputs[Int(input.outpoint.index)]
    }
}
