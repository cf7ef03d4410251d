import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2

/// The solver's transactions (docs/truebit.md, "Solver"): commit, reveal and bisect.
extension TruebitTransactions {
    /// Mode 1: takes the task `task` for `solverKey` with a salted commitment to `result`; the commit holds
    /// the reward and the solver's deposit (from the funding key), and its revealBy is chosen for the task's
    /// window. Store `salt` with the result before sending: without it the reveal cannot be made.
    public func commit(
        task: ChainOutput, result: TruebitRunResult, salt: Hash32, solverKey: RawPublicKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lock = try task.truebitTask()
        guard let amount = task.unspent.output.amount.adding(lock.solverDeposit) else { throw .sponsorship(.overflow) }
        let commit = TruebitCommitLock(
            task: lock, solverKey: solverKey, commitment: result.commitment(solverKey: solverKey, salt: salt),
            revealBy: Self.chosenDeadline(nextHeight: context.height, window: lock.challengeWindow))
        let input = CovenantSpendInput(
            outpoint: task.outpoint, spent: task.unspent, unlock: Self.unlock(.commit), witness: Witness(items: []),
            pinned: [Output(amount: amount, lock: .truebitCommit(commit))])
        return try build(CovenantTransactionRequest(covenantInputs: [input]), in: context)
    }

    /// Mode 2: opens the commit `commit` with `salt` and `result` (final fields, output proof, the output as
    /// a blob), signed by the solver; the solution's deadline is chosen for the task's window.
    public func reveal(
        commit: ChainOutput, result: TruebitRunResult, salt: Hash32, solverKey: SigningKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lock = try commit.truebitCommit()
        guard Self.raw(solverKey) == lock.solverKey else { throw .notTheKey(role: "solver", expected: lock.solverKey) }
        let solution = TruebitSolutionLock(
            solutionId: TruebitSolutionLock.solutionId(commit: commit.outpoint), task: lock.task, solverKey: lock.solverKey,
            finalState: result.finalStateHash, steps: result.steps, outputHash: result.outputHash,
            deadline: Self.chosenDeadline(nextHeight: context.height, window: lock.task.challengeWindow))
        let items = [salt.bytes, result.finalState.encodedFields(), result.outputProof, Self.signaturePlaceholder]
        let input = CovenantSpendInput(
            outpoint: commit.outpoint, spent: commit.unspent, unlock: Self.unlock(.reveal), witness: Witness(items: items),
            pinned: [Output(amount: commit.unspent.output.amount, lock: .truebitSolution(solution))])
        return try buildSigned(CovenantTransactionRequest(covenantInputs: [input], blobs: [result.output]), item: 3, signer: solverKey, in: context)
    }

    /// Mode 4: posts the solver's state hashes at the game's bisection points (`Bisection.points`, k − 1 of
    /// them), signed; the solver's clock is written with the margin (`clockAfterMove`).
    public func bisect(
        game: ChainOutput, points: [Hash32], solverKey: SigningKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lock = try game.truebitGame()
        guard Self.raw(solverKey) == lock.solverKey else { throw .notTheKey(role: "solver", expected: lock.solverKey) }
        let bytes = try Self.pointsItem(points, lo: lock.lo, hi: lock.hi)
        var next = lock
        next.pointsHash = Blake3.hash(bytes)
        next.solverClock = try clockAfterMove(lock.solverClock, on: game, in: context)
        return try move(game, to: next, mode: .bisect, items: [bytes], signer: solverKey, in: context)
    }

    // MARK: - Moves

    /// The points as one witness item, checked against the number the game's range takes.
    static func pointsItem(_ points: [Hash32], lo: UInt64, hi: UInt64) throws(TruebitTransactionError) -> [UInt8] {
        guard let parts = Bisection.partCount(lo: lo, hi: hi) else { throw .notBisectable(lo: lo, hi: hi) }
        guard points.count == Int(parts) - 1 else { throw .pointCount(expected: Int(parts) - 1, found: points.count) }
        return points.flatMap(\.bytes)
    }

    /// The mover's new clock for a move on `game` built for `context.height`.
    func clockAfterMove(_ clock: UInt32, on game: ChainOutput, in context: Context) throws(TruebitTransactionError) -> UInt32 {
        guard let written = Self.clockAfterMove(clock: clock, createdHeight: game.unspent.height, nextHeight: context.height) else {
            throw .clockRanOut(clock: clock, createdHeight: game.unspent.height, height: context.height)
        }
        return written
    }

    /// A bisect or choose: spends `game` into `next`, the witness `items` then the mover's signature of the move.
    func move(
        _ game: ChainOutput, to next: TruebitGameLock, mode: CovenantUnlock.TruebitMode, items: [[UInt8]], signer: SigningKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let signature: Signature
        do {
            signature = try signer.sign(domain: .truebitMove, network: network, message: next.moveMessage(spending: game.outpoint))
        } catch {
            throw .signingFailed("\(error)")
        }
        let input = CovenantSpendInput(
            outpoint: game.outpoint, spent: game.unspent, unlock: Self.unlock(mode), witness: Witness(items: items + [signature.bytes]),
            pinned: [Output(amount: game.unspent.output.amount, lock: .truebitGame(next))])
        return try build(CovenantTransactionRequest(covenantInputs: [input]), in: context)
    }
}
