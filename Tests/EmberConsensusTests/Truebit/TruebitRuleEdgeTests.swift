@testable import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// The checks of the Truebit rules that only a deleted check showed untested (`scripts/mutate-rules.py`):
/// item counts of the modes without items, cheap checks before heights, reads and signatures, amounts at
/// the maximum, outputs below the deposit, the modes of a commit, a points hash of zero, and program
/// headers the post reads before the loader does.
@Suite("Truebit rule edges")
struct TruebitRuleEdgeTests {
    typealias F = TruebitFixture
    typealias Task = TruebitTaskRuleTests
    typealias Game = TruebitGameRuleTests
    typealias Solution = TruebitSolutionRuleTests

    static func withItems(_ transaction: Transaction, _ items: [[UInt8]]) -> Transaction {
        var edited = transaction
        edited.witnesses[0] = Witness(items: items)
        return edited
    }

    static func firstOutput(_ transaction: Transaction, _ first: UInt64) -> Transaction {
        var edited = transaction
        if let unlock = edited.inputs[0].unlock.covenant {
            edited.inputs[0].unlock = .truebit(CovenantUnlock(mode: unlock.mode, firstOutput: first))
        }
        return edited
    }

    static let markerHeight = Solution.markerHeight
    static var sweep: Transaction {
        F.transaction([(Solution.markerOutpoint, F.unlock(.sweep), [])], outputs: [Output(amount: F.dust, lock: F.pkh(F.mallory))])
    }

    @Test("payout, voidResult, sweep and step take exactly their items: one more (or one fewer) is refused")
    func itemCounts() {
        var fixture = Solution.fixture()
        fixture.put(Solution.payoutOutputs[1], at: Solution.resultOutpoint, height: 300)
        let payoutHeight = F.deadline + 3 * UInt64(F.clock)
        #expect(fixture.broken(Self.withItems(Solution.payout(), [[0]]), height: payoutHeight) == "witness")
        #expect(fixture.broken(Self.withItems(Solution.void(), [[0]]), height: 301) == "witness")
        #expect(fixture.broken(Self.withItems(Self.sweep, [[0]]), height: Self.markerHeight + 700_000) == "witness")
        let game = Game.fixture(Game.lastStep)
        let step = Game.step(Game.lastStep)
        #expect(game.broken(Self.withItems(step, step.witnesses[0].items + [[0]]), height: F.gameHeight + 1) == "witness")
        #expect(game.broken(Self.withItems(step, []), height: F.gameHeight + 1) == "witness")
    }

    @Test("cheap checks first: firstOutput before heights, reads and signatures; an oversize output proof before heights")
    func cheapChecksFirst() {
        let notZero = CovenantRejection.firstOutputNotZero(input: 0, found: 1).description
        // A refund signed by another key.
        let refund = F.signed(
            F.transaction(
                [(F.taskOutpoint, F.unlock(.refund, firstOutput: 1), [[UInt8](repeating: 0, count: 64)])],
                outputs: [Output(amount: F.reward, lock: F.pkh(F.giver))]),
            item: 0, by: F.mallory)
        #expect(F().broken(refund, height: F.solveDeadline) == notZero)
        // A void that reads no marker, a sweep before its height.
        var fixture = Solution.fixture()
        fixture.put(Solution.payoutOutputs[1], at: Solution.resultOutpoint, height: 300)
        #expect(fixture.broken(Solution.void(reads: [], firstOutput: 1), height: 301) == notZero)
        #expect(fixture.broken(Self.firstOutput(Self.sweep, 1), height: Self.markerHeight + 1) == notZero)
        // An output proof over 892 bytes, at a height where the reveal is too late anyway.
        #expect(F().broken(Task.reveal(proof: [UInt8](repeating: 0, count: 893)), height: F.revealBy) == "witness")
    }

    @Test("a commit is spent only by reveal (2) or missed reveal (3)")
    func commitModes() {
        let fixture = F()
        for mode in CovenantUnlock.TruebitMode.allCases where mode != .reveal && mode != .missedReveal {
            let spend = F.transaction([(F.commitOutpoint, F.unlock(mode), [])], outputs: [Output(amount: F.dust, lock: F.pkh(F.solver))])
            #expect(fixture.broken(spend, height: F.revealBy) == "mode", "mode \(mode)")
        }
    }

