import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The pool's policy for Truebit spends (docs/truebit.md, "Mempool policy for Truebit spends"; findings 2,
/// 3, 13 and 24 of docs/truebit-attacks.md), on a task played through real blocks: a Truebit spend weighs
/// at most 10 000 beside a reveal's output blob and has one light child, a payout never replaces a close,
/// a claim on an unconfirmed game is refused, and heights, not rules, drop what a new tip ends.
@Suite("Mempool policy for Truebit spends")
struct MempoolTruebitPolicyTests {
    typealias Fixture = MempoolTruebitFixture

    /// A solution claiming `steps` steps, its game created and confirmed.
    static func game(steps: UInt64 = 1, params: ConsensusParams = ChainBuilder.fastParams()) throws -> Fixture {
        var fixture = try Fixture(params: params)
        try fixture.solved(final: fixture.finalState(steps: steps))
        try fixture.challenged()
        return fixture
    }

    @Test("(i) a step heavier than 10 000 is refused; one of exactly 10 000 enters as a layer-2 spend")
    func stepWeightCap() throws {
        var fixture = try Self.game()
        let heavy = fixture.weighing(10_001) { fixture.step(padding: $0) }
        let refused = fixture.rejection(of: heavy)
        #expect(refused == .truebitSpendTooHeavy(weight: 10_001, limit: 10_000))
        #expect(refused?.isSenderAtFault == false)
        let light = fixture.weighing(10_000) { fixture.step(padding: $0) }
        try fixture.add(light)
        #expect(fixture.pool.entry(light.txid)?.isLayer2Spend == true)
    }

    @Test("(v, vii) a spend of every Truebit lock tag, and a challenge, is capped at 10 000; a heavy post is no Truebit spend")
    func everyTagIsCapped() throws {
        var fixture = try Fixture()
        try fixture.posted()
        let tooHeavy = MempoolRejection.truebitSpendTooHeavy(weight: 10_001, limit: 10_000)
        // Tag 7: a heavy copy of a commit.
        #expect(fixture.rejection(of: fixture.weighing(10_001) { fixture.commit(final: fixture.finalState(steps: 1), padding: $0) }) == tooHeavy)
        // A post of 20 000 weight (its input blob) spends no Truebit output: it enters and may have children.
        let post = fixture.post(input: [UInt8](repeating: 7, count: 20_000), fee: Fixture.fee(40)).0
        #expect(fixture.weight(post) > 20_000)
        try fixture.add(post)
        #expect(fixture.pool.entry(post.txid)?.isLayer2Spend == false)

        try fixture.committed(final: fixture.finalState(steps: 1))
        // Tag 15: a reveal of a 4-byte output is allowed those 4 bytes and their length prefix.
        let reveal = fixture.weighing(10_006) { fixture.reveal(final: fixture.finalState(steps: 1), padding: $0) }
        #expect(fixture.rejection(of: reveal) == .truebitSpendTooHeavy(weight: 10_006, limit: 10_005))
        try fixture.revealed(final: fixture.finalState(steps: 1))
        // A challenge creates a game: it must not be a heavy parent.
        #expect(fixture.rejection(of: fixture.weighing(10_001) { fixture.challenge(padding: $0) }) == tooHeavy)
        try fixture.challenged()
        // Tag 9.
        #expect(fixture.rejection(of: fixture.weighing(10_001) { fixture.step(padding: $0) }) == tooHeavy)
        try fixture.stepped()
        // Tag 8: a close, then a payout.
        #expect(fixture.rejection(of: fixture.weighing(10_001) { fixture.close(payer: Fixture.mallory, padding: $0) }) == tooHeavy)
        try fixture.advance(toNextHeight: fixture.payoutHeight)
        #expect(fixture.rejection(of: fixture.weighing(10_001) { fixture.payout(payer: Fixture.solver, padding: $0) }) == tooHeavy)
        let payout = fixture.payout(payer: Fixture.solver)
        try fixture.mine(payout, payer: Fixture.solver)
        // Tag 11: the void of a result paid despite its marker.
        let result = OutPoint(txid: payout.txid, index: 1)
        #expect(fixture.rejection(of: fixture.weighing(10_001) { fixture.void(result, payer: Fixture.mallory, padding: $0) }) == tooHeavy)
        try fixture.add(fixture.weighing(10_000) { fixture.void(result, payer: Fixture.mallory, padding: $0) })
        // Tag 12: the sweep of the marker, 700 000 blocks on (a pool at that tip over the same outputs).
        let markerHeight = try #require(fixture.chain.utxos.unspentOutput(at: fixture.markerOutpoint!)).height
        var late = MempoolState(params: fixture.params, tipHeight: markerHeight + 700_000 - 1)
        let heavySweep = fixture.weighing(10_001) { fixture.sweep(payer: Fixture.challenger, padding: $0) }
        #expect(late.rejection(of: heavySweep, view: fixture.chain.utxos, nowMs: fixture.chain.nowMs) == tooHeavy)
        let sweep = fixture.weighing(10_000) { fixture.sweep(payer: Fixture.challenger, padding: $0) }
        _ = try late.add(sweep, view: fixture.chain.utxos, nowMs: fixture.chain.nowMs)
    }

