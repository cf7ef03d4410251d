@testable import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Synchronization
import Testing

/// The attacks of docs/truebit-attacks.md that name a consensus test, continued: the post's page bound,
/// halted states, deadline edges, reorganisations, sybil accounting, a game in one block and the griefing
/// cycle. Games are played move by move through the rules.
extension TruebitAttackTests {
    typealias Solution = TruebitSolutionRuleTests
    typealias Chain = TruebitChainTests

    // MARK: Finding 15: the post's page bound

    @Test("postPageBound: a 4 096-page program with a 256 KiB input is accepted (the input's pages are not counted); 4 097 pages are refused")
    func postPageBound() {
        let input = [UInt8](repeating: 0x42, count: Transaction.maxBlobSize)
        let accepted = Self.sharedSegmentsELF(segments: 1, memorySize: 4_096 * 4_096)
        var task = F.task
        task.programHash = Blake3.hash(accepted)
        task.inputHash = Blake3.hash(input)
        task.initialState = try! Prover(program: ConsensusProgram(elf: accepted).program, input: input).stateHash(afterSteps: 0)
        #expect(Task().checkPost(Task.post(task, blobs: [accepted, input])) == nil)
        let refused = Self.sharedSegmentsELF(segments: 1, memorySize: 4_097 * 4_096)
        task.programHash = Blake3.hash(refused)
        let reason = ConsensusProgramRejection.segmentsOverPageLimit(header: 0, pages: 4_097, limit: 4_096).description
        #expect(Task().checkPost(Task.post(task, blobs: [refused, input])) == CovenantRejection.programRejected(reason: reason).description)
    }

    // MARK: Blocked 36: halted states

    /// Halts after 40 steps: one `li`, 18 rounds of `addi` and `bnez`, then `li`, `li`, `ecall`.
    static let haltsAt40 = try! Assembler.assemble("""
        _start:
          li t0, 18
        1:
          addi t0, t0, -1
          bnez t0, 1b
          li a0, 0
          li a7, 93
          ecall
        """).elf()

    /// Traps at its 40th step: one `li`, 18 rounds, `li`, a `nop`, then a load outside every memory window
    /// (the trapping instruction counts as a step).
    static let trapsAt40 = try! Assembler.assemble("""
        _start:
          li t0, 18
        1:
          addi t0, t0, -1
          bnez t0, 1b
          li t1, 0x20000000
          addi x0, x0, 0
          lw t2, 0(t1)
          li a0, 0
          li a7, 93
          ecall
        """).elf()

    /// A solution of `run`'s program (its task's initial state is the run's) claiming `final`.
    static func solution(of run: TruebitRun, program: [UInt8], final: MachineState) -> TruebitSolutionLock {
        var task = F.task
        task.programHash = Blake3.hash(program)
        task.initialState = run.stateHash(0)
        return TruebitSolutionLock(
            solutionId: F.solutionId(commit: F.commitOutpoint), task: task, solverKey: F.raw(F.solver), finalState: final.hash, steps: final.step,
            outputHash: Blake3.hash(run.output), deadline: F.deadline)
    }

    /// A game played through the rules, one move a block: the solver posts `claimed` at the bisection points,
    /// the challenger names the part `choose` picks; every move must be accepted.
    struct PlayedGame {
        var fixture: F
        var game: TruebitGameLock
        var outpoint = F.gameOutpoint
        var height = F.gameHeight
        let claimed: (UInt64) -> Hash32

        init(_ solution: TruebitSolutionLock, claimed: @escaping (UInt64) -> Hash32) {
            game = F.game(solution)
            fixture = Game.fixture(game, solution: solution)
            self.claimed = claimed
        }

        /// Checks `move` at the next height and makes the game it pins the current one.
        mutating func accept(_ move: Transaction, pinning next: TruebitGameLock, sourceLocation: SourceLocation = #_sourceLocation) {
            height += 1
            #expect(fixture.broken(move, height: height) == nil, sourceLocation: sourceLocation)
            fixture.utxos[outpoint] = nil
            outpoint = OutPoint(txid: move.txid, index: 0)
            fixture.putGame(next, at: outpoint, height: height)
            game = next
        }

