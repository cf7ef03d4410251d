import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Synchronization
import Testing

/// DESIGN.md section 15 in the pool: reads of chain and pool outputs, readers evicted by a spend of
/// what they read, unknown reads kept as orphans, and height-bounded rules checked again on every tip.
@Suite("Mempool reads and heights")
struct MempoolReadAndHeightTests {
    typealias Fixture = MempoolCovenantFixture

    @Test("a read of a confirmed output enters; a spend of that output evicts the reader and its descendants")
    func spendEvictsReaders() throws {
        var fixture = try Fixture()
        let reader = fixture.reader(seed: 4, reads: [fixture.bond], fee: Fixture.fee(1))
        let readerChild = fixture.child(of: reader, fee: Fixture.fee(1))
        let bystander = fixture.reader(seed: 5, reads: [], fee: Fixture.fee(1))
        for transaction in [reader, readerChild, bystander] { try fixture.add(transaction) }

        let close = fixture.closeBond(fixture.bond, fee: Fixture.fee(1))
        let acceptance = try fixture.add(close)
        #expect(acceptance == .accepted(txid: close.txid, fee: Fixture.fee(1), evicted: [reader.txid, readerChild.txid], adoptedOrphans: []))
        #expect(fixture.pooled == [bystander.txid, close.txid])
        #expect(MempoolInvariantTests.problems(in: fixture.pool).isEmpty)
        // The spender came first now: a new read of the output it spends is refused.
        let late = fixture.reader(seed: 6, reads: [fixture.bond], fee: Fixture.fee(1))
        let rejection = fixture.rejection(of: late)
        #expect(rejection == .readSpentInPool(fixture.bond, spentBy: close.txid))
        #expect(rejection?.isSenderAtFault == false)
    }

