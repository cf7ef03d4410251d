import EmberCore
import EmberCrypto
import EmberVM

/// Lock tag 9, truebitGame (docs/truebit.md): a verification game holding the challenger's deposit. Created
/// by a challenge (the creation rule, reading the solution before its deadline) and pinned again by bisect
/// and choose; spent by bisect (mode 4, the solver), choose (mode 5, the challenger), step (mode 6, the
/// one-step proof on layer 1) and claimTimeout (mode 7, once the side to move ran out of clock).
///
/// Every mode first checks `lo < hi` (`gameRangeEmpty`) and only then uses `hi − lo`.
public struct TruebitGameRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.truebitGame }
    /// The one-step check of mode 6: EmberVM's `verifyStep`, or a test's wrapper that counts its calls
    /// (the height checks come first, so a step out of its heights verifies nothing).
    let stepVerifier: @Sendable (StepProof) throws(StepProofRejection) -> (preStateHash: Hash32, postStateHash: Hash32)
    /// H(points) of bisect and choose: Blake3, or a test's stand-in for the preimage of 32 zero bytes no
    /// one can find.
    let pointsHasher: @Sendable ([UInt8]) -> Hash32

    public init() {
        self.init(stepVerifier: { proof throws(StepProofRejection) in try verifyStep(proof) })
    }

    init(
        stepVerifier: @escaping @Sendable (StepProof) throws(StepProofRejection) -> (preStateHash: Hash32, postStateHash: Hash32),
        pointsHasher: @escaping @Sendable ([UInt8]) -> Hash32 = { Blake3.hash($0) }
    ) {
        self.stepVerifier = stepVerifier
        self.pointsHasher = pointsHasher
    }

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        let checks = TruebitChecks(context)
        guard case .truebitGame(let game) = context.spent.output.lock else { throw checks.broken("lock", "not a truebitGame") }
        let mode = CovenantUnlock.TruebitMode(rawValue: context.unlock.mode)
        switch mode {
        case .bisect, .choose, .step, .claimTimeout: break
        default:
            throw checks.broken("mode", "a game is spent by bisect (4), choose (5), step (6) or claimTimeout (7), found mode \(context.unlock.mode)")
        }
        guard game.lo < game.hi else { throw checks.broken("gameRangeEmpty", "lo \(game.lo) is not below hi \(game.hi)") }
        let span = game.hi - game.lo
        let items = context.witness.items
        switch mode {
        case .bisect: return try bisect(game, span: span, context: context, checks: checks, items: items)
        case .choose: return try choose(game, span: span, context: context, checks: checks, items: items)
        case .step: return try step(game, span: span, context: context, checks: checks, items: items)
        default: return try claim(game, span: span, context: context, checks: checks, items: items)
        }
    }

    /// The solver posts the k − 1 state hashes at the bisection points; the game keeps their hash.
    private func bisect(
        _ game: TruebitGameLock, span: UInt64, context: SpendContext, checks: TruebitChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        let parts = min(Bisection.maxParts, span)
        try checks.requireItems(items, [32 * Int(max(parts, 1) - 1), Signature.byteCount], mode: "bisect")
        guard span >= 2, game.pointsHash == .zero else {
            throw checks.broken("turn", "a bisect needs hi − lo ≥ 2 and no points posted (the solver to move)")
        }
        let created = context.spent.height
        let chosen = try checks.chosenGame(context.unlock)
        let heights = try checks.clockMove(clock: game.solverClock, createdHeight: created, written: chosen.solverClock, rule: "bisect")
        let pointsHash = pointsHasher(items[0])
        guard pointsHash != .zero else { throw checks.broken("bisect", "the points hash to 32 zero bytes, which means none posted") }
        var next = game
        next.pointsHash = pointsHash
        next.solverClock = chosen.solverClock
        try checks.requireMoveSignature(items[1], by: game.solverKey, party: "solver", outpoint: context.input.outpoint, game: next)
        return CovenantSpend(pinned: [PinnedOutput(amount: context.spent.output.amount, lock: .truebitGame(next))], heights: heights)
    }

    /// The challenger names part j of the posted points; play continues on [p_{j−1}, p_j].
    private func choose(
        _ game: TruebitGameLock, span: UInt64, context: SpendContext, checks: TruebitChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        let parts = min(Bisection.maxParts, span)
        try checks.requireItems(items, [32 * Int(max(parts, 1) - 1), 1, Signature.byteCount], mode: "choose")
        let j = UInt64(items[1][0])
        guard j >= 1, j <= parts else { throw checks.broken("choose", "part \(j) is not one of 1 ... \(parts)") }
        guard game.pointsHash != .zero, span >= 2, let part = Bisection.part(j, lo: game.lo, hi: game.hi) else {
            throw checks.broken("turn", "a choose needs posted points (the challenger to move)")
        }
        let created = context.spent.height
        let chosen = try checks.chosenGame(context.unlock)
        let heights = try checks.clockMove(
            clock: game.challengerClock, createdHeight: created, written: chosen.challengerClock, rule: "choose")
        // hash₀ = loHash, hash_k = hiHash, hashᵢ the i-th 32 bytes of the points.
        func hash(_ i: UInt64) -> Hash32 {
            if i == 0 { return game.loHash }
            if i == parts { return game.hiHash }
            let start = 32 * Int(i - 1)
            return Hash32(Array(items[0][start..<start + 32])) ?? .zero
        }
        var next = game
        next.lo = part.lo
        next.loHash = hash(j - 1)
        next.hi = part.hi
        next.hiHash = hash(j)
        next.pointsHash = .zero
        next.challengerClock = chosen.challengerClock
        guard pointsHasher(items[0]) == game.pointsHash else { throw checks.broken("choose", "the points do not hash to the game's pointsHash") }
        try checks.requireMoveSignature(items[2], by: game.challengerKey, party: "challenger", outpoint: context.input.outpoint, game: next)
        return CovenantSpend(pinned: [PinnedOutput(amount: context.spent.output.amount, lock: .truebitGame(next))], heights: heights)
    }

    /// The one-step proof: from the agreed pre-state, the step leads somewhere other than hiHash.
    private func step(
        _ game: TruebitGameLock, span: UInt64, context: SpendContext, checks: TruebitChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireItems(items, [nil], mode: "step")
        guard items[0].count <= StepProof.maxEncodedBytes else {
            throw checks.broken("witness", "step: the proof is \(items[0].count) bytes, over \(StepProof.maxEncodedBytes)")
        }
        guard span == 1 else { throw checks.broken("turn", "a step needs hi − lo = 1, found \(span)") }
        let created = context.spent.height
        let latest = TruebitChecks.sat(created, UInt64(game.challengerClock))
        let heights = try checks.requireHeight(ValidHeights(validFrom: created, validBelow: latest), rule: "step")
        let pinned = [
            PinnedOutput(amount: context.spent.output.amount, lock: TruebitChecks.payTo(game.challengerKey)),
            checks.marker(solutionId: game.solutionId, challengerKey: game.challengerKey),
        ]
        let proof: StepProof
        let hashes: (preStateHash: Hash32, postStateHash: Hash32)
        do {
            proof = try StepProof(encoded: items[0])
            hashes = try stepVerifier(proof)
        } catch {
            throw checks.broken("stepProof", "the step proof is rejected: \(error)")
        }
        guard hashes.preStateHash == game.loHash else { throw checks.broken("stepProof", "the proof does not start from loHash") }
        guard hashes.postStateHash != game.hiHash else {
            throw checks.broken("stepProof", "the proven step leads to hiHash: the solver's state is right")
        }
        return CovenantSpend(pinned: pinned, heights: heights)
    }

    /// The side to move ran out of its clock: the other side wins.
    private func claim(
        _ game: TruebitGameLock, span: UInt64, context: SpendContext, checks: TruebitChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireItems(items, [], mode: "claimTimeout")
        let solverToMove = span >= 2 && game.pointsHash == .zero
        let clock = solverToMove ? game.solverClock : game.challengerClock
        // An overflow is "not yet".
        let heights = try checks.from(TruebitChecks.sat(context.spent.height, UInt64(clock)), rule: "claimTimeout")
        let amount = context.spent.output.amount
        if solverToMove {
            return CovenantSpend(
                pinned: [
                    PinnedOutput(amount: amount, lock: TruebitChecks.payTo(game.challengerKey)),
                    checks.marker(solutionId: game.solutionId, challengerKey: game.challengerKey),
                ],
                heights: heights)
        }
        let half = Amount(units: amount.units / 2)
        return CovenantSpend(
            pinned: [PinnedOutput(amount: half, lock: TruebitChecks.payTo(game.solverKey))], burnt: Amount(units: amount.units - half.units),
            heights: heights)
    }

    /// The challenge: a game reading its solution before the deadline, starting from [0, steps] with the
    /// task's clocks and holding exactly the challenger's deposit.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        var checks = TruebitChecks(context, lockTag: lockTag)
        let output = context.output
        guard case .truebitGame(let game) = output.lock else { throw checks.broken("challenge", "not a truebitGame") }
        let (solution, created) = try checks.solution(game.solutionId)
        let heights = try checks.requireHeight(ValidHeights(validFrom: created, validBelow: solution.deadline), rule: "challenge")
        let clock = solution.task.clock
        let expected = TruebitGameLock(
            solutionId: solution.solutionId, solverKey: solution.solverKey, challengerKey: game.challengerKey, lo: 0,
            loHash: solution.task.initialState, hi: solution.steps, hiHash: solution.finalState, pointsHash: .zero, solverClock: clock,
            challengerClock: clock)
        guard game == expected else {
            throw checks.broken("challenge", "the game must start from [0, steps] of the solution with the task's clocks and no points")
        }
        guard output.amount == solution.task.challengerDeposit else {
            throw checks.broken("challenge", "the game must hold exactly the challenger's deposit \(solution.task.challengerDeposit), found \(output.amount)")
        }
        try checks.requirePlain(output, index: context.outputIndex)
        return CovenantCreation(heights: heights, usedReads: checks.usedReads)
    }
}
