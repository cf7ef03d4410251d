import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberVM

/// The giver's transactions (docs/truebit.md, "Task giver"): the post and the refund.
extension TruebitTransactions {
    /// One task a post creates.
    public struct PostedTask: Hashable, Sendable {
        public let outpoint: OutPoint
        public let reward: Amount
        public let lock: TruebitTaskLock
        public var taskId: Hash32 { lock.taskId }
    }

    /// Posts `program` and `input` as blobs and one truebitTask output per entry of `tasks` (outputs 0, 1, …),
    /// each holding its reward. Each taskId binds the post's first input (the funding key's first output in
    /// the sponsor's order) and the task's output index; the initial state is the consensus loader's
    /// (`ConsensusRun.initialStateHash`). The post's txid is where every re-solve finds the program and input.
    public func post(
        program: [UInt8], input: [UInt8], tasks: [TruebitTaskParameters], in context: Context
    ) throws(TruebitTransactionError) -> (transaction: SponsoredTransaction, tasks: [PostedTask]) {
        guard !tasks.isEmpty else { throw .noTasks }
        let loaded: ConsensusProgram
        do {
            loaded = try ConsensusProgram(elf: program)
        } catch {
            throw .programRejected(error.description)
        }
        let initialState: Hash32
        do {
            initialState = try ConsensusRun.initialStateHash(program: loaded, input: input)
        } catch {
            throw .inputTooLarge(bytes: input.count)
        }
        guard let firstInput = sponsor.spendable(context.funding, excluding: [], nowMs: context.nowMs).first?.outpoint else {
            throw .sponsorship(.insufficientFunds(available: .zero, needed: tasks[0].reward))
        }
        let programHash = Blake3.hash(program)
        let inputHash = Blake3.hash(input)
        let locks = tasks.enumerated().map { index, task in
            TruebitTaskLock(
                taskId: TruebitTaskLock.taskId(firstInput: firstInput, outputIndex: UInt32(index)), giverKey: task.giverKey,
                programHash: programHash, inputHash: inputHash, initialState: initialState, maxSteps: task.maxSteps,
                solverDeposit: task.solverDeposit, challengerDeposit: task.challengerDeposit, solveDeadline: task.solveDeadline,
                challengeWindow: task.challengeWindow, clock: task.clock)
        }
        let outputs = zip(tasks, locks).map { Output(amount: $0.reward, lock: .truebitTask($1)) }
        // One blob serves as both when the program is its own input: a second copy would be named by nothing.
        let blobs = program == input ? [program] : [program, input]
        let built = try build(CovenantTransactionRequest(covenantInputs: [], otherOutputs: outputs, blobs: blobs), in: context)
        guard built.transaction.inputs.first?.outpoint == firstInput else { throw .fundingOrderChanged }
        let txid = built.digests.txid
        let posted = zip(tasks, locks).enumerated().map { index, pair in
            PostedTask(outpoint: OutPoint(txid: txid, index: UInt32(index)), reward: pair.0.reward, lock: pair.1)
        }
        return (built, posted)
    }

    /// Mode 0: the task `task`, unsolved at its solveDeadline, goes back to its giver, who signs the whole
    /// transaction. The reward less the fee returns as change when the funding key is the giver's;
    /// otherwise the whole reward goes to `pkh(giverKey)` and the funding key pays the fee.
    public func refund(task: ChainOutput, giverKey: SigningKey, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lock = try task.truebitTask()
        guard Self.raw(giverKey) == lock.giverKey else { throw .notTheKey(role: "giver", expected: lock.giverKey) }
        let input = CovenantSpendInput(
            outpoint: task.outpoint, spent: task.unspent, unlock: Self.unlock(.refund), witness: Witness(items: [Self.signaturePlaceholder]))
        let toGiver = sponsor.fundingKey.publicKey == giverKey.publicKey
            ? [] : [Output(amount: task.unspent.output.amount, lock: Self.payTo(lock.giverKey))]
        return try buildSigned(CovenantTransactionRequest(covenantInputs: [input], otherOutputs: toGiver), item: 0, signer: giverKey, in: context)
    }
}