    @Test("a read of an output a pool transaction creates enters after it, and a template holds them in that order")
    func readOfPoolOutput() throws {
        var fixture = try Fixture()
        let funding = fixture.funding(seed: 4, outputs: [Output(amount: Amount(coins: 2)!, lock: Fixture.bondLock)], fee: Fixture.fee(1))
        let bond = OutPoint(txid: funding.txid, index: 0)
        let reader = fixture.reader(seed: 5, reads: [bond], fee: Fixture.fee(30))
        try fixture.add(funding)
        try fixture.add(reader)
        #expect(fixture.pool.entry(reader.txid)?.parents == [funding.txid])
        #expect(fixture.pool.entry(funding.txid)?.descendants.count == 2)
        #expect(MempoolInvariantTests.problems(in: fixture.pool).isEmpty)
        let selection = fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 10)
        #expect(selection.transactions == [funding, reader])
        try fixture.chain.append(fixture.chain.makeBlock(selection.transactions))
    }

    @Test("a read of an output nobody knows waits as an orphan, and enters when its creator arrives")
    func unknownReadIsOrphan() throws {
        var fixture = try Fixture()
        let funding = fixture.funding(seed: 4, outputs: [Output(amount: Amount(coins: 2)!, lock: Fixture.bondLock)], fee: Fixture.fee(1))
        let bond = OutPoint(txid: funding.txid, index: 0)
        let reader = fixture.reader(seed: 5, reads: [bond], fee: Fixture.fee(1))
        #expect(try fixture.add(reader) == .orphan(txid: reader.txid, missing: bond, evictedOrphans: []))
        #expect(fixture.pool.isOrphan(reader.txid))
        #expect(try fixture.add(funding) == .accepted(txid: funding.txid, fee: Fixture.fee(1), evicted: [], adoptedOrphans: [reader.txid]))
        #expect(fixture.pooled == [funding.txid, reader.txid])
    }

    @Test("when a block spends a read output, its readers leave the pool")
    func blockSpendEvictsReaders() throws {
        var fixture = try Fixture()
        let reader = fixture.reader(seed: 4, reads: [fixture.bond], fee: Fixture.fee(1))
        let bystander = fixture.reader(seed: 5, reads: [], fee: Fixture.fee(1))
        try fixture.add(reader)
        try fixture.add(bystander)
        try fixture.connect(fixture.chain.makeBlock([fixture.closeBond(fixture.bond, fee: Fixture.fee(1))]))
        #expect(fixture.pooled == [bystander.txid])
    }

    @Test("on a new tip a spend whose chosen deadline fell out of range leaves with its descendants; plain payments stay")
    func newTipRechecksDeadlines() throws {
        var fixture = try Fixture()
        // The earliest deadline for the next block: h + W. One block later it is too early.
        let settle = fixture.settle(fixture.channels[0], fee: Fixture.fee(1))
        let child = fixture.child(of: settle, fee: Fixture.fee(1))
        let laterSettle = fixture.settle(fixture.channels[1], deadline: fixture.nextHeight + UInt64(2 * Fixture.window), fee: Fixture.fee(1))
        let plain = fixture.reader(seed: 4, reads: [], fee: Fixture.fee(1))
        for transaction in [settle, child, laterSettle, plain] { try fixture.add(transaction) }
        #expect(fixture.pool.entry(settle.txid)?.isHeightBounded == true)
        #expect(fixture.pool.entry(plain.txid)?.isHeightBounded == false)

        try fixture.connect(fixture.chain.makeBlock())
        #expect(fixture.pool.tipHeight == fixture.chain.tip.header.height)
        #expect(fixture.pooled == [laterSettle.txid, plain.txid])
        #expect(MempoolInvariantTests.problems(in: fixture.pool).isEmpty)
        // What stays is still valid in the next block.
        try fixture.chain.append(fixture.chain.makeBlock(fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 10).transactions))
    }

    @Test("attack 1: a new tip checks no covenant rule again, heights alone drop what ends; a reorganisation checks everything")
    func newTipRunsNoRule() throws {
        let counter = RuleCounter()
        let counted = CovenantRules(identity: "counting", rules: TestCovenants.rules.activeTags.map {
            CountingRule(inner: TestCovenants.rules.rule(for: $0)!, counter: counter)
        })
        var fixture = try Fixture(params: ChainBuilder.fastParams().withCovenantRules(counted))
        let program = try ProgramFixtures.exitingWith(0)
        let moves = fixture.channels[..<3].map { fixture.forceMove($0, program: program, maxSteps: 1 << 20, fee: Fixture.fee(200)) }
        // The latest deadline for the next block: valid while h ≤ D − W, W more blocks.
        let window = UInt64(Fixture.window)
        let deadline = fixture.nextHeight + 2 * window
        let settle = fixture.settle(fixture.channels[3], deadline: deadline, fee: Fixture.fee(1))
        for transaction in moves + [settle] { try fixture.add(transaction) }
        #expect(counter.count == 4)
        #expect(fixture.pool.entry(moves[0].txid)?.isHeightBounded == false)

        while fixture.nextHeight < deadline - window { try fixture.connect(fixture.chain.makeBlock()) }
        #expect(fixture.pooled == Set(moves.map(\.txid) + [settle.txid]))
        let before = fixture.chain
        let last = fixture.chain.makeBlock()
        try fixture.connect(last)
        #expect(fixture.nextHeight == deadline - window + 1)
        #expect(fixture.pooled == Set(moves.map(\.txid)))
        #expect(counter.count == 4, "a new tip ran a covenant rule")

        // One block off: the rebuilt pool checks every entry against the rules again.
        fixture.pool.blockDisconnected(last, view: before.utxos, nowMs: before.nowMs)
        #expect(fixture.pooled == Set(moves.map(\.txid)))
        #expect(counter.count == 7)
    }

    @Test("a failing program run is a consensus failure that marks its sender for disconnection; other failures do not")
    func failedRunIsMarked() throws {
        var fixture = try Fixture()
        let failing = try ProgramFixtures.exitingWith(1)
        let forceMove = fixture.forceMove(fixture.channels[0], program: failing, maxSteps: 100, fee: Fixture.fee(100))
        let refused = fixture.rejection(of: forceMove)
        let rejection = try #require(refused)
        guard case .invalid(.covenant(.programRunFailed(input: 0, _))) = rejection else {
            Issue.record("expected programRunFailed, got \(rejection)")
            return
        }
        #expect(rejection.isFailedProgramRun)
        #expect(rejection.isSenderAtFault)
        let succeeding = fixture.forceMove(fixture.channels[0], program: try ProgramFixtures.exitingWith(0), maxSteps: 100, fee: Fixture.fee(100))
        try fixture.add(succeeding)
        let lateDeadline = fixture.settle(fixture.channels[1], deadline: fixture.nextHeight, fee: Fixture.fee(1))
        let refusedToo = fixture.rejection(of: lateDeadline)
        let other = try #require(refusedToo)
        #expect(!other.isFailedProgramRun)
        #expect(!MempoolRejection.tooManySteps(limit: 1, found: 2).isFailedProgramRun)
    }
}

/// Consensus ELF programs for force-moves, assembled by EmberVM's own assembler.
enum ProgramFixtures {
    /// A program that halts at once with `code`.
    static func exitingWith(_ code: Int) throws -> [UInt8] {
        try Assembler.assemble("_start:\n  li a0, \(code)\n  li a7, 93\n  ecall\n").elf()
    }
}

/// Counts the covenant spends its rules check: how a test sees that the pool ran no rule.
final class RuleCounter: Sendable {
    private let value = Mutex(0)

    var count: Int { value.withLock { $0 } }

    func increment() { value.withLock { $0 += 1 } }
}

/// A rule that counts every spend it checks, then checks it as `inner` does.
struct CountingRule: CovenantRule {
    let inner: any CovenantRule
    let counter: RuleCounter

    var lockTag: UInt8 { inner.lockTag }

    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        counter.increment()
        return try inner.checkSpend(context)
    }

    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        try inner.checkCreation(context)
    }
}