    @Test("amounts at the maximum: a post with R + Ds or Dc over it, a commit of a task whose R + Ds is over it; outputs below the deposit")
    func amounts() {
        let maximum = F.params.maxAmount.units
        let overReward = Amount(units: maximum + 1 - F.solverDeposit.units)
        #expect(Task().checkPost(Task.post(reward: overReward)) == "post")
        #expect(Task().checkPost(Task.post(reward: Amount(units: maximum - F.solverDeposit.units))) == nil)
        #expect(Task().checkPost(Task.post(Task.editedTask { $0.challengerDeposit = Amount(units: maximum + 1) })) == "post")
        // A task output no post could make (R + Ds over the maximum): its commit is refused, without a trap.
        var rich = F()
        rich.put(Output(amount: overReward, lock: .truebitTask(F.task)), at: F.taskOutpoint)
        rich.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.solver)), at: F.outpoint(0x60))
        #expect(rich.broken(Task().commit(), height: F.commitHeight) == "commit")
        // A commit or a solution holding less than the solver's deposit: the task cannot be returned.
        let short = Amount(units: F.solverDeposit.units - 1)
        var poor = F()
        poor.put(Output(amount: short, lock: .truebitCommit(F.commit())), at: F.commitOutpoint, height: F.commitHeight)
        #expect(poor.broken(Task().missedReveal(), height: F.revealBy) == "missedReveal")
        var poorSolution = Solution.fixture()
        poorSolution.put(Output(amount: short, lock: .truebitSolution(F.honest)), at: F.solutionOutpoint, height: F.revealHeight)
        #expect(poorSolution.broken(Solution.close(), height: 5) == "closeRefuted")
    }

    @Test("points hashing to 32 zero bytes (no preimage is known: a stand-in hasher) mean none posted: the bisect is refused")
    func pointsHashOfZero() {
        let zeroHashing = TruebitGameRule(stepVerifier: { proof throws(StepProofRejection) in try verifyStep(proof) }, pointsHasher: { _ in .zero })
        let rules = CovenantRules.enshrined.activeTags.map { tag in
            tag == Lock.Tag.truebitGame ? zeroHashing : CovenantRules.enshrined.rule(for: tag)!
        }
        var fixture = Game.fixture()
        fixture.consensus = F.params.withCovenantRules(CovenantRules(identity: "zero points hash", rules: rules))
        #expect(fixture.broken(Game.bisect(F.game(Game.liar)).0, height: F.gameHeight + 1) == "bisect")
    }

    @Test("program headers the post reads before loading: a file shorter than a header, a header size other than 32, a table past the file")
    func programHeadersBeforeLoading() {
        func post(_ elf: [UInt8]) -> String? {
            var task = F.task
            task.programHash = Blake3.hash(elf)
            return Task().checkPost(Task.post(task, blobs: [elf, F.input]))
        }
        let valid = TruebitAttackTests.sharedSegmentsELF(segments: 2)
        var entrySize = valid
        entrySize[42] = 33
        var pastTheFile = valid
        pastTheFile[44] = 200
        for elf in [Array(valid.prefix(10)), entrySize, pastTheFile] {
            #expect(post(elf)?.hasPrefix("the program is not a valid consensus ELF") == true)
        }
    }

    /// The rule a rejection names, or its description.
    static func ruleName(_ check: () throws(CovenantRejection) -> Void) -> String? {
        do {
            try check()
            return nil
        } catch {
            if case .ruleBroken(_, let rule, _) = error { return rule }
            return error.description
        }
    }

    @Test("each rule refuses an output of another lock, which the framework never hands it")
    func foreignLocks() {
        let transaction = F.transaction([(F.outpoint(0x99), F.unlock(.commit), [])], outputs: [Output(amount: F.dust, lock: F.pkh(F.solver))])
        let spend = SpendContext(
            height: 1, blockTimestamp: 0, transaction: transaction, txid: transaction.txid, inputIndex: 0,
            spent: UnspentOutput(output: Output(amount: F.reward, lock: F.pkh(F.mallory)), height: 1, isCoinbase: false), reads: [],
            spentByInputs: [], params: F.params)
        let rules: [any CovenantRule] = [TruebitTaskRule(), TruebitCommitRule(), TruebitSolutionRule(), TruebitGameRule(), TruebitResultRule()]
        for rule in rules {
            #expect(Self.ruleName { () throws(CovenantRejection) in _ = try rule.checkSpend(spend) } == "lock", "lock tag \(rule.lockTag)")
        }
        let creation = CreationContext(height: 1, transaction: transaction, txid: transaction.txid, outputIndex: 0, reads: [], spentByInputs: [], params: F.params)
        #expect(Self.ruleName { () throws(CovenantRejection) in _ = try TruebitTaskRule().checkCreation(creation) } == "post")
        #expect(Self.ruleName { () throws(CovenantRejection) in _ = try TruebitGameRule().checkCreation(creation) } == "challenge")
    }
}
