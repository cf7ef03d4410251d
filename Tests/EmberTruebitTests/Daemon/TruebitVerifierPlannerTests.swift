import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTruebit
import Testing

@Suite("Truebit verifier planner: each decision from the chain's view")
struct TruebitVerifierPlannerTests {
    typealias P = PlannerSamples

    static func view(nextHeight: UInt64, records: [TruebitChainRecord], verdicts: [SolutionVerdict] = []) -> TruebitVerifierPlanner.View {
        TruebitVerifierPlanner.View(
            nextHeight: nextHeight, layer2: P.layer2, challengerKey: P.challengerKey, records: records,
            verdicts: Dictionary(uniqueKeysWithValues: verdicts.map { ($0.solutionId, $0) }))
    }

    static func verdict(agrees: Bool) -> SolutionVerdict {
        SolutionVerdict(solutionId: P.solutionId, agrees: agrees, ownState: P.hash(0x99), height: 121)
    }

    static func marker(solutionId: Hash32 = P.solutionId, at byte: UInt8 = 0x84) -> TruebitChainRecord {
        TruebitChainRecord(
            outpoint: P.outpoint(byte), output: Output(amount: Amount(units: 1), lock: .truebitRefuted(TruebitRefutedLock(solutionId: solutionId, challengerKey: P.otherKey))),
            height: 150)
    }

    @Test("a new solution is checked before its deadline, and challenged only when wrong, once, before the deadline")
    func checkAndChallenge() {
        let solution = P.solutionRecord()
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 121, records: [solution])) == [.check(solution: solution)])
        // deadline 160: from 160 on nothing can be done against it.
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 160, records: [solution])).isEmpty)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 122, records: [solution], verdicts: [Self.verdict(agrees: true)])).isEmpty)
        let wrong = Self.verdict(agrees: false)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 159, records: [solution], verdicts: [wrong])) == [.challenge(solution: solution)])
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 160, records: [solution], verdicts: [wrong])).isEmpty)
        // Its own game exists (even finished): no second challenge. Someone else's game does not stop it.
        var finished = P.game(lo: 0, hi: 5_000, side: .challenger)
        finished.spend = P.spend(.claimTimeout, height: 140)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 150, records: [solution, finished], verdicts: [wrong])).isEmpty)
        let others = P.game(lo: 0, hi: 5_000, side: nil, challenger: P.otherKey)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 150, records: [solution, others], verdicts: [wrong])) == [.challenge(solution: solution)])
    }

    @Test("moves: choose among posted points that hash to pointsHash, step at one step left, claim when the solver's clock ran out")
    func moves() {
        let solution = P.solutionRecord()
        let points = (1...15).map { P.hash($0) }
        let choosing = P.game(lo: 0, hi: 5_000, points: points, height: 140, challengerClock: 10, side: .challenger)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 149, records: [solution, choosing], verdicts: [Self.verdict(agrees: false)]))
            == [.choose(game: choosing, points: points, solution: solution)])
        // Its clock (10 from 140) ran out at 150: the solver claims, not the daemon.
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 150, records: [solution, choosing], verdicts: [Self.verdict(agrees: false)])).isEmpty)
        // Points that are not the bisect's (they do not hash to pointsHash) are never chosen from.
        var forged = choosing
        forged.points = Array(points.reversed())
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 149, records: [solution, forged], verdicts: [Self.verdict(agrees: false)])).isEmpty)
        let stepping = P.game(lo: 4_000, hi: 4_001, height: 140, challengerClock: 10, side: .challenger)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 149, records: [solution, stepping], verdicts: [Self.verdict(agrees: false)]))
            == [.step(game: stepping, solution: solution)])
        let waiting = P.game(lo: 0, hi: 5_000, height: 140, solverClock: 15, side: .challenger)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 154, records: [solution, waiting], verdicts: [Self.verdict(agrees: false)])).isEmpty)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 155, records: [solution, waiting], verdicts: [Self.verdict(agrees: false)]))
            == [.claim(game: waiting)])
    }

    @Test("a marker closes its unspent solution at once and voids a result paid despite it")
    func closeAndVoid() {
        let solution = P.solutionRecord()
        let marker = Self.marker()
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 151, records: [solution, marker], verdicts: [Self.verdict(agrees: false)]))
            == [.close(solution: solution, marker: marker)])
        let paid = P.solutionRecord(spend: P.spend(.payout, height: 310))
        let result = TruebitChainRecord(
            outpoint: P.outpoint(0x85),
            output: Output(amount: Amount(units: 1), lock: .truebitResult(TruebitResultLock(taskId: P.task.taskId, solutionId: P.solutionId, outputHash: P.hash(9)))),
            height: 310)
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 311, records: [paid, marker, result])) == [.voidResult(result: result, marker: marker)])
        // A result of a solution without a marker stands.
        let otherMarker = Self.marker(solutionId: P.hash(0x86))
        #expect(TruebitVerifierPlanner.plan(Self.view(nextHeight: 311, records: [paid, otherMarker, result])).isEmpty)
    }

    @Test("the part named is the first whose right end differs from the daemon's own run")
    func firstDifferingPart() {
        let own = (1...16).map { P.hash($0) }
        var points = Array(own.prefix(15))
        let hiHash = P.hash(0xee)
        // Every point agrees, hi differs: the last part.
        #expect(TruebitVerifierPlanner.part(points: points, hiHash: hiHash, own: own) == 16)
        points[6] = P.hash(0xdd)
        points[9] = P.hash(0xdc)
        #expect(TruebitVerifierPlanner.part(points: points, hiHash: hiHash, own: own) == 7)
        points[0] = P.hash(0xdb)
        #expect(TruebitVerifierPlanner.part(points: points, hiHash: hiHash, own: own) == 1)
        // No dispute left (the daemon's hash at hi is the solver's), or a count that does not match: nothing.
        #expect(TruebitVerifierPlanner.part(points: Array(own.prefix(15)), hiHash: own[15], own: own) == nil)
        #expect(TruebitVerifierPlanner.part(points: Array(own.prefix(14)), hiHash: hiHash, own: own) == nil)
    }
}