    @Test("(iv) a reveal may weigh 10 000 plus its output blob with its length prefix: 64 KiB enters, one unit more does not")
    func revealOutputAllowance() throws {
        var fixture = try Fixture(words: 16_384)
        #expect(fixture.run.output.count == 65_536)
        try fixture.posted()
        try fixture.committed(final: fixture.finalState())
        // 10 000, the blob's three-byte length prefix and its 65 536 bytes.
        let limit = 10_000 + 3 + 65_536
        let final = fixture.finalState()
        #expect(fixture.weight(fixture.reveal(final: final)) > 65_536)
        let over = fixture.weighing(limit + 1) { fixture.reveal(final: final, fee: Fixture.fee(80), padding: $0) }
        #expect(fixture.rejection(of: over) == .truebitSpendTooHeavy(weight: limit + 1, limit: limit))
        let atLimit = fixture.weighing(limit) { fixture.reveal(final: final, fee: Fixture.fee(80), padding: $0) }
        try fixture.add(atLimit)
        #expect(fixture.pooled == [atLimit.txid])
    }

    @Test("(iii) a Truebit spend has one light child: a heavier child or a grandchild is refused, a better-paying sibling replaces it")
    func oneLightChild() throws {
        var fixture = try Self.game()
        let step = fixture.step()
        try fixture.add(step)
        let key = Fixture.challenger
        let heavy = fixture.weighing(10_001) { fixture.child(of: step, key: key, padding: $0) }
        let refused = fixture.rejection(of: heavy)
        #expect(refused == .layer2SpendChildTooHeavy(spend: step.txid, weight: 10_001, limit: 10_000))
        #expect(refused?.isSenderAtFault == false)
        let child = fixture.child(of: step, key: key, fee: Fixture.fee(2))
        try fixture.add(child)
        let grandchild = fixture.child(of: child, key: key, fee: Fixture.fee(2))
        #expect(fixture.rejection(of: grandchild) == .layer2SpendHasChild(spend: step.txid))
        // The close reading the step's unconfirmed marker is a child too: it takes the slot by paying more.
        let close = fixture.close(payer: Fixture.mallory, reading: OutPoint(txid: step.txid, index: 1))
        #expect(try fixture.add(close) == .accepted(txid: close.txid, fee: Fixture.fee(20), evicted: [child.txid], adoptedOrphans: []))
    }

    @Test("(ii) Mallory's light copy of Carol's step costs Carol its fee plus her own minimum fee, at a higher rate")
    func stepCopyIsReplaceable() throws {
        var fixture = try Self.game()
        let copyFee = Fixture.minimumFee(weight: 9_000)
        let copy = fixture.weighing(9_000) { fixture.step(payer: Fixture.mallory, fee: copyFee, padding: $0) }
        try fixture.add(copy)
        let weight = fixture.weight(fixture.step())
        let required = Amount(units: copyFee.units + Fixture.minimumFee(weight: weight).units)
        let short = fixture.step(fee: Amount(units: required.units - 1))
        #expect(fixture.weight(short) == weight)
        #expect(fixture.rejection(of: short) == .replacementFeeTooLow(required: required, found: Amount(units: required.units - 1)))
        let step = fixture.step(fee: required)
        #expect(try fixture.add(step) == .accepted(txid: step.txid, fee: required, evicted: [copy.txid], adoptedOrphans: []))
    }