        /// Plays until one step is left; returns the rounds played.
        @discardableResult
        mutating func playToOneStep(choose: (_ ends: [UInt64]) -> UInt64) -> Int {
            var rounds = 0
            while game.hi - game.lo > 1 {
                rounds += 1
                let (points, bisected) = F.bisected(game, claimed: claimed, solverClock: game.solverClock - 1)
                accept(F.transaction(
                    [(outpoint, F.unlock(.bisect), [points, F.moveSignature(F.solver, outpoint: outpoint, game: bisected)])],
                    outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(bisected))]), pinning: bisected)
                let j = choose(Bisection.points(lo: game.lo, hi: game.hi)! + [game.hi])
                let next = F.chosen(game, part: j, claimed: claimed, challengerClock: game.challengerClock - 1)
                accept(F.transaction(
                    [(outpoint, F.unlock(.choose), [points, [UInt8(j)], F.moveSignature(F.challenger, outpoint: outpoint, game: next)])],
                    outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(next))]), pinning: next)
            }
            return rounds
        }

        /// Plays as an honest challenger whose run is `truth`: it names the first part whose right end it disputes.
        mutating func playAgainst(truth: (UInt64) -> Hash32) {
            let claimed = claimed
            playToOneStep { ends in UInt64(ends.firstIndex { claimed($0) != truth($0) }! + 1) }
        }

        /// The one-step proof of the last step left, checked at the next height.
        func step(proof: [UInt8]) -> String? {
            fixture.broken(Game.step(game, proof: proof, at: outpoint), height: height + 1)
        }
    }

    @Test("haltedStates: too many steps are refuted on the halted fixed point, too few on a running state, a wrong root or a true trap at its step")
    func haltedStates() throws {
        let run = TruebitRun(program: Self.haltsAt40, input: [])
        #expect(run.steps == 40 && run.finalState.status == .halted)
        let truth = { (index: UInt64) in run.stateHash(index) }
        /// A game against a solution claiming `final`, its solver posting `hashes` before its claimed end.
        func game(claiming final: MachineState, hashes: @escaping (UInt64) -> Hash32) -> PlayedGame {
            PlayedGame(Self.solution(of: run, program: Self.haltsAt40, final: final)) { $0 == final.step ? final.hash : hashes($0) }
        }
        // Claims of 41 and 2^20 steps, halted with exit 0: the last step is the fixed point, pre = post.
        for claimedSteps in [UInt64(41), 1 << 20] {
            var final = run.finalState
            final.step = claimedSteps
            var long = game(claiming: final, hashes: truth)
            long.playAgainst(truth: truth)
            #expect((long.game.lo, long.game.hi) == (claimedSteps - 1, claimedSteps))
            let proof = run.proof(ofStep: long.game.lo)
            #expect(proof.count == 208)
            let hashes = try verifyStep(StepProof(encoded: proof))
            #expect(hashes.preStateHash == hashes.postStateHash)
            #expect(long.step(proof: proof) == nil, "claim of \(claimedSteps) steps")
        }
        // A claim of 39, halted: refuted by the running step 38 → 39.
        var early = run.prover.state(afterSteps: 39)
        (early.status, early.exitCode) = (.halted, 0)
        var short = game(claiming: early, hashes: truth)
        short.playAgainst(truth: truth)
        #expect(short.game.lo == 38)
        #expect(try StepProof(encoded: run.proof(ofStep: 38)).preState.status == .running)
        #expect(short.step(proof: run.proof(ofStep: 38)) == nil)
        // A claim of 40 whose memory root is wrong from step 21 on: refuted at step 20, the first that differs.
        func rooted(_ index: UInt64) -> MachineState {
            var state = run.prover.state(afterSteps: index)
            state.memoryRoot = Blake3.hash([1])
            return state
        }
        var wrongRoot = game(claiming: rooted(40)) { $0 >= 21 ? rooted($0).hash : truth($0) }
        wrongRoot.playAgainst(truth: truth)
        #expect((wrongRoot.game.lo, wrongRoot.game.hi) == (20, 21))
        #expect(wrongRoot.step(proof: run.proof(ofStep: 20)) == nil)
        // A run that traps at its 40th step, claimed halted with exit 0: the trapping step refutes it.
        let trap = TruebitRun(program: Self.trapsAt40, input: [])
        #expect(trap.finalState.status == .trapped && trap.steps == 40)
        var halted = trap.finalState
        (halted.status, halted.exitCode) = (.halted, 0)
        var trapped = PlayedGame(Self.solution(of: trap, program: Self.trapsAt40, final: halted)) { $0 == 40 ? halted.hash : trap.stateHash($0) }
        trapped.playAgainst { trap.stateHash($0) }
        #expect((trapped.game.lo, trapped.game.hi) == (39, 40))
        #expect(trapped.step(proof: trap.proof(ofStep: 39)) == nil)
    }

    @Test("haltedStates: against an honest solution a challenger choosing at random has no proof (post = hiHash) and loses by claim")
    func honestSolutionAgainstRandomChallenger() {
        let run = TruebitRun(program: Self.haltsAt40, input: [])
        let solution = Self.solution(of: run, program: Self.haltsAt40, final: run.finalState)
        var generator = SeededGenerator(seed: 36)
        for _ in 0..<4 {
            var game = PlayedGame(solution) { run.stateHash($0) }
            game.playToOneStep { ends in UInt64.random(in: 1...UInt64(ends.count), using: &generator) }
            #expect(game.step(proof: run.proof(ofStep: game.game.lo)) == "stepProof")
            let solverWins = Game.claim([Output(amount: Amount(units: F.challengerDeposit.units / 2), lock: F.pkh(F.solver))], at: game.outpoint)
            #expect(game.fixture.broken(solverWins, height: game.height + UInt64(game.game.challengerClock) - 1) == "height")
            #expect(game.fixture.broken(solverWins, height: game.height + UInt64(game.game.challengerClock)) == nil)
        }
    }

    // MARK: Blocked 42: deadline edges

    /// Counts the calls of the game rule's one-step check.
    final class VerifierCalls: Sendable {
        private let calls = Mutex(0)

        var count: Int { calls.withLock { $0 } }

        /// The enshrined rules with a game rule whose one-step check counts its calls here.
        var params: ConsensusParams {
            let counting = TruebitGameRule(stepVerifier: { [self] proof throws(StepProofRejection) in
                calls.withLock { $0 += 1 }
                return try verifyStep(proof)
            })
            let rules = CovenantRules.enshrined.activeTags.map { tag in
                tag == Lock.Tag.truebitGame ? counting : CovenantRules.enshrined.rule(for: tag)!
            }
            return F.params.withCovenantRules(CovenantRules(identity: "counting verifier", rules: rules))
        }
    }

    @Test("truebitDeadlineEdges: every deadline and clock edge, each reported as the mode's valid heights; the step proof is verified once, never out of its heights")
    func truebitDeadlineEdges() throws {
        let w = UInt64(F.window), c = UInt64(F.clock)
        // Commit at h: revealBy from h + W to h + 2W.
        var withCoin = F()
        withCoin.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.solver)), at: F.outpoint(0x60))
        let h = F.commitHeight
        for (revealBy, expected) in [(h + w - 1, "deadline"), (h + w, nil), (h + 2 * w, nil), (h + 2 * w + 1, "deadline")] as [(UInt64, String?)] {
            var lock = F.commit()
            lock.revealBy = revealBy
            #expect(withCoin.broken(Task().commit(lock), height: h) == expected, "revealBy \(revealBy)")
            if expected == nil {
                #expect(withCoin.heights(Task().commit(lock), height: h) == ValidHeights(validFrom: revealBy - 2 * w, validBelow: revealBy - w + 1))
            }
        }
        // Reveal before revealBy, its deadline from h + W to h + 2W; missed reveal from revealBy.
        let fixture = F()
        #expect(fixture.broken(Task.reveal(), height: F.revealBy - 1) == nil)
        #expect(fixture.broken(Task.reveal(), height: F.revealBy) == "height")
        let r = F.revealHeight
        for (deadline, expected) in [(r + w - 1, "deadline"), (r + w, nil), (r + 2 * w, nil), (r + 2 * w + 1, "deadline")] as [(UInt64, String?)] {
            var solution = F.honest
            solution.deadline = deadline
            #expect(fixture.broken(Task.reveal(solution: solution), height: r) == expected, "deadline \(deadline)")
            if expected == nil {
                let heights = ValidHeights(validFrom: deadline - 2 * w, validBelow: min(deadline - w + 1, F.revealBy))
                #expect(fixture.heights(Task.reveal(solution: solution), height: r) == heights)
            }
        }
        #expect(fixture.broken(Task().missedReveal(), height: F.revealBy - 1) == "height")
        #expect(fixture.heights(Task().missedReveal(), height: F.revealBy) == ValidHeights(validFrom: F.revealBy))
        // Payout from D + 3c.
        let paid = Solution.fixture()
        #expect(paid.broken(Solution.payout(), height: F.deadline + 3 * c - 1) == "height")
        #expect(paid.heights(Solution.payout(), height: F.deadline + 3 * c) == ValidHeights(validFrom: F.deadline + 3 * c))

        // A move below its game output's height: no block holds one, but the reported range starts there.
        let fresh = F.game(Game.liar)
        #expect(Game.fixture(fresh).broken(Game.bisect(fresh).0, height: F.gameHeight - 1) == "height")
        #expect(Game.fixture(fresh).heights(Game.bisect(fresh).0, height: F.gameHeight)?.validFrom == F.gameHeight)

        // The latest game: challenged at D − 1, each side using all its clock, decided at D + 2c − 2.
        var game = PlayedGame(Game.liar, claimed: { Game.claimed($0) })
        game.height = F.deadline - 1
        game.fixture.putGame(game.game, at: game.outpoint, height: game.height)
        var bisected = game.game
        bisected.pointsHash = Blake3.hash(Game.points(game.game))
        bisected.solverClock = 1
        game.height += c - 2
        game.accept(Game.bisect(game.game, at: game.outpoint, written: 1).0, pinning: bisected)
        var chosen = game.game
        let part = Bisection.part(1, lo: chosen.lo, hi: chosen.hi)!
        (chosen.lo, chosen.loHash, chosen.hi, chosen.hiHash) = (part.lo, Game.claimed(part.lo), part.hi, Game.claimed(part.hi))
        (chosen.pointsHash, chosen.challengerClock) = (.zero, 1)
        game.height += c - 2
        game.accept(Game.choose(game.game, part: 1, at: game.outpoint, written: 1).0, pinning: chosen)
        #expect(game.height == F.deadline + 2 * c - 3)
        let marker = Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: chosen.solutionId, challengerKey: chosen.challengerKey)))
        let claim = Game.claim([Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)), marker], at: game.outpoint)
        #expect(game.fixture.broken(claim, height: F.deadline + 2 * c - 2) == nil)
        #expect(game.fixture.broken(Game.bisect(chosen, at: game.outpoint, written: 0).0, height: F.deadline + 2 * c - 2) == "clockExpired")
        #expect(F.deadline + 2 * c - 2 < F.deadline + 3 * c)

        // The step proof: verified once at a valid height, never at an invalid one, where even garbage is a height failure.
        let calls = VerifierCalls()
        var counted = Game.fixture(Game.lastStep)
        counted.consensus = calls.params
        let step = Game.step(Game.lastStep)
        #expect(counted.heights(step, height: F.gameHeight + c - 1) == ValidHeights(validFrom: F.gameHeight, validBelow: F.gameHeight + c))
        #expect(calls.count == 1)
        #expect(counted.broken(step, height: F.gameHeight + c) == "height")
        #expect(counted.broken(Game.step(Game.lastStep, proof: [UInt8](repeating: 0xff, count: 300)), height: F.gameHeight + c) == "height")
        #expect(calls.count == 1)
    }

    // MARK: Blocked 45: reorganisations

    @Test("truebitReorg: a move valid before a reorganisation that lowers its game's height holds while h ≤ createdHeight + c − c′; a claim comes earlier")
    func truebitReorg() throws {
        var chain = Chain.Chain()
        let (task, solution, solutionOutpoint) = try Chain.lying(&chain)
        let fork = chain
        let game = TruebitGameLock(
            solutionId: solution.solutionId, solverKey: Chain.raw(Chain.solver), challengerKey: Chain.raw(Chain.challenger), lo: 0,
            loHash: task.initialState, hi: solution.steps, hiHash: solution.finalState, pointsHash: .zero, solverClock: Chain.clock,
            challengerClock: Chain.clock)
        func challenge(_ chain: inout Chain.Chain) throws -> Transaction {
            try chain.mine(payer: Chain.challenger, reads: [solutionOutpoint], outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(game))])
        }
        func bisect(_ chain: inout Chain.Chain, at outpoint: OutPoint, written: UInt32) throws -> Transaction {
            var next = game
            let points = Bisection.points(lo: 0, hi: game.hi)!.flatMap { ($0 == game.hi ? game.hiHash : F.prover.stateHash($0)).bytes }
            (next.pointsHash, next.solverClock) = (Blake3.hash(points), written)
            let signature = F.moveSignature(Chain.solver, outpoint: outpoint, game: next, network: chain.builder.params.networkID)
            chain.batching = true
            defer { chain.batching = false }
            return try chain.mine(
                covenant: [(outpoint, F.unlock(.bisect), [points, signature])], payer: Chain.solver,
                outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(next))])
        }
        // The first branch: the challenge two blocks after the fork, the bisect two blocks later with c′ = c − 2.
        var first = fork
        try first.advance(toNextHeight: fork.nextHeight + 2)
        let firstChallenge = try challenge(&first)
        let outpoint = OutPoint(txid: firstChallenge.txid, index: 0)
        let created = first.includingHeight
        try first.advance(toNextHeight: created + 2)
        let move = try bisect(&first, at: outpoint, written: Chain.clock - 2)
        try first.mineBlock()
        // The reorganisation: the same challenge two blocks lower.
        var second = fork
        #expect(try challenge(&second).txid == firstChallenge.txid)
        let lower = second.includingHeight
        #expect(lower == created - 2)
        try second.advance(toNextHeight: lower + 2)
        var atEdge = second
        try atEdge.builder.append(atEdge.builder.makeBlock([move]))
        try second.advance(toNextHeight: lower + 3)
        do {
            _ = try second.builder.validate(second.builder.makeBlock([move]))
            Issue.record("the move was accepted past createdHeight + c − c′")
        } catch {
            guard case .transaction(_, .covenant(.clockTooLarge)) = error else {
                Issue.record("expected clockTooLarge, got \(error)")
                return
            }
        }
        // Re-signed with the clock it has left at that height, it is accepted.
        var resigned = second
        _ = try bisect(&resigned, at: outpoint, written: Chain.clock - 3)
        try resigned.mineBlock()
        // A claim on the first branch's game, valid there from created + c, is valid on the lower branch from lower + c.
        let marker = Output(amount: chain.builder.params.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: solution.solutionId, challengerKey: Chain.raw(Chain.challenger))))
        var claiming = second
        try claiming.advance(toNextHeight: lower + UInt64(Chain.clock) - 1)
        claiming.batching = true
        let claim = try claiming.mine(
            covenant: [(outpoint, F.unlock(.claimTimeout), [])], payer: Chain.challenger,
            outputs: [Output(amount: F.challengerDeposit, lock: .pubKeyHash(Chain.challenger.publicKey.publicKeyHash)), marker])
        #expect(throws: BlockRejection.self) { try claiming.builder.validate(claiming.builder.makeBlock([claim])) }
        try claiming.advance(toNextHeight: lower + UInt64(Chain.clock))
        _ = try claiming.builder.validate(claiming.builder.makeBlock([claim]))
        #expect(lower + UInt64(Chain.clock) < created + UInt64(Chain.clock))
    }

    // MARK: Blocked 40: sybils

    @Test("sybilAccounting: losing to its own sybil costs the solver Ds and the reward; each of 100 sybil games against a correct solution loses half its deposit; the payout height does not move")
    func sybilAccounting() throws {
        let ds = F.solverDeposit.units, dc = F.challengerDeposit.units
        // The liar refuted by its own sybil (Mallory): her deposit back whole, the solver's half to the giver, half burnt.
        var sybilGame = Game.lastStep
        sybilGame.challengerKey = F.raw(F.mallory)
        var lost = Game.fixture(sybilGame)
        let sybilMarker = Solution.marker(Game.liar.solutionId, challenger: F.mallory)
        let step = Game.step(sybilGame, outputs: [Output(amount: F.challengerDeposit, lock: F.pkh(F.mallory)), sybilMarker])
        #expect(try lost.check(step, height: F.gameHeight + 1).burnt == .zero)
        lost.put(sybilMarker, at: Solution.markerOutpoint)
        let close = Solution.close()
        #expect(try lost.check(close, height: F.gameHeight + 1).burnt == Amount(units: ds - ds / 2))
        #expect(close.outputs[1] == Output(amount: Amount(units: ds / 2), lock: F.pkh(F.giver)))
        #expect(close.outputs[0] == Output(amount: F.reward, lock: .truebitTask(F.task)))

        // A hundred sybil games against the honest solution, challenged at D − 1; the solver bisects, every sybil stalls.
        var fixture = F()
        fixture.putSolution(F.honest)
        fixture.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.challenger)), at: F.outpoint(0x62))
        let fresh = F.game(F.honest)
        #expect(fixture.broken(Game.challenge(fresh), height: F.deadline - 1) == nil)
        let c = UInt64(F.clock)
        var toSolver: UInt128 = 0, burnt: UInt128 = 0
        for index in 0..<100 {
            let outpoint = F.outpoint(0x90, UInt32(index))
            fixture.putGame(fresh, at: outpoint, height: F.deadline - 1)
            let (bisect, next) = Game.bisect(fresh, at: outpoint, written: F.clock - 1)
            #expect(fixture.broken(bisect, height: F.deadline) == nil)
            fixture.putGame(next, at: outpoint, height: F.deadline)
            let claim = Game.claim([Output(amount: Amount(units: dc / 2), lock: F.pkh(F.solver))], at: outpoint)
            let checked = try fixture.check(claim, height: F.deadline + c)
            toSolver += claim.outputs[0].amount.units
            burnt += checked.burnt.units
        }
        #expect(toSolver == 100 * (dc / 2))
        #expect(burnt == 100 * (dc - dc / 2))
        // The games change nothing for the payout: from D + 3c, as without them, after every claim.
        #expect(fixture.broken(Solution.payout(), height: F.deadline + 3 * c - 1) == "height")
        #expect(fixture.heights(Solution.payout(), height: F.deadline + 3 * c) == ValidHeights(validFrom: F.deadline + 3 * c))
    }

    // MARK: Finding 20: a game in one block

    @Test("gameInOneBlock: challenge, every bisect and choose, the step and the close of one game in one block")
    func gameInOneBlock() throws {
        var chain = Chain.Chain()
        let (task, solution, solutionOutpoint) = try Chain.lying(&chain)
        chain.batching = true
        let (close, rounds) = try Chain.refute(&chain, task: task, solution: solution, at: solutionOutpoint)
        #expect(rounds == Bisection.maxRounds(steps: solution.steps))
        #expect(chain.pending.count == 2 * rounds + 3)
        let height = chain.nextHeight
        try chain.mineBlock()
        #expect(chain.builder.tip.header.height == height)
        #expect(chain.builder.utxos.unspentOutput(at: OutPoint(txid: close.txid, index: 0))?.output.lock == .truebitTask(task))
    }

    // MARK: Finding 8: the griefing cycle

    @Test("griefCycleCostsHalfADeposit: a missed reveal pays the giver ⌊Ds/2⌋ and returns the task byte for byte; the one-block self-refuting cycle costs Ds")
    func griefCycleCostsHalfADeposit() throws {
        // Devnet's example: W = 30, a commit at 1 002 with revealBy 1 062.
        var task = F.task
        (task.challengeWindow, task.clock, task.solveDeadline) = (30, 58, 1_500)
        var fixture = F()
        let taskOutpoint = F.outpoint(0x80)
        fixture.put(Output(amount: F.reward, lock: .truebitTask(task)), at: taskOutpoint, height: 1_000)
        fixture.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.mallory)), at: F.outpoint(0x60))
        func commit(spending outpoint: OutPoint, revealBy: UInt64) -> Transaction {
            let lock = TruebitCommitLock(task: task, solverKey: F.raw(F.mallory), commitment: .zero, revealBy: revealBy)
            return F.transaction(
                [(outpoint, F.unlock(.commit), []), (F.outpoint(0x60), .publicKey(F.raw(F.mallory)), [])],
                outputs: [Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitCommit(lock))])
        }
        let held = commit(spending: taskOutpoint, revealBy: 1_062)
        #expect(fixture.broken(held, height: 1_002) == nil)
        fixture.put(held.outputs[0], at: F.commitOutpoint, height: 1_002)
        let missed = F.transaction(
            [(F.commitOutpoint, F.unlock(.missedReveal), [])],
            outputs: [Output(amount: F.reward, lock: .truebitTask(task)), Output(amount: Amount(units: F.solverDeposit.units / 2), lock: F.pkh(F.giver))])
        #expect(fixture.broken(missed, height: 1_061) == "height")
        #expect(try fixture.check(missed, height: 1_062).burnt == Amount(units: F.solverDeposit.units - F.solverDeposit.units / 2))
        // The recreated task is committed to again in the same block.
        fixture.put(missed.outputs[0], at: OutPoint(txid: missed.txid, index: 0), height: 1_062)
        #expect(fixture.broken(commit(spending: OutPoint(txid: missed.txid, index: 0), revealBy: 1_092), height: 1_062) == nil)

        // The one-block cycle: commit, a reveal claiming one step, a sybil challenge, its step and the close.
        var chain = Chain.Chain()
        let (posted, postedOutpoint) = try Chain.post(&chain)
        chain.batching = true
        var oneStep = F.prover.finalState
        oneStep.step = 1
        let (solution, solutionOutpoint) = try Chain.solve(&chain, task: posted, at: postedOutpoint, final: oneStep)
        let (close, rounds) = try Chain.refute(&chain, task: posted, solution: solution, at: solutionOutpoint)
        #expect(rounds == 0)
        #expect(chain.pending.count == 5)
        try chain.mineBlock()
        let giverHalf = OutPoint(txid: close.txid, index: 1)
        #expect(chain.builder.utxos.unspentOutput(at: giverHalf)?.output == Output(amount: Amount(units: F.solverDeposit.units / 2), lock: .pubKeyHash(Chain.giver.publicKey.publicKeyHash)))
        #expect(chain.builder.utxos.unspentOutput(at: OutPoint(txid: close.txid, index: 0))?.output.lock == .truebitTask(posted))
    }
}
