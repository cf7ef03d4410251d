import EmberCore
import EmberCrypto
import EmberVM

/// Lock tag 15, truebitCommit (docs/truebit.md): pinned only by a commit; spent by reveal (mode 2, signed by
/// the solver, before revealBy) into a solution, or by missed reveal (mode 3, anyone, from revealBy), which
/// returns the task and pays half the deposit to the giver.
public struct TruebitCommitRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.truebitCommit }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        let checks = TruebitChecks(context)
        guard case .truebitCommit(let commit) = context.spent.output.lock else { throw checks.broken("lock", "not a truebitCommit") }
        let items = context.witness.items
        switch CovenantUnlock.TruebitMode(rawValue: context.unlock.mode) {
        case .reveal:
            return try reveal(commit, context: context, checks: checks, items: items)
        case .missedReveal:
            try checks.requireItems(items, [], mode: "missedReveal")
            let heights = try checks.from(commit.revealBy, rule: "missedReveal")
            var spend = try checks.taskReturned(commit.task, amount: context.spent.output.amount, rule: "missedReveal")
            spend.heights = heights
            return spend
        default:
            throw checks.broken("mode", "a commit is spent by reveal (2) or missedReveal (3), found mode \(context.unlock.mode)")
        }
    }

    /// Reveal, in the order of docs/truebit.md mode 2: sizes, height, the chosen solution and its deadline,
    /// the final fields, the output blob and the proof's length, the pin, the commitment, the output proof,
    /// the signature.
    private func reveal(
        _ commit: TruebitCommitLock, context: SpendContext, checks: TruebitChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        let task = commit.task
        try checks.requireItems(items, [32, TruebitChecks.finalFieldsBytes, nil, Signature.byteCount], mode: "reveal")
        guard items[2].count <= TruebitChecks.maxOutputProofBytes else {
            throw checks.broken("witness", "reveal: the output proof is \(items[2].count) bytes, over \(TruebitChecks.maxOutputProofBytes)")
        }
        let open = try checks.before(commit.revealBy, rule: "reveal")
        let chosen = try checks.chosenSolution(context.unlock)
        let deadline = try checks.chosen(chosen.deadline, window: task.challengeWindow)
        let final = Self.finalState(items[1])
        guard final.status == .halted, final.exitCode == 0 else {
            throw checks.broken("reveal", "the final state must be halted with exit code 0, found \(final.status) with \(final.exitCode)")
        }
        guard final.step >= 1, final.step <= task.maxSteps else {
            throw checks.broken("reveal", "the step count \(final.step) is outside 1 ... \(task.maxSteps)")
        }
        let finalState = final.hash
        guard let outputIndex = checks.blob(hashing: chosen.outputHash, maxBytes: TruebitChecks.maxOutputBytes) else {
            throw checks.broken("reveal", "no blob of at most \(TruebitChecks.maxOutputBytes) bytes hashes to the solution's outputHash")
        }
        let output = context.transaction.blobs[outputIndex]
        let proofLength = TruebitOutputProof.proofLength(outputLength: output.count) ?? 0
        guard items[2].count == proofLength else {
            throw checks.broken("witness", "reveal: the output proof of a \(output.count)-byte output is \(proofLength) bytes, found \(items[2].count)")
        }
        let solution = TruebitSolutionLock(
            solutionId: TruebitSolutionLock.solutionId(commit: context.input.outpoint), task: task, solverKey: commit.solverKey,
            finalState: finalState, steps: final.step, outputHash: chosen.outputHash, deadline: chosen.deadline)
        // items[0] is exactly 32 bytes (checked above).
        let salt = Hash32(items[0]) ?? .zero
        let commitment = TruebitCommitLock.commitment(
            solverKey: commit.solverKey, finalState: finalState, outputHash: chosen.outputHash, steps: final.step, salt: salt)
        guard commitment == commit.commitment else {
            throw checks.broken("commitmentMismatch", "the revealed solution and salt do not hash to the commitment")
        }
        guard TruebitOutputProof.root(proof: items[2], output: output) == final.memoryRoot else {
            throw checks.broken("outputProof", "the output proof does not fold to the final memory root")
        }
        try checks.requireTransactionSignature(items[3], by: commit.solverKey, party: "the solver")
        return CovenantSpend(
            pinned: [PinnedOutput(amount: context.spent.output.amount, lock: .truebitSolution(solution))], namedBlobs: [outputIndex],
            heights: open.intersection(deadline))
    }

    /// The 173 bytes of final state fields, big-endian: pc, x1 … x31, memoryRoot, step, status, exitCode.
    /// A status byte other than 0, 1 or 2 reads as trapped, which the reveal refuses like any non-halt.
    static func finalState(_ bytes: [UInt8]) -> MachineState {
        func u32(_ offset: Int) -> UInt32 { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        let registers = [0] + (1..<32).map { u32(4 * $0) }
        let root = Hash32(Array(bytes[128..<160])) ?? .zero
        let step = UInt64(u32(160)) << 32 | UInt64(u32(164))
        let status = MachineStatus(rawValue: bytes[168]) ?? .trapped
        return MachineState(pc: u32(0), registers: registers, memoryRoot: root, step: step, status: status, exitCode: u32(169))
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}
