import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// Challenge, bisect, choose, step and claimTimeout (docs/truebit.md): each test takes a valid move and
/// breaks one rule. The solution under dispute claims 5 steps past the true halt (a liar the honest
/// challenger refutes on the halted fixed point), unless the test says otherwise.
@Suite("Truebit game rules: challenge, bisect, choose, step, claim")
struct TruebitGameRuleTests {
    typealias F = TruebitFixture

    /// The liar's final state: the true halted state with a step count 5 higher.
    static var liarFinal: MachineState {
        var state = F.prover.finalState
        state.step += 5
        return state
    }
    static var liar: TruebitSolutionLock { F.solution(finalState: liarFinal.hash, steps: liarFinal.step) }

    /// The solver's (true) state hash at step `index`; the liar posts its final state at its claimed end.
    static func claimed(_ index: UInt64, solution: TruebitSolutionLock = liar) -> Hash32 {
        index == solution.steps ? solution.finalState : F.prover.stateHash(index)
    }

    static func points(_ game: TruebitGameLock) -> [UInt8] {
        (Bisection.points(lo: game.lo, hi: game.hi) ?? []).flatMap { claimed($0).bytes }
    }

    // MARK: Moves

    static func bisect(
        _ game: TruebitGameLock, at outpoint: OutPoint = F.gameOutpoint, points: [UInt8]? = nil, written: UInt32? = nil, signer: SigningKey = F.solver,
        network: NetworkID = F.network, edit: (inout TruebitGameLock) -> Void = { _ in }
    ) -> (Transaction, TruebitGameLock) {
        let points = points ?? Self.points(game)
        var next = game
        next.pointsHash = Blake3.hash(points)
        next.solverClock = written ?? game.solverClock - 4
        let signature = F.moveSignature(signer, outpoint: outpoint, game: next, network: network)
        // `edit` changes the output only: the signature stays over the body the rule expects.
        edit(&next)
        let transaction = F.transaction(
            [(outpoint, F.unlock(.bisect), [points, signature])], outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(next))])
        return (transaction, next)
    }

    static func choose(
        _ game: TruebitGameLock, part j: UInt64, at outpoint: OutPoint = F.gameOutpoint, points: [UInt8]? = nil, written: UInt32? = nil,
        signer: SigningKey = F.challenger, edit: (inout TruebitGameLock) -> Void = { _ in }
    ) -> (Transaction, TruebitGameLock) {
        let list = Bisection.points(lo: game.lo, hi: game.hi) ?? []
        let all = [game.lo] + list + [game.hi]
        let hashes = [game.loHash] + list.map { claimed($0) } + [game.hiHash]
        let index = Int(min(max(j, 1), UInt64(all.count - 1)))
        var next = game
        next.lo = all[index - 1]
        next.loHash = hashes[index - 1]
        next.hi = all[index]
        next.hiHash = hashes[index]
        next.pointsHash = .zero
        next.challengerClock = written ?? game.challengerClock - 4
        let signature = F.moveSignature(signer, outpoint: outpoint, game: next)
        edit(&next)
        let transaction = F.transaction(
            [(outpoint, F.unlock(.choose), [points ?? list.flatMap { claimed($0).bytes }, [UInt8(truncatingIfNeeded: j)], signature])],
            outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(next))])
        return (transaction, next)
    }

    static func step(_ game: TruebitGameLock, proof: [UInt8]? = nil, at outpoint: OutPoint = F.gameOutpoint, outputs: [Output]? = nil) -> Transaction {
        F.transaction(
            [(outpoint, F.unlock(.step), [proof ?? F.prover.proof(ofStep: game.lo)])],
            outputs: outputs ?? [
                Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)),
                Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: game.solutionId, challengerKey: game.challengerKey))),
            ])
    }

    static func claim(_ outputs: [Output], at outpoint: OutPoint = F.gameOutpoint) -> Transaction {
        F.transaction([(outpoint, F.unlock(.claimTimeout), [])], outputs: outputs)
    }

    /// A fixture with the liar's solution and `game` at the game outpoint.
    static func fixture(_ game: TruebitGameLock? = nil, solution: TruebitSolutionLock = liar) -> F {
        var fixture = F()
        fixture.putSolution(solution)
        fixture.putGame(game ?? F.game(solution))
        return fixture
    }

    /// The liar's game narrowed to its last step, [steps − 1, steps], challenger to move.
    static var lastStep: TruebitGameLock {
        var game = F.game(liar)
        game.lo = liar.steps - 1
        game.loHash = claimed(game.lo)
        return game
    }

    // MARK: Challenge

    static func challenge(_ game: TruebitGameLock, amount: Amount = F.challengerDeposit, reads: [OutPoint] = [F.solutionOutpoint]) -> Transaction {
        F.transaction([(F.outpoint(0x62), .publicKey(F.raw(F.challenger)), [])], reads: reads, outputs: [Output(amount: amount, lock: .truebitGame(game))])
    }

    @Test("challengeCreation: a game reading its solution before the deadline, from [0, steps], with the task's clocks and Dc")
    func challengeCreation() {
        var fixture = F()
        fixture.putSolution(F.honest)
        fixture.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.challenger)), at: F.outpoint(0x62))
        let game = F.game(F.honest)
        #expect(fixture.broken(Self.challenge(game), height: F.deadline - 1) == nil)
        #expect(fixture.heights(Self.challenge(game), height: F.deadline - 1) == ValidHeights(validFrom: F.revealHeight, validBelow: F.deadline))
        #expect(fixture.broken(Self.challenge(game), height: F.deadline) == "height")
        let edits: [(inout TruebitGameLock) -> Void] = [
            { $0.lo = 1 }, { $0.hi += 1 }, { $0.loHash = F.prover.stateHash(1) }, { $0.hiHash = .zero }, { $0.solverClock -= 1 },
            { $0.challengerClock += 1 }, { $0.solverKey = F.raw(F.mallory) }, { $0.pointsHash = Blake3.hash([1]) },
        ]
        for edit in edits {
            var wrong = game
            edit(&wrong)
            #expect(fixture.broken(Self.challenge(wrong), height: F.deadline - 1) == "challenge")
        }
        #expect(fixture.broken(Self.challenge(game, amount: F.dust), height: F.deadline - 1) == "challenge")
        var locked = Self.challenge(game)
        locked.outputs[0].lockTime = 1
        #expect(fixture.broken(locked, height: F.deadline - 1) == "creation")
        var data = Self.challenge(game)
        data.outputs[0].data = [0]
        #expect(fixture.broken(data, height: F.deadline - 1) == "creation")
        // No read of the solution: the game cannot be created.
        #expect(fixture.broken(Self.challenge(game, reads: []), height: F.deadline - 1) == "reads")
        // A game of another solutionId finds no read.
        var foreign = game
        foreign.solutionId = .zero
        #expect(fixture.broken(Self.challenge(foreign), height: F.deadline - 1) == "reads")
    }

    // MARK: Bisect

    @Test("bisect: the solver's signed points on its turn, within its clock; the pinned game keeps everything else")
    func bisectRules() {
        let fixture = Self.fixture()
        let game = F.game(Self.liar)
        let h = F.gameHeight + 3
        let (move, _) = Self.bisect(game, written: F.clock - 4)
        #expect(fixture.broken(move, height: h) == nil)
        // Valid from the game's creation to createdHeight + solverClock − max(c′, 1).
        #expect(fixture.heights(move, height: h) == ValidHeights(validFrom: F.gameHeight, validBelow: F.gameHeight + 5))
        #expect(fixture.broken(move, height: F.gameHeight) == nil)
        #expect(fixture.broken(Self.bisect(game, written: F.clock - 2).0, height: h) == "clockTooLarge")
        #expect(fixture.broken(Self.bisect(game, written: 1).0, height: F.gameHeight + UInt64(F.clock) - 1) == nil)
        #expect(fixture.broken(Self.bisect(game, written: 0).0, height: F.gameHeight + UInt64(F.clock)) == "clockExpired")
        // Points of the wrong length.
        #expect(fixture.broken(Self.bisect(game, points: Array(Self.points(game).dropLast(32))).0, height: h) == "witness")
        // Signatures: the challenger's, another network's, another outpoint's.
        #expect(fixture.broken(Self.bisect(game, signer: F.challenger).0, height: h) == "signature")
        #expect(fixture.broken(Self.bisect(game, network: .testnet).0, height: h) == "signature")
        // The other clock or a field changed.
        #expect(fixture.broken(Self.bisect(game, edit: { $0.challengerClock -= 1 }).0, height: h) == "pinnedOutputDiffers")
        #expect(fixture.broken(Self.bisect(game, edit: { $0.hi -= 1 }).0, height: h) == "pinnedOutputDiffers")
        var notGame = Self.bisect(game).0
        notGame.outputs[0].lock = F.pkh(F.solver)
        #expect(fixture.broken(notGame, height: h) == "pinnedOutputDiffers")
        var pastEnd = Self.bisect(game).0
        pastEnd.inputs[0].unlock = F.unlock(.bisect, firstOutput: 1)
        #expect(fixture.broken(pastEnd, height: h) == "pinnedOutputMissing")
        // Not the solver's turn: points already posted.
        var posted = game
        posted.pointsHash = Blake3.hash(Self.points(game))
        #expect(Self.fixture(posted).broken(Self.bisect(posted).0, height: h) == "turn")
        // One step left: nothing to bisect.
        #expect(Self.fixture(Self.lastStep).broken(Self.bisect(Self.lastStep, points: []).0, height: h) == "turn")
    }

    // MARK: Choose

    @Test("choose: the challenger names a part of the posted points; the game narrows to it")
    func chooseRules() {
        var game = F.game(Self.liar)
        game.pointsHash = Blake3.hash(Self.points(game))
        let fixture = Self.fixture(game)
        let h = F.gameHeight + 3
        let parts = UInt64(min(16, game.hi - game.lo))
        let (move, _) = Self.choose(game, part: parts)
        #expect(fixture.broken(move, height: h) == nil)
        #expect(fixture.heights(move, height: h) == ValidHeights(validFrom: F.gameHeight, validBelow: F.gameHeight + 5))
        #expect(fixture.broken(Self.choose(game, part: 1).0, height: h) == nil)
        #expect(fixture.broken(Self.choose(game, part: 0).0, height: h) == "choose")
        #expect(fixture.broken(Self.choose(game, part: parts + 1).0, height: h) == "choose")
        // Points that do not hash to the game's pointsHash.
        var other = Self.points(game)
        other[0] ^= 1
        #expect(fixture.broken(Self.choose(game, part: 2, points: other).0, height: h) == "choose")
        #expect(fixture.broken(Self.choose(game, part: 2, points: Array(other.dropLast())).0, height: h) == "witness")
        // The solver's signature.
        #expect(fixture.broken(Self.choose(game, part: 2, signer: F.solver).0, height: h) == "signature")
        // A narrowed range other than the named part, or the solver's clock changed.
        #expect(fixture.broken(Self.choose(game, part: 2, edit: { $0.hi += 1 }).0, height: h) == "pinnedOutputDiffers")
        #expect(fixture.broken(Self.choose(game, part: 2, edit: { $0.loHash = .zero }).0, height: h) == "pinnedOutputDiffers")
        #expect(fixture.broken(Self.choose(game, part: 2, edit: { $0.solverClock -= 1 }).0, height: h) == "pinnedOutputDiffers")
        #expect(fixture.broken(Self.choose(game, part: 2, written: F.clock - 2).0, height: h) == "clockTooLarge")
        #expect(fixture.broken(Self.choose(game, part: 2, written: 0).0, height: F.gameHeight + UInt64(F.clock)) == "clockExpired")
        // On the solver's turn (no points posted): a choose is refused.
        let fresh = F.game(Self.liar)
        #expect(Self.fixture(fresh).broken(Self.choose(fresh, part: 2, points: Self.points(fresh)).0, height: h) == "turn")
    }

    // MARK: Step

    @Test("step: the one-step proof from loHash to a state other than hiHash refutes; the challenger's deposit back and a marker")
    func stepRules() throws {
        let game = Self.lastStep
        let fixture = Self.fixture(game)
        let h = F.gameHeight + 1
        let (burnt, heights) = try fixture.check(Self.step(game), height: h)
        #expect(burnt == .zero)
        #expect(heights == ValidHeights(validFrom: F.gameHeight, validBelow: F.gameHeight + UInt64(F.clock)))
        #expect(fixture.broken(Self.step(game), height: F.gameHeight + UInt64(F.clock)) == "height")
        // The halted fixed point: a stopped pre-state proof of 208 bytes.
        #expect(F.prover.proof(ofStep: game.lo).count == 208)
        // Against the honest solution the same proof leads to hiHash: no refutation.
        var honestGame = F.game(F.honest)
        honestGame.lo = F.honest.steps - 1
        honestGame.loHash = F.prover.stateHash(honestGame.lo)
        #expect(Self.fixture(honestGame, solution: F.honest).broken(Self.step(honestGame), height: h) == "stepProof")
        // A proof that does not start from loHash.
        #expect(fixture.broken(Self.step(game, proof: F.prover.proof(ofStep: 3)), height: h) == "stepProof")
        // Proof form: a trailing byte, version 2, over 4 096 bytes.
        #expect(fixture.broken(Self.step(game, proof: F.prover.proof(ofStep: game.lo) + [0]), height: h) == "stepProof")
        var version = F.prover.proof(ofStep: game.lo)
        version[0] = 2
        #expect(fixture.broken(Self.step(game, proof: version), height: h) == "stepProof")
        #expect(fixture.broken(Self.step(game, proof: [UInt8](repeating: 0, count: 4_097)), height: h) == "witness")
        // The pins: the deposit whole to the challenger and a marker of exactly dust.
        let marker = Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: game.solutionId, challengerKey: game.challengerKey)))
        #expect(fixture.broken(Self.step(game, outputs: [Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger))]), height: h) == CovenantRejection.pinnedRangeOutOfBounds(input: 0, firstOutput: 0, count: 2, outputs: 1).description)
        #expect(fixture.broken(Self.step(game, outputs: [Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)), Output(amount: .zero, lock: marker.lock)]), height: h) == "pinnedOutputDiffers")
        #expect(fixture.broken(Self.step(game, outputs: [Output(amount: Amount(units: F.challengerDeposit.units - F.dust.units), lock: F.pkh(F.challenger)), marker]), height: h) == "pinnedOutputDiffers")
        // Not one step: the challenger's turn to choose, or the solver's to bisect.
        var two = game
        two.lo -= 1
        two.loHash = F.prover.stateHash(two.lo)
        #expect(Self.fixture(two).broken(Self.step(two), height: h) == "turn")
    }

    // MARK: Claim

    @Test("claimTimeout: the side to move ran out of clock; the solver's timeout pins a marker, the challenger's pays the solver half")
    func claimRules() throws {
        let fresh = F.game(Self.liar)
        let fixture = Self.fixture(fresh)
        let from = F.gameHeight + UInt64(F.clock)
        let marker = Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: fresh.solutionId, challengerKey: fresh.challengerKey)))
        let challengerWins = Self.claim([Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)), marker])
        #expect(fixture.broken(challengerWins, height: from) == nil)
        #expect(fixture.heights(challengerWins, height: from) == ValidHeights(validFrom: from))
        #expect(fixture.broken(challengerWins, height: from - 1) == "height")
        // A bisect and the claim never pass at one height.
        #expect(fixture.broken(Self.bisect(fresh, written: 0).0, height: from) == "clockExpired")
        // Solver wins when the challenger is to move (points posted, or one step left).
        let solverWins = Self.claim([Output(amount: Amount(units: F.challengerDeposit.units / 2), lock: F.pkh(F.solver))])
        let stepFixture = Self.fixture(Self.lastStep)
        let (burnt, _) = try stepFixture.check(solverWins, height: from)
        #expect(burnt == Amount(units: F.challengerDeposit.units - F.challengerDeposit.units / 2))
        #expect(stepFixture.broken(solverWins, height: from - 1) == "height")
        #expect(stepFixture.broken(challengerWins, height: from) == "pinnedOutputDiffers")
        #expect(fixture.broken(solverWins, height: from) == CovenantRejection.pinnedRangeOutOfBounds(input: 0, firstOutput: 0, count: 2, outputs: 1).description)
        var withItem = challengerWins
        withItem.witnesses[0] = Witness(items: [[1]])
        #expect(fixture.broken(withItem, height: from) == "witness")
    }

    @Test("gameBodyEdges: lo = hi, lo > hi and lo = 2^64 − 1 are refused by every mode, without a trap")
    func gameBodyEdges() {
        var bodies = [TruebitGameLock]()
        for (lo, hi) in [(UInt64(5), UInt64(5)), (6, 5), (.max, .max), (.max, 0)] {
            var game = F.game(Self.liar)
            game.lo = lo
            game.hi = hi
            bodies.append(game)
        }
        for game in bodies {
            let fixture = Self.fixture(game)
            let moves = [
                Self.bisect(game, points: []).0, Self.choose(game, part: 1, points: []).0, Self.step(game, proof: F.prover.proof(ofStep: 0)),
                Self.claim([]),
            ]
            for move in moves { #expect(fixture.broken(move, height: F.gameHeight + 1) == "gameRangeEmpty") }
        }
    }

    @Test("a game is spent only by modes 4 to 7")
    func otherModes() {
        let fixture = Self.fixture()
        for mode in [CovenantUnlock.TruebitMode.refund, .commit, .reveal, .missedReveal, .closeRefuted, .payout, .voidResult, .sweep] {
            #expect(fixture.broken(F.transaction([(F.gameOutpoint, F.unlock(mode), [])], outputs: [Output(amount: F.dust, lock: F.pkh(F.solver))]), height: F.gameHeight) == "mode")
        }
    }
}
