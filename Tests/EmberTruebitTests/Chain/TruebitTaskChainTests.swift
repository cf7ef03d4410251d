import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import EmberTruebit
import EmberVM
import Testing

/// A task's life without a dispute, through real blocks: posted, solved and paid; a commit never revealed;
/// a task nobody solved refunded; and what the post derives (taskIds, the initial state).
@Suite("Truebit transactions: tasks through blocks")
struct TruebitTaskChainTests {
    typealias C = TruebitChain

    @Test("post, commit, reveal, and the payout from deadline + 3·clock pays the solver R + Ds and pins the result")
    func honestTaskIsPaid() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let giverBefore = chain.balance(C.giver)
        let postBuilt = try chain.transactions(C.giver).post(
            program: TruebitProgramRun.program, input: TruebitProgramRun.input, tasks: [C.parameters(solveDeadline: chain.nextHeight + 500)],
            in: chain.context(C.giver))
        try chain.mine(postBuilt.transaction)
        let task = try #require(postBuilt.tasks.first)
        #expect(chain.balance(C.giver) == giverBefore.subtracting(C.reward)!.subtracting(postBuilt.transaction.fee)!)
        #expect(try chain.output(task.outpoint).unspent.output.amount == C.reward)

        let solverBefore = chain.balance(C.solver)
        let (_, solutionOutpoint) = try chain.solve(task: task.outpoint, result: run.honest)
        let solution = try chain.solution(solutionOutpoint)
        #expect(try chain.output(solutionOutpoint).unspent.output.amount == C.reward.adding(C.solverDeposit)!)
        #expect(solution.steps == run.honest.steps)
        #expect(solution.finalState == run.honest.finalState.hash)
        #expect(solution.outputHash == Blake3.hash(run.honest.output))

