import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// Close refuted, payout, void result and sweep (docs/truebit.md modes 8–11).
@Suite("Truebit solution rules: close, payout, void, sweep")
struct TruebitSolutionRuleTests {
    typealias F = TruebitFixture

    static let markerOutpoint = F.outpoint(0x75)
    static let resultOutpoint = F.outpoint(0x76)
    static let markerHeight: UInt64 = 120

    static func marker(_ solutionId: Hash32 = F.honest.solutionId, challenger: SigningKey = F.challenger) -> Output {
        Output(amount: F.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: solutionId, challengerKey: F.raw(challenger))))
    }

    static func fixture() -> F {
        var fixture = F()
        fixture.putSolution()
        fixture.put(marker(), at: markerOutpoint, height: markerHeight)
        return fixture
    }

    static var closeOutputs: [Output] {
        [
            Output(amount: F.reward, lock: .truebitTask(F.task)),
            Output(amount: Amount(units: F.solverDeposit.units / 2), lock: F.pkh(F.giver)),
        ]
    }

    static func close(reads: [OutPoint] = [markerOutpoint], outputs: [Output] = closeOutputs) -> Transaction {
        F.transaction([(F.solutionOutpoint, F.unlock(.closeRefuted), [])], reads: reads, outputs: outputs)
    }

    static var payoutOutputs: [Output] {
        [
            Output(amount: F.reward.adding(F.solverDeposit)!, lock: F.pkh(F.solver)),
            Output(amount: F.dust, lock: .truebitResult(TruebitResultLock(taskId: F.task.taskId, solutionId: F.honest.solutionId, outputHash: Blake3.hash(F.prover.output)))),
        ]
    }

    static func payout(outputs: [Output] = payoutOutputs) -> Transaction {
        F.transaction([(F.solutionOutpoint, F.unlock(.payout), [])], outputs: outputs)
    }

    @Test("closeRefuted: reads one marker of the solution; the task back, half the deposit to the giver, the rest burnt; at any height")
    func closeRules() throws {
        let fixture = Self.fixture()
        let (burnt, heights) = try fixture.check(Self.close(), height: 5)
        #expect(burnt == Amount(units: F.solverDeposit.units - F.solverDeposit.units / 2))
        #expect(heights == .unbounded)
        #expect(fixture.broken(Self.close(reads: []), height: 5) == "reads")
        var withItem = Self.close()
        withItem.witnesses[0] = Witness(items: [[0]])
        #expect(fixture.broken(withItem, height: 5) == "witness")
        var changedTask = Self.closeOutputs
        changedTask[0].amount = F.reward.adding(F.solverDeposit)!
        #expect(fixture.broken(Self.close(outputs: changedTask), height: 5) == "pinnedOutputDiffers")
    }

    @Test("payout: from deadline + 3·clock, all to the solver and a result of dust keyed by taskId and solutionId")
    func payoutRules() throws {
        let fixture = Self.fixture()
        let from = F.deadline + 3 * UInt64(F.clock)
        let (burnt, heights) = try fixture.check(Self.payout(), height: from)
        #expect(burnt == .zero)
        #expect(heights == ValidHeights(validFrom: from))
        #expect(fixture.broken(Self.payout(), height: from - 1) == "height")
        var zeroResult = Self.payoutOutputs
        zeroResult[1].amount = .zero
        #expect(fixture.broken(Self.payout(outputs: zeroResult), height: from) == "pinnedOutputDiffers")
        var lessToSolver = Self.payoutOutputs
        lessToSolver[0].amount = F.reward
        #expect(fixture.broken(Self.payout(outputs: lessToSolver), height: from) == "pinnedOutputDiffers")
        var otherTask = Self.payoutOutputs
        otherTask[1].lock = .truebitResult(TruebitResultLock(taskId: .zero, solutionId: F.honest.solutionId, outputHash: Blake3.hash(F.prover.output)))
        #expect(fixture.broken(Self.payout(outputs: otherTask), height: from) == "pinnedOutputDiffers")
    }

    static func void(reads: [OutPoint] = [markerOutpoint], firstOutput: UInt64 = 0) -> Transaction {
        F.transaction([(resultOutpoint, F.unlock(.voidResult, firstOutput: firstOutput), [])], reads: reads, outputs: [Output(amount: F.dust, lock: F.pkh(F.mallory))])
    }

    @Test("lateMarkerVoidsResult: a result whose solution has a marker is voided by reading it; a marker of another solution does not")
    func lateMarkerVoidsResult() {
        var fixture = Self.fixture()
        fixture.put(Self.payoutOutputs[1], at: Self.resultOutpoint, height: 300)
        #expect(fixture.broken(Self.void(), height: 301) == nil)
        #expect(fixture.heights(Self.void(), height: 301) == .unbounded)
        fixture.put(Self.marker(.zero), at: F.outpoint(0x77))
        #expect(fixture.broken(Self.void(reads: [F.outpoint(0x77)]), height: 301) == "reads")
        #expect(fixture.broken(Self.void(reads: []), height: 301) == "reads")
        #expect(fixture.broken(Self.void(reads: [Self.markerOutpoint, F.outpoint(0x77)]), height: 301) == CovenantRejection.unusedRead(index: 1).description)
        #expect(fixture.broken(Self.void(firstOutput: 1), height: 301) == CovenantRejection.firstOutputNotZero(input: 0, found: 1).description)
        // Once voided the result is gone: a later read of it finds nothing.
        fixture.utxos[Self.resultOutpoint] = nil
        #expect(fixture.rejection(Self.void(), height: 302) == .missingRead(Self.resultOutpoint))
    }

    @Test("markersCarryDustAndAreSwept: a marker is swept from createdHeight + 700 000, its dust becoming fee")
    func markersCarryDustAndAreSwept() {
        let fixture = Self.fixture()
        let sweep = F.transaction([(Self.markerOutpoint, F.unlock(.sweep), [])], outputs: [Output(amount: F.dust, lock: F.pkh(F.mallory))])
        #expect(fixture.broken(sweep, height: Self.markerHeight + 700_000) == nil)
        #expect(fixture.heights(sweep, height: Self.markerHeight + 700_000) == ValidHeights(validFrom: Self.markerHeight + 700_000))
        #expect(fixture.broken(sweep, height: Self.markerHeight + 699_999) == "height")
        var pinning = sweep
        pinning.inputs[0].unlock = F.unlock(.sweep, firstOutput: 1)
        #expect(fixture.broken(pinning, height: Self.markerHeight + 700_000) == CovenantRejection.firstOutputNotZero(input: 0, found: 1).description)
        let otherMode = F.transaction([(Self.markerOutpoint, F.unlock(.voidResult), [])], outputs: [Output(amount: F.dust, lock: F.pkh(F.mallory))])
        #expect(fixture.broken(otherMode, height: Self.markerHeight + 700_000) == "mode")
        // A close reading the marker before the sweep.
        #expect(fixture.broken(Self.close(), height: Self.markerHeight + 1) == nil)
    }

    @Test("closePaysTheGiver: whichever marker of S is read, the close pays the giver; paying the marker's challenger is refused")
    func closePaysTheGiver() {
        var fixture = Self.fixture()
        let eveMarker = F.outpoint(0x78)
        fixture.put(Self.marker(challenger: F.mallory), at: eveMarker)
        fixture.utxos[Self.markerOutpoint] = nil
        #expect(fixture.broken(Self.close(reads: [eveMarker]), height: 5) == nil)
        var toChallenger = Self.closeOutputs
        toChallenger[1].lock = F.pkh(F.mallory)
        #expect(fixture.broken(Self.close(reads: [eveMarker], outputs: toChallenger), height: 5) == "pinnedOutputDiffers")
    }

    @Test("closeMarkerCount: two markers of S in one close are refused; S1 and S2 closed together with one marker each pass")
    func closeMarkerCount() {
        var fixture = Self.fixture()
        let second = F.outpoint(0x78)
        fixture.put(Self.marker(challenger: F.mallory), at: second)
        #expect(fixture.broken(Self.close(reads: [Self.markerOutpoint, second]), height: 5) == "reads")
        // A second solution, of another commit, and its marker.
        var other = F.honest
        other.solutionId = F.solutionId(commit: F.outpoint(0x79))
        let otherOutpoint = F.outpoint(0x7a)
        fixture.put(Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitSolution(other)), at: otherOutpoint)
        let otherMarker = F.outpoint(0x7b)
        fixture.put(Self.marker(other.solutionId), at: otherMarker)
        fixture.utxos[second] = nil
        let both = F.transaction(
            [(F.solutionOutpoint, F.unlock(.closeRefuted), []), (otherOutpoint, F.unlock(.closeRefuted, firstOutput: 2), [])],
            reads: [otherMarker, Self.markerOutpoint], outputs: Self.closeOutputs + Self.closeOutputs)
        #expect(fixture.broken(both, height: 5) == nil)
    }

    @Test("closeForeignMarker: a marker of another solution does not close S")
    func closeForeignMarker() {
        var fixture = Self.fixture()
        fixture.put(Self.marker(.zero), at: F.outpoint(0x77))
        #expect(fixture.broken(Self.close(reads: [F.outpoint(0x77)]), height: 5) == "reads")
    }

    @Test("closeWithUnusedReadsRejected: a close reading its marker and a result is refused; a close and a challenge of another solution pass")
    func closeWithUnusedReadsRejected() {
        var fixture = Self.fixture()
        fixture.put(Self.payoutOutputs[1], at: Self.resultOutpoint)
        #expect(fixture.broken(Self.close(reads: [Self.markerOutpoint, Self.resultOutpoint]), height: 5) == CovenantRejection.unusedRead(index: 1).description)
        // Another solution challenged in the same transaction: both reads used.
        var other = F.honest
        other.solutionId = F.solutionId(commit: F.outpoint(0x79))
        let otherOutpoint = F.outpoint(0x7a)
        fixture.put(Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitSolution(other)), at: otherOutpoint, height: F.revealHeight)
        fixture.put(Output(amount: Amount(coins: 5)!, lock: F.pkh(F.challenger)), at: F.outpoint(0x62))
        let transaction = F.transaction(
            [(F.solutionOutpoint, F.unlock(.closeRefuted), []), (F.outpoint(0x62), .publicKey(F.raw(F.challenger)), [])],
            reads: [Self.markerOutpoint, otherOutpoint], outputs: Self.closeOutputs + [Output(amount: F.challengerDeposit, lock: .truebitGame(F.game(other)))])
        #expect(fixture.broken(transaction, height: F.deadline - 1) == nil)
    }

    @Test("a solution is spent only by close or payout; a result only by void")
    func otherModes() {
        var fixture = Self.fixture()
        fixture.put(Self.payoutOutputs[1], at: Self.resultOutpoint)
        let payTo = [Output(amount: F.dust, lock: F.pkh(F.solver))]
        #expect(fixture.broken(F.transaction([(F.solutionOutpoint, F.unlock(.step), [])], outputs: payTo), height: 5) == "mode")
        #expect(fixture.broken(F.transaction([(Self.resultOutpoint, F.unlock(.sweep), [])], outputs: payTo), height: 5) == "mode")
    }
}
