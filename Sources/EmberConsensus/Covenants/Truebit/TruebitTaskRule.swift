import EmberCore
import EmberCrypto
import EmberVM

/// Lock tag 7, truebitTask (docs/truebit.md): created by a post (the creation rule, which loads the program
/// and checks the initial state) and pinned again by a missed reveal or a close; spent by refund (mode 0,
/// signed by the giver, from solveDeadline) or commit (mode 1, before it).
public struct TruebitTaskRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.truebitTask }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        let checks = TruebitChecks(context)
        guard case .truebitTask(let task) = context.spent.output.lock else { throw checks.broken("lock", "not a truebitTask") }
        let items = context.witness.items
        switch CovenantUnlock.TruebitMode(rawValue: context.unlock.mode) {
        case .refund:
            try checks.requireItems(items, [Signature.byteCount], mode: "refund")
            try checks.requireFirstOutputZero(context.unlock, input: context.inputIndex)
            let heights = try checks.from(task.solveDeadline, rule: "refund")
            try checks.requireTransactionSignature(items[0], by: task.giverKey, party: "the giver")
            return CovenantSpend(heights: heights)
        case .commit:
            try checks.requireItems(items, [], mode: "commit")
            let open = try checks.before(task.solveDeadline, rule: "commit")
            let chosen = try checks.chosenCommit(context.unlock)
            guard chosen.task == task else { throw checks.broken("commit", "the commit does not carry the spent task byte for byte") }
            let deadline = try checks.chosen(chosen.revealBy, window: task.challengeWindow)
            guard let amount = context.spent.output.amount.adding(task.solverDeposit), amount <= context.params.maxAmount else {
                throw checks.broken("commit", "the reward and the solver's deposit exceed the maximum amount")
            }
            let commit = TruebitCommitLock(task: task, solverKey: chosen.solverKey, commitment: chosen.commitment, revealBy: chosen.revealBy)
            return CovenantSpend(pinned: [PinnedOutput(amount: amount, lock: .truebitCommit(commit))], heights: open.intersection(deadline))
        default:
            throw checks.broken("mode", "a task is spent by refund (0) or commit (1), found mode \(context.unlock.mode)")
        }
    }

    /// The post: rules 4–8 (fields, amounts, heights), the blobs by hash (1–2), the taskId (0), the
    /// program headers' file bytes, then the ELF load and the initial state (3).
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        let checks = TruebitChecks(context, lockTag: lockTag)
        let output = context.output
        guard case .truebitTask(let task) = output.lock else { throw checks.broken("post", "not a truebitTask") }
        let layer2 = context.params.layer2
        // Rule 4 (fix S): the product is below 100 000 · 2^28 once the window is checked, but is checked anyway.
        let (stepBound, boundOverflow) = UInt64(task.challengeWindow).multipliedReportingOverflow(by: layer2.truebitStepsPerWindowBlock)
        guard task.maxSteps >= 1, boundOverflow || task.maxSteps <= stepBound else {
            throw checks.broken("maxStepsTooLarge", "maxSteps \(task.maxSteps) is outside 1 ... \(boundOverflow ? UInt64.max : stepBound)")
        }
        // Rule 5.
        guard task.solverDeposit >= layer2.bondMinimum, task.challengerDeposit >= layer2.bondMinimum else {
            throw checks.broken("post", "each deposit must be at least \(layer2.bondMinimum)")
        }
        guard output.amount >= checks.dust else { throw checks.broken("post", "the reward \(output.amount) is below dust") }
        guard let committed = output.amount.adding(task.solverDeposit), committed <= context.params.maxAmount,
              task.challengerDeposit <= context.params.maxAmount
        else {
            throw checks.broken("post", "the reward and the solver's deposit, or the challenger's deposit, exceed the maximum amount")
        }
        // Rule 6.
        let heights = try checks.before(task.solveDeadline, rule: "post")
        // Rule 7.
        try layer2.checkWindow(UInt64(task.challengeWindow))
        let clockMinimum = layer2.truebitClockMinimum(maxSteps: task.maxSteps)
        guard UInt64(task.clock) >= clockMinimum, task.clock <= layer2.windowMaximum else {
            throw checks.broken("post", "the clock \(task.clock) is outside \(clockMinimum) ... \(layer2.windowMaximum)")
        }
        // Rule 8.
        try checks.requirePlain(output, index: context.outputIndex)
        // Rules 1–2: the blobs, by hash.
        guard let programIndex = checks.blob(hashing: task.programHash, maxBytes: ConsensusProgram.maxELFBytes) else {
            throw checks.broken("post", "no blob of at most \(ConsensusProgram.maxELFBytes) bytes hashes to programHash")
        }
        guard let inputIndex = checks.blob(hashing: task.inputHash, maxBytes: Transaction.maxBlobSize) else {
            throw checks.broken("post", "no blob hashes to inputHash")
        }
        // Rule 0 (fix T): every transaction that reaches tier 4 has a first input.
        guard let firstInput = context.transaction.inputs.first?.outpoint, let index = UInt32(exactly: context.outputIndex),
              task.taskId == TruebitTaskLock.taskId(firstInput: firstInput, outputIndex: index)
        else {
            throw checks.broken("taskIdMismatch", "taskId is not H(domain ‖ the first input ‖ the output index)")
        }
        let program = context.transaction.blobs[programIndex]
        let input = context.transaction.blobs[inputIndex]
        // A task of this transaction before this one with the same blobs and initial state was checked
        // already (or is a pinned copy of a checked body): the initial state is computed once per pair.
        let checkedBefore = context.transaction.outputs[..<context.outputIndex].contains { earlier in
            guard case .truebitTask(let other) = earlier.lock else { return false }
            return other.programHash == task.programHash && other.inputHash == task.inputHash && other.initialState == task.initialState
        }
        if !checkedBefore {
            // Rule 1 (fix P), from the headers, before anything is copied.
            if let fileBytes = Self.loadedFileBytes(elf: program), fileBytes > UInt64(program.count) {
                throw checks.broken(
                    "postSegmentsShareFileBytes", "the loaded segments hold \(fileBytes) file bytes, more than the program's \(program.count)")
            }
            let loaded: ConsensusProgram
            do {
                loaded = try ConsensusProgram(elf: program)
            } catch {
                throw .programRejected(reason: error.description)
            }
            // Rule 3.
            let initialState: Hash32
            do {
                initialState = try ConsensusRun.initialStateHash(program: loaded, input: input)
            } catch {
                throw checks.broken("post", "the input does not fit the machine: \(error)")
            }
            guard initialState == task.initialState else {
                throw checks.broken("post", "initialState is not the state hash of the loaded program and input")
            }
        }
        return CovenantCreation(namedBlobs: [programIndex, inputIndex], heights: heights)
    }

    /// Σ filesz over the program headers the consensus loader loads (PT_LOAD with memsz > 0), read from the
    /// headers without copying; nil when the header table cannot be read (the loader then rejects the file).
    /// At most 65 535 headers of 32-bit sizes: the sum never overflows 64 bits.
    static func loadedFileBytes(elf bytes: [UInt8]) -> UInt64? {
        guard bytes.count >= 52 else { return nil }
        func u16(_ offset: Int) -> UInt64 { UInt64(bytes[offset]) | UInt64(bytes[offset + 1]) << 8 }
        func u32(_ offset: Int) -> UInt64 { u16(offset) | u16(offset + 2) << 16 }
        let tableOffset = u32(28)
        let entrySize = u16(42)
        let count = u16(44)
        guard entrySize == 32, tableOffset + count * 32 <= UInt64(bytes.count) else { return nil }
        var total: UInt64 = 0
        for index in 0..<count {
            let base = Int(tableOffset + index * 32)
            guard u32(base) == 1, u32(base + 20) > 0 else { continue }
            total += u32(base + 16)
        }
        return total
    }
}
