import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// The attacks of docs/truebit-attacks.md that name a consensus test, under those names.
@Suite("Truebit attacks")
struct TruebitAttackTests {
    typealias F = TruebitFixture
    typealias Task = TruebitTaskRuleTests
    typealias Game = TruebitGameRuleTests

    @Test("twinTaskHasItsOwnId: a copy of a task gets its own taskId; a taskId of another input is refused")
    func twinTaskHasItsOwnId() {
        let twinInput = F.outpoint(0x7e)
        #expect(F.taskId(firstInput: twinInput, output: 0) != F.task.taskId)
        #expect(TruebitTaskLock.taskId(firstInput: F.postInput, outputIndex: 0) == F.taskId(firstInput: F.postInput, output: 0))
        // The twin posted with the real task's id.
        #expect(Task().checkPost(Task.post(firstInput: twinInput)) == "taskIdMismatch")
        var twin = F.task
        twin.taskId = F.taskId(firstInput: twinInput, output: 0)
        #expect(Task().checkPost(Task.post(twin, firstInput: twinInput)) == nil)
        // The largest output index hashes without a trap, as a 5-byte varint.
        #expect(TruebitTaskLock.taskId(firstInput: F.postInput, outputIndex: .max) ==
            Blake3.hash(Array("ember/truebit-task/v1".utf8) + F.postInput.txid.bytes + [0] + [0xff, 0xff, 0xff, 0xff, 0x0f]))
    }

    @Test("maxStepsBoundByWindow: maxSteps up to W · 2^24 on devnet is accepted, one more refused; 2^64 − 1 without a trap")
    func maxStepsBoundByWindow() {
        let bound = UInt64(F.window) << 24
        #expect(F.params.layer2.truebitStepsPerWindowBlock == 1 << 24)
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.maxSteps = bound; $0.clock = 100 })) == nil)
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.maxSteps = bound + 1; $0.clock = 100 })) == "maxStepsTooLarge")
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.maxSteps = .max; $0.challengeWindow = 100_000; $0.clock = 100 })) == "maxStepsTooLarge")
    }

    @Test("clockMinimumVectors: the network's window minimum plus 4 · (r(maxSteps) + 1), r in integers")
    func clockMinimumVectors() {
        let layer2 = F.params.layer2
        let vectors: [(UInt64, UInt64)] = [(1, 0), (16, 1), (17, 2), (1 << 24, 6), ((1 << 24) + 1, 7), (1 << 60, 15), ((1 << 60) + 1, 16), (.max, 16)]
        for (steps, rounds) in vectors {
            #expect(layer2.truebitClockMinimum(maxSteps: steps) == 2 + 4 * (rounds + 1), "maxSteps \(steps)")
        }
        // A post at the minimum − 1 is refused, at the minimum accepted (r(1 000) = 3).
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.clock = 17 })) == "post")
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.clock = 18 })) == nil)
    }

    @Test("clockMinimumUsesNetworkWindow: a task with W = 100 000 and the network's minimum clock is valid")
    func clockMinimumUsesNetworkWindow() {
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.challengeWindow = 100_000; $0.clock = 18 })) == nil)
    }

    /// A 120-byte ELF whose two loaded segments both map the whole file: Σ filesz = 240. Each segment is
    /// `memorySize` bytes long in memory (the file's size unless given; the rest is bss).
    static func sharedSegmentsELF(segments: Int, memorySize: Int? = nil) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
        let size = 52 + 32 * segments + 4
        var elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        elf += le16(2) + le16(243) + le32(1) + le32(0x1000 + size - 4) + le32(52) + le32(0) + le32(0) + le16(52) + le16(32) + le16(segments)
        elf += le16(40) + le16(0) + le16(0)
        for index in 0..<segments {
            elf += le32(1) + le32(0) + le32(0x1000 * (index + 1)) + le32(0x1000 * (index + 1)) + le32(size) + le32(memorySize ?? size) + le32(5)
                + le32(0x1000)
        }
        elf += le32(0x0000_0073)  // ecall
        return elf
    }

    @Test("postSegmentsShareFileBytes: segments mapping the same file bytes are refused before loading; one segment passes")
    func postSegmentsShareFileBytes() {
        for (segments, expected) in [(1, nil), (2, "postSegmentsShareFileBytes") as (Int, String?)] {
            let elf = Self.sharedSegmentsELF(segments: segments)
            let program = try! ConsensusProgram(elf: elf).program
            var task = F.task
            task.programHash = Blake3.hash(elf)
            task.initialState = try! Prover(program: program, input: F.input).stateHash(afterSteps: 0)
            #expect(Task().checkPost(Task.post(task, blobs: [elf, F.input])) == expected)
        }
    }

    @Test("truebitPinnedOutputOutOfReach: commit, reveal, bisect and choose with firstOutput past the outputs or a pubKeyHash there")
    func truebitPinnedOutputOutOfReach() {
        var game = F.game(Game.liar)
        let fixture = Game.fixture(game)
        var commit = Task().commit()
        commit.inputs[0].unlock = F.unlock(.commit, firstOutput: 1)
        var withFunding = F()
        withFunding.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.solver)), at: F.outpoint(0x60))
        #expect(withFunding.broken(commit, height: F.commitHeight) == "pinnedOutputMissing")
        #expect(F().broken(Task.reveal(firstOutput: 1), height: F.revealHeight) == "pinnedOutputMissing")
        var bisect = Game.bisect(game).0
        bisect.inputs[0].unlock = F.unlock(.bisect, firstOutput: UInt64(UInt32.max))
        #expect(fixture.broken(bisect, height: F.gameHeight) == "pinnedOutputMissing")
        game.pointsHash = Blake3.hash(Game.points(game))
        var choose = Game.choose(game, part: 1).0
        choose.outputs[0].lock = F.pkh(F.challenger)
        #expect(Game.fixture(game).broken(choose, height: F.gameHeight) == "pinnedOutputDiffers")
        var reveal = Task.reveal()
        reveal.outputs[0].lock = F.pkh(F.solver)
        #expect(F().broken(reveal, height: F.revealHeight) == "pinnedOutputDiffers")
    }

    @Test("zeroClockEdges: a side left with clock 0 can never move, and its opponent claims in the block that created the game")
    func zeroClockEdges() {
        var game = F.game(Game.liar)
        let fixture = Game.fixture(game)
        // A bisect writing c′ = 0 is valid.
        #expect(fixture.broken(Game.bisect(game, written: 0).0, height: F.gameHeight + 1) == nil)
        game.solverClock = 0
        let zero = Game.fixture(game)
        let marker = Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: game.solutionId, challengerKey: game.challengerKey)))
        #expect(zero.broken(Game.claim([Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)), marker]), height: F.gameHeight) == nil)
        #expect(zero.broken(Game.bisect(game, written: 0).0, height: F.gameHeight) == "clockExpired")
    }

    @Test("oneStepGame: a solution of one step starts with the challenger to move: no bisect, a step, or the solver's claim")
    func oneStepGame() {
        var state = F.prover.finalState
        state.step = 1
        let solution = F.solution(finalState: state.hash, steps: 1)
        let game = F.game(solution)
        let fixture = Game.fixture(game, solution: solution)
        #expect(fixture.broken(Game.bisect(game, points: []).0, height: F.gameHeight) == "turn")
        #expect(fixture.broken(Game.step(game), height: F.gameHeight) == nil)
        let solverWins = Game.claim([Output(amount: Amount(units: F.challengerDeposit.units / 2), lock: F.pkh(F.solver))])
        #expect(fixture.broken(solverWins, height: F.gameHeight + UInt64(F.clock)) == nil)
    }

    @Test("moveReplay: a move signature is bound to its game output, its clocks and its network")
    func moveReplay() {
        let game = F.game(Game.liar)
        var fixture = Game.fixture(game)
        let other = F.outpoint(0x7c)
        fixture.putGame(game, at: other)
        let (move, next) = Game.bisect(game)
        // The same witness spending the other game output.
        var moved = move
        moved.inputs[0] = Input(outpoint: other, unlock: F.unlock(.bisect))
        #expect(fixture.broken(moved, height: F.gameHeight + 1) == "signature")
        // The signature with another clock written.
        var reclocked = move
        var relaxed = next
        relaxed.solverClock -= 1
        reclocked.outputs[0].lock = .truebitGame(relaxed)
        #expect(fixture.broken(reclocked, height: F.gameHeight + 1) == "signature")
        #expect(fixture.broken(Game.bisect(game, network: .testnet).0, height: F.gameHeight + 1) == "signature")
        // The solver's signature offered as a choose: the game has no points, so it is the solver's turn.
        #expect(fixture.broken(Game.choose(game, part: 1, points: Game.points(game), signer: F.solver).0, height: F.gameHeight + 1) == "turn")
    }

    @Test("turnOrder: on the solver's turn only its bisect; on the challenger's only its choose or step")
    func turnOrder() {
        let fresh = F.game(Game.liar)
        let fixture = Game.fixture(fresh)
        let h = F.gameHeight + 1
        #expect(fixture.broken(Game.choose(fresh, part: 1, points: Game.points(fresh)).0, height: h) == "turn")
        #expect(fixture.broken(Game.step(fresh), height: h) == "turn")
        let marker = Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: fresh.solutionId, challengerKey: fresh.challengerKey)))
        #expect(fixture.broken(Game.claim([Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)), marker]), height: h) == "height")
        var posted = fresh
        posted.pointsHash = Blake3.hash(Game.points(fresh))
        #expect(Game.fixture(posted).broken(Game.bisect(posted).0, height: h) == "turn")
    }

    @Test("clockEdges: a bisect at createdHeight + clock − 1 with c′ = 1 passes, at + clock it fails and the claim passes")
    func clockEdges() {
        let game = F.game(Game.liar)
        let fixture = Game.fixture(game)
        let end = F.gameHeight + UInt64(F.clock)
        #expect(fixture.broken(Game.bisect(game, written: 1).0, height: end - 1) == nil)
        #expect(fixture.broken(Game.bisect(game, written: 2).0, height: end - 1) == "clockTooLarge")
        #expect(fixture.broken(Game.bisect(game, written: 1).0, height: end) == "clockExpired")
        let marker = Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: game.solutionId, challengerKey: game.challengerKey)))
        let claim = Game.claim([Output(amount: F.challengerDeposit, lock: F.pkh(F.challenger)), marker])
        #expect(fixture.broken(claim, height: end) == nil)
        #expect(fixture.broken(claim, height: end - 1) == "height")
    }

    @Test("commitCopy: Alice's commitment under Mallory's key cannot be revealed; its missed reveal pays the giver")
    func commitCopy() {
        var fixture = F()
        fixture.put(Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitCommit(TruebitCommitLock(
            task: F.task, solverKey: F.raw(F.mallory), commitment: F.commit().commitment, revealBy: F.revealBy))), at: F.commitOutpoint, height: F.commitHeight)
        let copied = F.solution(finalState: F.prover.finalHash, steps: F.prover.steps, solver: F.mallory)
        #expect(fixture.broken(Task.reveal(solution: copied, signer: F.mallory), height: F.revealHeight) == "commitmentMismatch")
        #expect(fixture.broken(TruebitTaskRuleTests().missedReveal(), height: F.revealBy) == nil)
    }

    @Test("truebitAmounts: odd deposits round the winner's half down and burn the rest")
    func truebitAmounts() throws {
        var task = F.task
        task.solverDeposit = Amount(units: 2 * F.dust.units + 1)
        var fixture = F()
        fixture.put(Output(amount: F.reward.adding(task.solverDeposit)!, lock: .truebitCommit(TruebitCommitLock(
            task: task, solverKey: F.raw(F.solver), commitment: .zero, revealBy: F.revealBy))), at: F.commitOutpoint)
        let missed = F.transaction(
            [(F.commitOutpoint, F.unlock(.missedReveal), [])],
            outputs: [Output(amount: F.reward, lock: .truebitTask(task)), Output(amount: F.dust, lock: F.pkh(F.giver))])
        let (burnt, _) = try fixture.check(missed, height: F.revealBy)
        #expect(burnt == Amount(units: F.dust.units + 1))
        // A game of 2 · dust + 1 pays the solver dust on the challenger's timeout.
        var game = Game.lastStep
        game.solutionId = Game.liar.solutionId
        var gameFixture = Game.fixture(game)
        gameFixture.put(Output(amount: Amount(units: 2 * F.dust.units + 1), lock: .truebitGame(game)), at: F.gameOutpoint, height: F.gameHeight)
        let claim = Game.claim([Output(amount: F.dust, lock: F.pkh(F.solver))])
        #expect(try gameFixture.check(claim, height: F.gameHeight + UInt64(F.clock)).burnt == Amount(units: F.dust.units + 1))
        // A solution with deadline 2^64 − 1: its payout is never valid, without a trap.
        var late = F.honest
        late.deadline = .max
        var lateFixture = F()
        lateFixture.putSolution(late)
        #expect(lateFixture.broken(TruebitSolutionRuleTests.payout(), height: .max) == "height")
    }

    @Test("revealBinding: another deadline or output re-wrapped under the solver's signature is refused")
    func revealBinding() {
        let fixture = F()
        var rewrapped = Task.reveal()
        var later = F.honest
        later.deadline += 1
        rewrapped.outputs[0].lock = .truebitSolution(later)
        #expect(fixture.broken(rewrapped, height: F.revealHeight) == "signature")
        var extraBlob = Task.reveal()
        extraBlob.blobs.append([1])
        #expect(fixture.broken(extraBlob, height: F.revealHeight) == "signature")
    }

    @Test("gamesAfterClose: a game outlives its closed solution; a new challenge of it finds no read")
    func gamesAfterClose() {
        var fixture = Game.fixture(Game.lastStep)
        fixture.utxos[F.solutionOutpoint] = nil
        #expect(fixture.broken(Game.step(Game.lastStep), height: F.gameHeight + 1) == nil)
        fixture.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.challenger)), at: F.outpoint(0x62))
        #expect(fixture.rejection(Game.challenge(F.game(Game.liar)), height: F.gameHeight + 1) == .missingRead(F.solutionOutpoint))
    }
}