        // One block early the rule refuses the payout, and the builder with it.
        try chain.advance(toNextHeight: C.payoutHeight(solution) - 1)
        #expect(throws: TruebitTransactionError.self) { try chain.transactions(C.watcher).payout(solution: chain.output(solutionOutpoint), in: chain.context(C.watcher)) }
        try chain.advance(toNextHeight: C.payoutHeight(solution))
        let watcherBefore = chain.balance(C.watcher)
        let payout = try chain.transactions(C.watcher).payout(solution: chain.output(solutionOutpoint), in: chain.context(C.watcher))
        try chain.mine(payout)
        #expect(chain.balance(C.watcher) == watcherBefore.subtracting(chain.dust)!.subtracting(payout.fee)!)
        let paid = payout.transaction.outputs
        #expect(paid[0] == Output(amount: C.reward.adding(C.solverDeposit)!, lock: C.pkh(C.solver)))
        let result = TruebitResultLock(taskId: task.taskId, solutionId: solution.solutionId, outputHash: Blake3.hash(run.honest.output))
        #expect(paid[1] == Output(amount: chain.dust, lock: .truebitResult(result)))
        #expect(payout.burnt == .zero)
        #expect(chain.isUnspent(OutPoint(txid: payout.transaction.txid, index: 1)))
        // Where the money landed: the giver paid R, the solver gained R (its deposit back), the watcher paid
        // the result's dust; each paid its own fees.
        #expect(chain.balance(C.giver) == giverBefore.subtracting(C.reward)!.subtracting(chain.feesPaid(by: C.giver))!)
        #expect(chain.balance(C.solver) == solverBefore.adding(C.reward)!.subtracting(chain.feesPaid(by: C.solver))!)
        #expect(chain.feesPaid(by: C.watcher) == payout.fee)
    }

    @Test("a commit not revealed by revealBy: anyone returns the task (same taskId) and pays the giver half the deposit; the rest is burnt")
    func missedRevealReturnsTheTask() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let task = try chain.post()
        let solver = chain.transactions(C.solver)
        let salt = Blake3.hash(Array("forgotten salt".utf8))
        let commitBuilt = try solver.commit(task: chain.output(task.outpoint), result: run.honest, salt: salt, solverKey: C.raw(C.solver), in: chain.context(C.solver))
        let revealBy = TruebitTransactions.chosenDeadline(nextHeight: chain.nextHeight, window: C.window)
        try chain.mine(commitBuilt)
        let commit = OutPoint(txid: commitBuilt.transaction.txid, index: 0)
        guard case .truebitCommit(let commitLock) = try chain.output(commit).unspent.output.lock else { Issue.record("not a commit"); return }
        #expect(commitLock.revealBy == revealBy)
        #expect(commitLock.commitment == Blake3.hash(C.raw(C.solver).bytes + run.honest.finalState.hash.bytes + Blake3.hash(run.honest.output).bytes
            + TruebitCommitmentBytes.u64(run.honest.steps) + salt.bytes))
        #expect(try chain.output(commit).unspent.output.amount == C.reward.adding(C.solverDeposit)!)

        try chain.advance(toNextHeight: revealBy - 1)
        #expect(throws: TruebitTransactionError.self) { try chain.transactions(C.watcher).missedReveal(commit: chain.output(commit), in: chain.context(C.watcher)) }
        try chain.advance(toNextHeight: revealBy)
        let giverBefore = chain.balance(C.giver)
        let missed = try chain.transactions(C.watcher).missedReveal(commit: chain.output(commit), in: chain.context(C.watcher))
        try chain.mine(missed)
        let half = Amount(units: C.solverDeposit.units / 2)
        #expect(missed.transaction.outputs[0] == Output(amount: C.reward, lock: .truebitTask(task.lock)))
        #expect(missed.transaction.outputs[1] == Output(amount: half, lock: C.pkh(C.giver)))
        #expect(missed.burnt == C.solverDeposit.subtracting(half)!)
        #expect(chain.balance(C.giver) == giverBefore.adding(half)!)
        #expect(chain.isUnspent(OutPoint(txid: missed.transaction.txid, index: 0)))
    }

    @Test("a task nobody solved: from solveDeadline the giver's signed refund returns the reward to the giver, not a block before")
    func refundReturnsTheReward() throws {
        var chain = try TruebitChain()
        let solveDeadline = chain.nextHeight + 6
        let task = try chain.post(solveDeadline: solveDeadline)
        let giver = chain.transactions(C.giver)
        try chain.advance(toNextHeight: solveDeadline - 1)
        #expect(throws: TruebitTransactionError.self) { try giver.refund(task: chain.output(task.outpoint), giverKey: C.giver, in: chain.context(C.giver)) }
        // Only the giver's key signs a refund.
        #expect(throws: TruebitTransactionError.notTheKey(role: "giver", expected: C.raw(C.giver))) {
            try giver.refund(task: chain.output(task.outpoint), giverKey: C.solver, in: chain.context(C.giver))
        }
        try chain.advance(toNextHeight: solveDeadline)
        let before = chain.balance(C.giver)
        let refund = try giver.refund(task: chain.output(task.outpoint), giverKey: C.giver, in: chain.context(C.giver))
        try chain.mine(refund)
        // Funded by the giver: the reward pays the fee and comes back as change, no other input needed.
        #expect(refund.funding.isEmpty)
        #expect(refund.transaction.outputs == [Output(amount: C.reward.subtracting(refund.fee)!, lock: C.pkh(C.giver))])
        #expect(chain.balance(C.giver) == before.adding(C.reward)!.subtracting(refund.fee)!)
        #expect(!chain.isUnspent(task.outpoint))
    }

    @Test("a refund funded by another key pays the whole reward to the giver; the funding key pays the fee")
    func refundFundedByAWatcher() throws {
        var chain = try TruebitChain()
        let solveDeadline = chain.nextHeight + 3
        let task = try chain.post(solveDeadline: solveDeadline)
        try chain.advance(toNextHeight: solveDeadline)
        let giverBefore = chain.balance(C.giver)
        let watcherBefore = chain.balance(C.watcher)
        let refund = try chain.transactions(C.watcher).refund(task: chain.output(task.outpoint), giverKey: C.giver, in: chain.context(C.watcher))
        try chain.mine(refund)
        #expect(refund.transaction.outputs[0] == Output(amount: C.reward, lock: C.pkh(C.giver)))
        #expect(chain.balance(C.giver) == giverBefore.adding(C.reward)!)
        #expect(chain.balance(C.watcher) == watcherBefore.subtracting(refund.fee)!)
    }

    @Test("one post holds several tasks over one program: each taskId binds the first input and its output index, and both can be solved")
    func postOfTwoTasks() throws {
        var chain = try TruebitChain()
        let run = try TruebitProgramRun()
        let deadline = chain.nextHeight + 500
        var second = C.parameters(solveDeadline: deadline)
        second.reward = Amount(coins: 3)!
        let (built, tasks) = try chain.transactions(C.giver).post(
            program: TruebitProgramRun.program, input: TruebitProgramRun.input, tasks: [C.parameters(solveDeadline: deadline), second],
            in: chain.context(C.giver))
        try chain.mine(built)
        try #require(tasks.count == 2)
        let firstInput = built.transaction.inputs[0].outpoint
        try #require(firstInput.index < 128)
        for (index, task) in tasks.enumerated() {
            // H("ember/truebit-task/v1" ‖ txid ‖ varint(input index) ‖ varint(output index)), indices below 128.
            #expect(task.taskId == Blake3.hash(Array("ember/truebit-task/v1".utf8) + firstInput.txid.bytes + [UInt8(firstInput.index), UInt8(index)]))
            #expect(task.outpoint == OutPoint(txid: built.transaction.txid, index: UInt32(index)))
            #expect(task.lock.initialState == run.prover.stateHash(afterSteps: 0))
            #expect(task.lock.programHash == Blake3.hash(TruebitProgramRun.program))
        }
        #expect(built.transaction.blobs == [TruebitProgramRun.program, TruebitProgramRun.input])
        #expect(try chain.output(tasks[1].outpoint).unspent.output.amount == Amount(coins: 3)!)
        let (_, solution) = try chain.solve(task: tasks[1].outpoint, result: run.honest)
        #expect(try chain.solution(solution).task.taskId == tasks[1].taskId)
    }

    @Test("a post refuses a program the consensus loader refuses, before anything is funded")
    func postOfABadProgram() throws {
        let chain = try TruebitChain()
        #expect(throws: TruebitTransactionError.self) {
            try chain.transactions(C.giver).post(
                program: Array("not an ELF".utf8), input: [], tasks: [C.parameters(solveDeadline: 500)], in: chain.context(C.giver))
        }
        #expect(throws: TruebitTransactionError.noTasks) {
            try chain.transactions(C.giver).post(program: TruebitProgramRun.program, input: [], tasks: [], in: chain.context(C.giver))
        }
    }
}

/// Big-endian bytes as docs/truebit.md writes `u64(x)`.
enum TruebitCommitmentBytes {
    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
}
