import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberVM

/// The challenger's transactions (docs/truebit.md, "Challenger"): challenge, choose and step.
extension TruebitTransactions {
    /// The challenge: a new game reading `solution`, over the whole run [0, steps] with the task's clocks,
    /// holding the challenger's deposit from the funding key; `challengerKey` signs the challenger's moves
    /// and receives its payouts. The game is output 0.
    public func challenge(
        solution: ChainOutput, challengerKey: RawPublicKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lock = try solution.truebitSolution()
        let game = TruebitGameLock(
            solutionId: lock.solutionId, solverKey: lock.solverKey, challengerKey: challengerKey, lo: 0, loHash: lock.task.initialState,
            hi: lock.steps, hiHash: lock.finalState, pointsHash: .zero, solverClock: lock.task.clock, challengerClock: lock.task.clock)
        let output = Output(amount: lock.task.challengerDeposit, lock: .truebitGame(game))
        return try build(CovenantTransactionRequest(covenantInputs: [], reads: [solution], otherOutputs: [output]), in: context)
    }

    /// Mode 5: names part `part` (1 … k) of the solver's `points` (as its bisect posted them, `postedPoints`):
    /// the game continues on that part, signed by the challenger, whose clock is written with the margin.
    public func choose(
        game: ChainOutput, points: [Hash32], part: Int, challengerKey: SigningKey, in context: Context
    ) throws(TruebitTransactionError) -> SponsoredTransaction {
        let lock = try game.truebitGame()
        guard Self.raw(challengerKey) == lock.challengerKey else { throw .notTheKey(role: "challenger", expected: lock.challengerKey) }
        let bytes = try Self.pointsItem(points, lo: lock.lo, hi: lock.hi)
        let parts = points.count + 1
        guard part >= 1, part <= parts, let range = Bisection.part(UInt64(part), lo: lock.lo, hi: lock.hi) else {
            throw .partOutOfRange(part: part, parts: parts)
        }
        // hash₀ = loHash, hash_k = hiHash, hashᵢ the solver's i-th point.
        let hashes = [lock.loHash] + points + [lock.hiHash]
        var next = lock
        next.lo = range.lo
        next.loHash = hashes[part - 1]
        next.hi = range.hi
        next.hiHash = hashes[part]
        next.pointsHash = .zero
        next.challengerClock = try clockAfterMove(lock.challengerClock, on: game, in: context)
        return try move(game, to: next, mode: .choose, items: [bytes, [UInt8(part)]], signer: challengerKey, in: context)
    }

    /// Mode 6: the one-step proof of step `lo` of a game whose range is one step (`Prover.proof(ofStep:)`
    /// from the challenger's own run): the deposit back to the challenger and a truebitRefuted marker of
    /// the solution, its dust from the funding key. Anyone may submit it.
    public func step(game: ChainOutput, proof: StepProof, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        _ = try game.truebitGame()
        let input = try spend(game, .step, items: [proof.encoded()], in: context)
        return try build(CovenantTransactionRequest(covenantInputs: [input]), in: context)
    }

    /// The solver's points of the bisect in `transaction` that spends the game at `game`: the k − 1 state
    /// hashes, read from the witness of a transaction the node or a peer sent (untrusted: the item must be
    /// whole hashes, at most 15).
    public static func postedPoints(in transaction: Transaction, spending game: OutPoint) throws(TruebitTransactionError) -> [Hash32] {
        guard let index = transaction.inputs.firstIndex(where: { $0.outpoint == game }) else {
            throw .noPoints("the transaction does not spend the game \(game.txid):\(game.index)")
        }
        guard transaction.inputs[index].unlock.covenant?.mode == CovenantUnlock.TruebitMode.bisect.rawValue,
              transaction.inputs[index].unlock.tag == Unlock.Tag.truebit, index < transaction.witnesses.count,
              let item = transaction.witnesses[index].items.first
        else {
            throw .noPoints("the spend of the game is not a bisect")
        }
        guard let points = TruebitChainRecord.points(item: item) else {
            throw .noPoints("the points item is \(item.count) bytes, not 1 ... \(TruebitChainRecord.maxPoints) hashes of 32")
        }
        return points
    }
}