    @Test("(finding 3) a close outranks a payout: a payout never replaces a pooled close; a close replaces a payout under the fee rules")
    func closeOutranksPayout() throws {
        var fixture = try Self.game()
        try fixture.stepped()
        try fixture.advance(toNextHeight: fixture.payoutHeight)
        let solution = fixture.solutionOutpoint!
        let close = fixture.close(payer: Fixture.challenger, fee: Fixture.fee(2))
        try fixture.add(close)
        let refused = fixture.rejection(of: fixture.payout(payer: Fixture.solver, fee: Fixture.fee(200)))
        #expect(refused == .staleTruebitReplacement(replacing: close.txid, outpoint: solution))
        #expect(refused?.isSenderAtFault == false)
        // Closes compete by fee.
        let better = fixture.close(payer: Fixture.mallory, fee: Fixture.fee(20))
        #expect(try fixture.add(better) == .accepted(txid: better.txid, fee: Fixture.fee(20), evicted: [close.txid], adoptedOrphans: []))

        var paid = try Self.game()
        try paid.stepped()
        try paid.advance(toNextHeight: paid.payoutHeight)
        let payout = paid.payout(payer: Fixture.solver, fee: Fixture.fee(20))
        try paid.add(payout)
        guard case .replacementFeeTooLow = paid.rejection(of: paid.close(payer: Fixture.challenger, fee: Fixture.fee(20))) else {
            Issue.record("a close must pay for the payout it replaces")
            return
        }
        let replacing = paid.close(payer: Fixture.challenger, fee: Fixture.fee(40))
        #expect(try paid.add(replacing) == .accepted(txid: replacing.txid, fee: Fixture.fee(40), evicted: [payout.txid], adoptedOrphans: []))
    }

    @Test("(finding 3) a close cannot wait in the pool on its own unconfirmed sybil chain; once the chain is mined, any close replaces it cheaply")
    func solutionPins() throws {
        var fixture = try Fixture()
        try fixture.solved(final: fixture.finalState(steps: 1))
        // Mallory challenges her own solution and steps at once, both unconfirmed.
        let sybil = fixture.challenge(by: Fixture.mallory)
        try fixture.add(sybil)
        fixture.coins[Fixture.raw(Fixture.mallory)] = Fixture.change(of: sybil)
        fixture.setGame(fixture.freshGame(challenger: Fixture.mallory), at: OutPoint(txid: sybil.txid, index: 0))
        let sybilStep = fixture.step(payer: Fixture.mallory)
        try fixture.add(sybilStep)
        fixture.coins[Fixture.raw(Fixture.mallory)] = Fixture.change(of: sybilStep)
        let marker = OutPoint(txid: sybilStep.txid, index: 1)
        let pin = fixture.close(payer: Fixture.mallory, reading: marker, fee: Fixture.minimumFee(weight: 9_000))
        // The close spends the solution the sybil challenge reads, so it would evict that challenge and the
        // step whose marker it reads.
        #expect(fixture.rejection(of: pin) == .replacementSpendsEvicted(sybilStep.txid))
        // So honest challenges still read the solution.
        let carol = fixture.challenge()
        try fixture.add(carol)

        // Mined, the sybil chain's marker lets Mallory pool a close of 9 000 at the floor rate ...
        try fixture.mineBlock([sybil, sybilStep])
        let pinFee = Fixture.minimumFee(weight: 9_000)
        let heavyPin = fixture.weighing(9_000) { fixture.close(payer: Fixture.mallory, reading: marker, fee: pinFee, padding: $0) }
        #expect(try fixture.add(heavyPin) == .accepted(txid: heavyPin.txid, fee: pinFee, evicted: [carol.txid], adoptedOrphans: []))
        // ... which Carol's close replaces for its fee and her own minimum.
        let weight = fixture.weight(fixture.close(payer: Fixture.challenger, reading: marker))
        let required = Amount(units: pinFee.units + Fixture.minimumFee(weight: weight).units)
        let close = fixture.close(payer: Fixture.challenger, reading: marker, fee: required)
        #expect(try fixture.add(close) == .accepted(txid: close.txid, fee: required, evicted: [heavyPin.txid], adoptedOrphans: []))
    }

