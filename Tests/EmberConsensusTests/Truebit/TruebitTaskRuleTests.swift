import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// Post, refund, commit, reveal and missed reveal (docs/truebit.md): each test takes a valid transaction
/// and breaks one rule.
@Suite("Truebit task rules: post, refund, commit, reveal, missed reveal")
struct TruebitTaskRuleTests {
    typealias F = TruebitFixture

    // MARK: Post

    static func post(_ task: TruebitTaskLock = F.task, reward: Amount = F.reward, blobs: [[UInt8]] = [F.program, F.input], firstInput: OutPoint = F.postInput)
        -> Transaction
    {
        F.transaction([(firstInput, .publicKey(F.raw(F.giver)), [])], outputs: [Output(amount: reward, lock: .truebitTask(task))], blobs: blobs)
    }

    static func editedTask(_ edit: (inout TruebitTaskLock) -> Void) -> TruebitTaskLock {
        var task = F.task
        edit(&task)
        return task
    }

    func checkPost(_ transaction: Transaction, height: UInt64 = 30) -> String? {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 20)!, lock: F.pkh(F.giver)), at: transaction.inputs[0].outpoint)
        return fixture.broken(transaction, height: height)
    }

    @Test("a post loads the program, checks the initial state and binds the taskId; every field rule refuses")
    func post() {
        #expect(checkPost(Self.post()) == nil)
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 20)!, lock: F.pkh(F.giver)), at: F.postInput)
        #expect(fixture.heights(Self.post(), height: 30) == ValidHeights(validFrom: 0, validBelow: F.solveDeadline))
        // Rule 0: taskId from another input, another output index.
        #expect(checkPost(Self.post(firstInput: F.outpoint(0x7f))) == "taskIdMismatch")
        #expect(checkPost(Self.post(Self.editedTask { $0.taskId = F.taskId(firstInput: F.postInput, output: 1) })) == "taskIdMismatch")
        // Rules 1–3: blobs by hash, the initial state.
        #expect(checkPost(Self.post(blobs: [F.program])) == "post")
        #expect(checkPost(Self.post(blobs: [F.input])) == "post")
        #expect(checkPost(Self.post(Self.editedTask { $0.initialState = F.prover.stateHash(1) })) == "post")
        let notELF = [UInt8](repeating: 1, count: 64)
        let rejected = checkPost(Self.post(Self.editedTask { $0.programHash = Blake3.hash(notELF) }, blobs: [notELF, F.input]))
        #expect(rejected?.hasPrefix("the program is not a valid consensus ELF") == true)
        // An unnamed extra blob.
        #expect(checkPost(Self.post(blobs: [F.program, F.input, [9]])) == CovenantRejection.unnamedBlob(index: 2).description)
        // Rule 4 (fix S): 1 ≤ maxSteps ≤ W · 2^24 on devnet.
        #expect(checkPost(Self.post(Self.editedTask { $0.maxSteps = 0 })) == "maxStepsTooLarge")
        // Rule 5: deposits at least the bond minimum (2 · dust on devnet), reward at least dust, sums bounded.
        let minimum = F.params.layer2.bondMinimum
        #expect(checkPost(Self.post(Self.editedTask { $0.solverDeposit = Amount(units: minimum.units - 1) })) == "post")
        #expect(checkPost(Self.post(Self.editedTask { $0.challengerDeposit = Amount(units: minimum.units - 1) })) == "post")
        #expect(checkPost(Self.post(Self.editedTask { $0.solverDeposit = minimum; $0.challengerDeposit = minimum })) == nil)
        #expect(checkPost(Self.post(reward: Amount(units: F.dust.units - 1))) == "post")
        // Rule 6: h < solveDeadline.
        #expect(checkPost(Self.post(), height: F.solveDeadline - 1) == nil)
        #expect(checkPost(Self.post(), height: F.solveDeadline) == "height")
        // Rule 7: window and clock bounds (the clock minimum uses the network's window minimum).
        #expect(checkPost(Self.post(Self.editedTask { $0.challengeWindow = 1 })) == CovenantRejection.windowOutOfBounds(found: 1, minimum: 2, maximum: 100_000).description)
        #expect(checkPost(Self.post(Self.editedTask { $0.challengeWindow = 100_001 })) != nil)
        // r(1 000) = 3: minimum 2 + 4 · 4 = 18.
        #expect(checkPost(Self.post(Self.editedTask { $0.clock = 17 })) == "post")
        #expect(checkPost(Self.post(Self.editedTask { $0.clock = 18 })) == nil)
        #expect(checkPost(Self.post(Self.editedTask { $0.clock = 100_001 })) == "post")
        // Rule 8: lockTime 0 and no data.
        var locked = Self.post()
        locked.outputs[0].lockTime = 1
        #expect(checkPost(locked) == "creation")
        var data = Self.post()
        data.outputs[0].data = [1]
        #expect(checkPost(data) == "creation")
    }

    @Test("two tasks of one post differ by output index and share one initial-state computation")
    func twoTasksInOnePost() {
        var second = F.task
        second.taskId = F.taskId(firstInput: F.postInput, output: 1)
        var transaction = Self.post()
        transaction.outputs.append(Output(amount: F.reward, lock: .truebitTask(second)))
        #expect(checkPost(transaction) == nil)
        var wrongSecond = second
        wrongSecond.initialState = F.prover.stateHash(2)
        transaction.outputs[1] = Output(amount: F.reward, lock: .truebitTask(wrongSecond))
        #expect(checkPost(transaction) == "post")
    }

    // MARK: Refund

    func refund(firstOutput: UInt64 = 0, signer: SigningKey = F.giver) -> Transaction {
        let unsigned = F.transaction(
            [(F.taskOutpoint, F.unlock(.refund, firstOutput: firstOutput), [[UInt8](repeating: 0, count: 64)])],
            outputs: [Output(amount: F.reward, lock: F.pkh(F.giver))])
        return F.signed(unsigned, item: 0, by: signer)
    }

    @Test("refund: from solveDeadline on, signed by the giver over the txid, one 64-byte item, firstOutput 0")
    func refundRules() {
        let fixture = F()
        #expect(fixture.broken(refund(), height: F.solveDeadline) == nil)
        #expect(fixture.heights(refund(), height: F.solveDeadline) == ValidHeights(validFrom: F.solveDeadline))
        #expect(fixture.broken(refund(), height: F.solveDeadline - 1) == "height")
        #expect(fixture.broken(refund(signer: F.mallory), height: F.solveDeadline) == "signature")
        #expect(fixture.broken(refund(firstOutput: 1), height: F.solveDeadline) == CovenantRejection.firstOutputNotZero(input: 0, found: 1).description)
        var long = refund()
        long.witnesses[0] = Witness(items: [long.witnesses[0].items[0] + [0]])
        #expect(fixture.broken(long, height: F.solveDeadline) == "witness")
    }

    // MARK: Commit

    func commit(_ lock: TruebitCommitLock = F.commit(), amount: Amount = F.reward.adding(F.solverDeposit)!, items: [[UInt8]] = [], firstOutput: UInt64 = 0)
        -> Transaction
    {
        F.transaction(
            [(F.taskOutpoint, F.unlock(.commit, firstOutput: firstOutput), items), (F.outpoint(0x60), .publicKey(F.raw(F.solver)), [])],
            outputs: [Output(amount: amount, lock: .truebitCommit(lock))])
    }

    @Test("commit: before solveDeadline, the task byte for byte, revealBy chosen for W, R + Ds pinned")
    func commitRules() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.solver)), at: F.outpoint(0x60))
        let h = F.commitHeight
        #expect(fixture.broken(commit(), height: h) == nil)
        // revealBy = h + 6 with W = 4: valid from revealBy − 8 to revealBy − 4, and before solveDeadline.
        #expect(fixture.heights(commit(), height: h) == ValidHeights(validFrom: F.revealBy - 8, validBelow: F.revealBy - 3))
        #expect(fixture.broken(commit(), height: F.revealBy - 3) == "deadline")
        #expect(fixture.broken(commit(), height: F.revealBy - 9) == "deadline")
        var late = F.commit()
        late.revealBy = F.solveDeadline + 6
        #expect(fixture.broken(commit(late), height: F.solveDeadline) == "height")
        var otherTask = F.commit()
        otherTask.task.clock += 1
        #expect(fixture.broken(commit(otherTask), height: h) == "commit")
        #expect(fixture.broken(commit(amount: F.reward), height: h) == "pinnedOutputDiffers")
        #expect(fixture.broken(commit(items: [[1]]), height: h) == "witness")
        #expect(fixture.broken(commit(firstOutput: 1), height: h) == "pinnedOutputMissing")
        var notCommit = commit()
        notCommit.outputs[0].lock = F.pkh(F.solver)
        #expect(fixture.broken(notCommit, height: h) == "pinnedOutputDiffers")
        var unknownMode = commit()
        unknownMode.inputs[0].unlock = F.unlock(.reveal)
        #expect(fixture.broken(unknownMode, height: h) == "mode")
    }

    // MARK: Reveal

    static func reveal(
        solution: TruebitSolutionLock = F.honest, fields: [UInt8] = TruebitRun.fields(F.prover.finalState), salt: [UInt8] = F.salt,
        proof: [UInt8] = F.prover.outputProof, blobs: [[UInt8]] = [F.prover.output], signer: SigningKey = F.solver, firstOutput: UInt64 = 0
    ) -> Transaction {
        let unsigned = F.transaction(
            [(F.commitOutpoint, F.unlock(.reveal, firstOutput: firstOutput), [salt, fields, proof, [UInt8](repeating: 0, count: 64)])],
            outputs: [Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitSolution(solution))], blobs: blobs)
        return F.signed(unsigned, item: 3, by: signer)
    }

    @Test("reveal: the honest solution opens its commitment, proves its output and is signed by the solver")
    func revealAccepted() {
        let fixture = F()
        #expect(fixture.broken(Self.reveal(), height: F.revealHeight) == nil)
        // deadline = revealHeight + 6, W = 4; revealBy = commit + 6.
        #expect(fixture.heights(Self.reveal(), height: F.revealHeight) == ValidHeights(validFrom: F.deadline - 8, validBelow: F.revealBy))
        #expect(fixture.broken(Self.reveal(), height: F.revealBy) == "height")
    }

    @Test("reveal: every field, size, proof and signature rule refuses")
    func revealRejections() {
        let fixture = F()
        let h = F.revealHeight
        let fields = TruebitRun.fields(F.prover.finalState)
        // Sizes.
        #expect(fixture.broken(Self.reveal(salt: Array(F.salt.dropLast())), height: h) == "witness")
        #expect(fixture.broken(Self.reveal(fields: fields + [0]), height: h) == "witness")
        #expect(fixture.broken(Self.reveal(proof: [UInt8](repeating: 0, count: 893)), height: h) == "witness")
        #expect(fixture.broken(Self.reveal(proof: F.prover.outputProof + [0]), height: h) == "witness")
        #expect(fixture.broken(Self.reveal(proof: Array(F.prover.outputProof.dropLast())), height: h) == "witness")
        // Final fields: halted, exit 0, 1 ≤ step ≤ maxSteps.
        var running = F.prover.finalState
        running.status = .running
        #expect(fixture.broken(Self.reveal(fields: TruebitRun.fields(running)), height: h) == "reveal")
        var exitOne = F.prover.finalState
        exitOne.exitCode = 1
        #expect(fixture.broken(Self.reveal(fields: TruebitRun.fields(exitOne)), height: h) == "reveal")
        var statusThree = fields
        statusThree[168] = 3
        #expect(fixture.broken(Self.reveal(fields: statusThree), height: h) == "reveal")
        var tooLong = F.prover.finalState
        tooLong.step = F.maxSteps + 1
        #expect(fixture.broken(Self.reveal(fields: TruebitRun.fields(tooLong)), height: h) == "reveal")
        var zero = F.prover.finalState
        zero.step = 0
        #expect(fixture.broken(Self.reveal(fields: TruebitRun.fields(zero)), height: h) == "reveal")
        // The output blob is found by hash; an unknown one is refused.
        #expect(fixture.broken(Self.reveal(blobs: [[1, 2, 3, 4]]), height: h) == "reveal")
        // The pinned solution must be exactly what the rule builds.
        var otherSteps = F.honest
        otherSteps.steps += 1
        #expect(fixture.broken(Self.reveal(solution: otherSteps), height: h) == "pinnedOutputDiffers")
        var otherId = F.honest
        otherId.solutionId = F.solutionId(commit: F.taskOutpoint)
        #expect(fixture.broken(Self.reveal(solution: otherId), height: h) == "pinnedOutputDiffers")
        // The commitment: another salt.
        #expect(fixture.broken(Self.reveal(salt: [UInt8](repeating: 1, count: 32)), height: h) == "commitmentMismatch")
        // The output proof: a sibling changed.
        var badProof = F.prover.outputProof
        badProof[badProof.count - 1] ^= 1
        #expect(fixture.broken(Self.reveal(proof: badProof), height: h) == "outputProof")
        // The signature.
        #expect(fixture.broken(Self.reveal(signer: F.mallory), height: h) == "signature")
        // The chosen deadline.
        var early = F.honest
        early.deadline = h + 3
        #expect(fixture.broken(Self.reveal(solution: early), height: h) == "deadline")
        // firstOutput past the outputs, or not a solution there.
        #expect(fixture.broken(Self.reveal(firstOutput: 1), height: h) == "pinnedOutputMissing")
    }

    // MARK: Missed reveal

    func missedReveal(outputs: [Output]? = nil) -> Transaction {
        F.transaction(
            [(F.commitOutpoint, F.unlock(.missedReveal), [])],
            outputs: outputs ?? [
                Output(amount: F.reward, lock: .truebitTask(F.task)),
                Output(amount: Amount(units: F.solverDeposit.units / 2), lock: F.pkh(F.giver)),
            ])
    }

    @Test("missed reveal: from revealBy, the task back byte for byte, half the deposit to the giver, the rest burnt")
    func missedRevealRules() throws {
        let fixture = F()
        let (burnt, heights) = try fixture.check(missedReveal(), height: F.revealBy)
        #expect(burnt == Amount(units: 500_000_000_000_000_000))
        #expect(heights == ValidHeights(validFrom: F.revealBy))
        #expect(fixture.broken(missedReveal(), height: F.revealBy - 1) == "height")
        #expect(fixture.broken(missedReveal(outputs: [Output(amount: F.reward, lock: .truebitTask(F.task)), Output(amount: F.solverDeposit, lock: F.pkh(F.giver))]), height: F.revealBy) == "pinnedOutputDiffers")
        var changed = F.task
        changed.solveDeadline += 1
        #expect(fixture.broken(missedReveal(outputs: [Output(amount: F.reward, lock: .truebitTask(changed)), Output(amount: Amount(units: F.solverDeposit.units / 2), lock: F.pkh(F.giver))]), height: F.revealBy) == "pinnedOutputDiffers")
        var withItem = missedReveal()
        withItem.witnesses[0] = Witness(items: [[0]])
        #expect(fixture.broken(withItem, height: F.revealBy) == "witness")
    }

    @Test("tags 7's commit-only copies: tags 8, 11, 12 and 15 have no creation rule")
    func noFreeOutputs() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 20)!, lock: F.pkh(F.mallory)), at: F.outpoint(0x61))
        let locks: [Lock] = [
            .truebitSolution(F.honest), .truebitCommit(F.commit()),
            .truebitResult(TruebitResultLock(taskId: F.task.taskId, solutionId: F.honest.solutionId, outputHash: .zero)),
            .truebitRefuted(TruebitRefutedLock(solutionId: F.honest.solutionId, challengerKey: F.raw(F.mallory))),
        ]
        for lock in locks {
            let transaction = F.transaction([(F.outpoint(0x61), .publicKey(F.raw(F.mallory)), [])], outputs: [Output(amount: F.dust, lock: lock)])
            #expect(fixture.rejection(transaction, height: 30) == .outputNotAllowed(output: 0, lockTag: lock.tag))
        }
    }
}