    @Test("(finding 13) a claim on an unconfirmed game is refused, even when its clock is 0; mined, the game is claimed; a move on it is accepted")
    func claimOnUnconfirmedGame() throws {
        var fixture = try Self.game(steps: 100)
        // The solver writes c′ = 0, so once the challenger chooses it can never move again.
        try fixture.moved(fixture.bisect(written: 0), payer: Fixture.solver)
        let (choose, chosen) = fixture.choose(1, of: fixture.game!, at: fixture.gameOutpoint!, written: 20)
        try fixture.add(choose)
        let chosenOutpoint = OutPoint(txid: choose.txid, index: 0)
        fixture.coins[Fixture.raw(Fixture.challenger)] = Fixture.change(of: choose)
        let claim = fixture.claimAgainstSolver(at: chosenOutpoint, game: chosen)
        let refused = fixture.rejection(of: claim)
        #expect(refused == .truebitClaimOnUnconfirmedGame(outpoint: chosenOutpoint))
        #expect(refused?.isSenderAtFault == false)
        // The policy is about games: a claim's unlock on another unconfirmed output is the sender's fault.
        let misplaced = fixture.transaction(
            covenant: [(Fixture.change(of: choose), Fixture.unlock(.claimTimeout), [])], payer: Fixture.solver, outputs: [])
        #expect(fixture.rejection(of: misplaced)?.isSenderAtFault == true)
        try fixture.mineBlock([choose])
        try fixture.add(claim)
        // The solver's move after its clock ran out: a height failure, not its sender's fault.
        fixture.setGame(chosen, at: chosenOutpoint)
        let late = fixture.rejection(of: fixture.bisect(written: 0).0)
        guard case .invalid(.covenant(.clockExpired)) = late else {
            Issue.record("expected clockExpired, got \(String(describing: late))")
            return
        }
        #expect(late?.isSenderAtFault == false)

        // A move on an unconfirmed game: its range counts from the next block, the earliest the game can be mined at.
        var moves = try Self.game(steps: 100)
        let (bisect, bisected) = moves.bisect(written: 20)
        try moves.add(bisect)
        let answer = moves.choose(2, of: bisected, at: OutPoint(txid: bisect.txid, index: 0), written: 10).0
        try moves.add(answer)
        let next = moves.nextHeight
        #expect(moves.pool.entry(answer.txid)?.validHeights == ValidHeights(validFrom: next, validBelow: next + UInt64(Fixture.clock) - 10 + 1))
    }

    @Test("(finding 8) an honest commit replaces a griefer's pooled commit by fee")
    func griefersCommitIsOutbid() throws {
        var fixture = try Fixture()
        try fixture.posted()
        let griefer = fixture.commit(final: fixture.finalState(), by: Fixture.mallory, fee: Fixture.fee(2))
        try fixture.add(griefer)
        let honest = fixture.commit(final: fixture.finalState(), fee: Fixture.fee(20))
        #expect(try fixture.add(honest) == .accepted(txid: honest.txid, fee: Fixture.fee(20), evicted: [griefer.txid], adoptedOrphans: []))
    }

    @Test("(vi) heights, not rules: a pooled step copy leaves when tip + 1 reaches createdHeight + clock, without a rule run, and the claim enters")
    func stepCopyLeavesWithItsClock() throws {
        let counter = RuleCounter()
        let enshrined = CovenantRules.enshrined
        let counted = CovenantRules(identity: "counting", rules: enshrined.activeTags.map {
            CountingRule(inner: enshrined.rule(for: $0)!, counter: counter)
        })
        var fixture = try Self.game(params: ChainBuilder.fastParams().withCovenantRules(counted))
        let created = fixture.chain.tip.header.height
        let copy = fixture.step(payer: Fixture.mallory)
        let before = counter.count
        try fixture.add(copy)
        #expect(counter.count == before + 1)
        let end = created + UInt64(Fixture.clock)
        try fixture.advance(toNextHeight: end - 1)
        #expect(fixture.pooled == [copy.txid])
        #expect(counter.count == before + 1, "a new tip ran a covenant rule")
        guard case .invalid(.covenant(.notAtThisHeight)) = fixture.rejection(of: fixture.claimAgainstChallenger()) else {
            Issue.record("the claim is not valid before createdHeight + clock")
            return
        }
        try fixture.mineBlock()
        #expect(fixture.pooled.isEmpty)
        try fixture.add(fixture.claimAgainstChallenger())
    }
}
