import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The attacks of docs/channel-attacks.md that the channel rules stop, each through real blocks and
/// named after the attack; what ChannelRuleTests already shows is not repeated here (the table at the
/// end of docs/channel-attacks.md says which test covers which finding and rule).
@Suite("Channel attacks")
struct ChannelAttackTests {
    typealias Fixture = ChannelFixture
    static let third = Amount(coins: 3)!
    static var window: UInt64 { UInt64(Fixture.window) }

    // MARK: Helpers

    /// Opens a second channel with the same parameters (funded by seed 6) and makes the fixture spend it;
    /// returns the first channel's outpoint and id.
    static func openSecondChannel(_ fixture: inout Fixture) throws -> (OutPoint, Hash32) {
        let first = (fixture.channel, fixture.channelId)
        let builder = fixture.builder
        let funding = builder.payment(
            from: builder.seedOutPoint(6), key: .devnet(index: 6), amount: Fixture.amount, fee: Fixture.fee, to: .channel(fixture.params))
        try fixture.builder.append(fixture.builder.makeBlock([funding]))
        fixture.channel = OutPoint(txid: funding.txid, index: 0)
        fixture.channelId = fixture.params.channelId(network: builder.params.networkID, funding: fixture.channel)
        return first
    }

    /// Puts both coop signatures of `signers` over this transaction's coopHash into witness `input`.
    static func coSignCoop(_ transaction: Transaction, input: Int, channelId: Hash32, network: NetworkID) -> Transaction {
        var signed = transaction
        let message = channelId.bytes + transaction.txid.bytes
        signed.witnesses[input] = Witness(items: [
            try! Fixture.keyA.sign(domain: .channelCoop, network: network, message: message).bytes,
            try! Fixture.keyB.sign(domain: .channelCoop, network: network, message: message).bytes,
        ])
        return signed
    }

    static func unlock(_ mode: CovenantUnlock.ChannelMode, firstOutput: UInt64 = 0, maxSteps: UInt32 = 0) -> Unlock {
        .channel(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput, maxSteps: maxSteps))
    }

    func forceMove(
        _ fixture: Fixture, old: ChannelState, new: ChannelState, mover: SigningKey, deadline: UInt64, program: [UInt8] = Fixture.acceptAll,
        pinned: Output? = nil
    ) -> Transaction {
        fixture.spend(
            .forceMove, witness: Witness(items: [old.encoded, new.encoded, fixture.signature(mover, of: new)]),
            outputs: [pinned ?? fixture.dispute(new, deadline: deadline, forced: true)], maxSteps: 16, blobs: [program])
    }

    func heights(_ fixture: Fixture, _ transaction: Transaction) throws -> ValidHeights {
        try fixture.builder.params.checkConnectWithHeights(
            transaction, digests: transaction.digests, view: fixture.builder.utxos, height: fixture.nextHeight,
            blockTimestamp: fixture.builder.nowMs).heights
    }

    // MARK: 1, 23. Heights

    @Test("attacks 1 and 23: each mode reports exactly the heights it holds for, so nobody need run it again on a new tip")
    func validHeightsPerMode() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let w = Self.window
        let old = fixture.state(version: 2, toA: Self.third)
        let h = fixture.nextHeight
        let chosen = h + 2 * w - 1
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(old), outputs: [fixture.dispute(old, deadline: chosen)])
        // h + W ≤ D′ ≤ h + 2W ⇔ D′ − 2W ≤ h ≤ D′ − W.
        #expect(try heights(fixture, dispute) == ValidHeights(validFrom: chosen - 2 * w, validBelow: chosen - w + 1))
        let final = fixture.state(version: 9, toA: Self.third, isFinal: true)
        #expect(try heights(fixture, fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: final.balances)) == .unbounded)
        try fixture.confirm(dispute, channelOutput: 0)

        let newer = fixture.state(version: 3, toA: Fixture.amount)
        let override = fixture.spend(.override, witness: fixture.coSigned(newer), outputs: [fixture.dispute(newer, deadline: chosen)])
        #expect(try heights(fixture, override) == ValidHeights(validBelow: chosen))
        // A force-move holds while its fresh deadline is a chosen one and the old deadline has not come:
        // early on, the fresh deadline ends it first; at the last height, the old deadline does.
        let moved = fixture.state(version: 3, toA: Fixture.amount)
        let early = fixture.nextHeight + w
        #expect(early - w + 1 < chosen)
        let earlyMove = forceMove(fixture, old: old, new: moved, mover: Fixture.keyA, deadline: early)
        #expect(try heights(fixture, earlyMove) == ValidHeights(validFrom: early - 2 * w, validBelow: early - w + 1))
        try fixture.advance(toNextHeight: chosen - 1)
        let late = fixture.nextHeight + 2 * w
        let lateMove = forceMove(fixture, old: old, new: moved, mover: Fixture.keyA, deadline: late)
        #expect(try heights(fixture, lateMove) == ValidHeights(validFrom: late - 2 * w, validBelow: chosen))
        try fixture.advance(toNextHeight: chosen)
        let settle = fixture.spend(.settle, witness: Witness(items: [old.encoded]), outputs: old.balances)
        #expect(try heights(fixture, settle) == ValidHeights(validFrom: chosen))
    }

    @Test("attack 23: a dispute moved by a reorganisation to an earlier height stays valid while its deadline is a chosen one")
    func disputeAcrossReorganisation() throws {
        let fixture = try Fixture()
        let state = fixture.state(version: 1, toA: Self.third)
        let h = fixture.nextHeight
        // Chosen for a block at h + 5: the earliest deadline there, the latest at h + 5 − W.
        let chosen = h + 5 + Self.window
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: chosen)])
        guard case .covenant(.deadlineOutOfRange) = fixture.rejection(of: dispute) else {
            Issue.record("a deadline more than 2W ahead was accepted")
            return
        }
        var later = fixture
        try later.advance(toNextHeight: chosen - 2 * Self.window)
        #expect(later.rejection(of: dispute) == nil)
        try later.advance(toNextHeight: chosen - Self.window)
        #expect(later.rejection(of: dispute) == nil)
        try later.advance(toNextHeight: chosen - Self.window + 1)
        guard case .covenant(.deadlineOutOfRange) = later.rejection(of: dispute) else {
            Issue.record("a dispute past its last height was accepted")
            return
        }
    }

    // MARK: 5, 6. The pinned output and check order

    @Test("attack 5: a firstOutput far past the outputs, or a dispute output with a lock time or data, is refused without a trap")
    func pinnedOutputOutOfReach() throws {
        let fixture = try Fixture()
        let state = fixture.state(version: 1, toA: Self.third)
        let deadline = fixture.nextHeight + Self.window
        let huge = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: deadline)], firstOutput: .max)
        guard case .covenant(.pinnedRangeOutOfBounds) = fixture.rejection(of: huge) else {
            Issue.record("firstOutput 2^64 − 1 was accepted")
            return
        }
        var timeLocked = fixture.dispute(state, deadline: deadline)
        timeLocked.lockTime = 1
        var carrying = fixture.dispute(state, deadline: deadline)
        carrying.data = [0]
        for output in [timeLocked, carrying] {
            guard case .covenant(.pinnedOutputDiffers) = fixture.rejection(of: fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [output])) else {
                Issue.record("a dispute output with a lock time or data was accepted")
                continue
            }
        }
    }

    @Test("attack 6: a force-move with a wrong pinned output or a wrong mover signature fails before its program runs")
    func programRunsLast() throws {
        // The app refuses every move: had it run, the rejection would be a failed run.
        let (fixture, old, new, fresh) = try Fixture.disputedGame(app: Fixture.refuseAll)
        var short = fixture.dispute(new, deadline: fresh, forced: true)
        short.amount = short.amount.subtracting(Amount(units: 1))!
        let wrongPin = forceMove(fixture, old: old, new: new, mover: Fixture.keyA, deadline: fresh, program: Fixture.refuseAll, pinned: short)
        guard case .covenant(.pinnedOutputDiffers) = fixture.rejection(of: wrongPin) else {
            Issue.record("the program ran before the pinned output was compared")
            return
        }
        let wrongMover = forceMove(fixture, old: old, new: new, mover: Fixture.keyB, deadline: fresh, program: Fixture.refuseAll)
        #expect(fixture.brokenRule(wrongMover) == "signature")
        let unknownProgram = forceMove(fixture, old: old, new: new, mover: Fixture.keyA, deadline: fresh, program: Fixture.acceptAll)
        #expect(fixture.brokenRule(unknownProgram) == "forceMove")
        guard case .covenant(.programRunFailed) = fixture.rejection(of: forceMove(
            fixture, old: old, new: new, mover: Fixture.keyA, deadline: fresh, program: Fixture.refuseAll)) else {
            Issue.record("the refusing app did not run on a move that passed every other check")
            return
        }
    }

    // MARK: 7. Freeze length

    @Test("attack 7: the disputer and every mover may choose up to 2W, and no more")
    func freezeUpToTwoWindows() throws {
        let (fixture, old, new, _) = try Fixture.disputedGame()
        let latest = fixture.nextHeight + 2 * Self.window
        #expect(fixture.rejection(of: forceMove(fixture, old: old, new: new, mover: Fixture.keyA, deadline: latest)) == nil)
        guard case .covenant(.deadlineOutOfRange) = fixture.rejection(of: forceMove(fixture, old: old, new: new, mover: Fixture.keyA, deadline: latest + 1)) else {
            Issue.record("a force-move freezing the channel past 2W was accepted")
            return
        }
    }

    // MARK: 9, 10, 22. Closing

    @Test("attack 9: after a stale dispute front-runs a cooperative close, conclude still ends it and the close's signatures do not")
    func coopFrontRunAnsweredByConclude() throws {
        var fixture = try Fixture()
        let network = fixture.builder.params.networkID
        let coop = Self.coSignCoop(
            fixture.spend(.cooperative, witness: Witness(items: []), outputs: fixture.state(version: 0, toA: Self.third).balances),
            input: 0, channelId: fixture.channelId, network: network)
        #expect(fixture.rejection(of: coop) == nil)
        try fixture.openDispute(fixture.state(version: 3, toA: Fixture.amount))
        // The close's signatures bind its txid, not a spend of the dispute.
        var reused = fixture.spend(.cooperative, witness: Witness(items: []), outputs: fixture.state(version: 0, toA: Self.third).balances)
        reused.witnesses[0] = coop.witnesses[0]
        #expect(fixture.brokenRule(reused) == "signature")
        let final = fixture.state(version: 10, toA: Self.third, isFinal: true)
        #expect(fixture.rejection(of: fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: final.balances)) == nil)
    }

    @Test("attack 10: in a payment channel Alice answers once: an older override after hers fails and the settle pays her state")
    func paymentChannelAnsweredOnce() throws {
        var fixture = try Fixture()
        let deadline = try fixture.openDispute(fixture.state(version: 1, toA: Fixture.amount))
        let latest = fixture.state(version: 10, toA: Self.third)
        try fixture.confirm(
            fixture.spend(.override, witness: fixture.coSigned(latest), outputs: [fixture.dispute(latest, deadline: deadline)]), channelOutput: 0)
        let older = fixture.state(version: 9, toA: Fixture.amount)
        #expect(fixture.brokenRule(fixture.spend(.override, witness: fixture.coSigned(older), outputs: [fixture.dispute(older, deadline: deadline)])) == "override")
        try fixture.advance(toNextHeight: deadline)
        let stale = fixture.state(version: 1, toA: Fixture.amount)
        #expect(fixture.brokenRule(fixture.spend(.settle, witness: Witness(items: [stale.encoded]), outputs: stale.balances)) == "settle")
        #expect(fixture.rejection(of: fixture.spend(.settle, witness: Witness(items: [latest.encoded]), outputs: latest.balances)) == nil)
    }

    @Test("attack 22: a final co-signed state concludes over a forced move of its version, even after the deadline")
    func concludeBeatsForcedMove() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 10, toA: Self.third)
        try fixture.openDispute(old)
        let forced = fixture.state(version: 11, toA: Fixture.amount)
        let fresh = fixture.nextHeight + Self.window
        try fixture.confirm(forceMove(fixture, old: old, new: forced, mover: Fixture.keyA, deadline: fresh), channelOutput: 0)
        try fixture.advance(toNextHeight: fresh + 1)
        let final = fixture.state(version: 11, toA: Self.third, isFinal: true)
        #expect(fixture.rejection(of: fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: final.balances)) == nil)
        let notFinal = fixture.state(version: 11, toA: Self.third)
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: fixture.coSigned(notFinal), outputs: notFinal.balances)) == "conclude")
    }

    // MARK: 11. Deadline edges

    @Test("attack 11: a force-move at the last height before the deadline takes any fresh deadline in [h + W, h + 2W]")
    func forceMoveAtLastHeight() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 4, toA: Self.third)
        let deadline = try fixture.openDispute(old)
        try fixture.advance(toNextHeight: deadline - 1)
        let new = fixture.state(version: 5, toA: Fixture.amount)
        let h = fixture.nextHeight
        for fresh in [h + Self.window, h + 2 * Self.window] {
            #expect(fixture.rejection(of: forceMove(fixture, old: old, new: new, mover: Fixture.keyA, deadline: fresh)) == nil, "deadline \(fresh)")
        }
    }

    @Test("attack 11: a dispute and its override fit one block; a dispute and its settle cannot")
    func disputeAndAnswerInOneBlock() throws {
        let fixture = try Fixture()
        let stale = fixture.state(version: 1, toA: Fixture.amount)
        let deadline = fixture.nextHeight + Self.window
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(stale), outputs: [fixture.dispute(stale, deadline: deadline)])
        var answering = fixture
        answering.channel = OutPoint(txid: dispute.txid, index: 0)
        let latest = fixture.state(version: 10, toA: Self.third)
        let sponsor = (fixture.builder.seedOutPoint(5), SigningKey.devnet(index: 5))
        let override = answering.spend(
            .override, witness: fixture.coSigned(latest), outputs: [fixture.dispute(latest, deadline: deadline)], sponsor: sponsor)
        #expect(throws: Never.self) { try fixture.builder.validate(fixture.builder.makeBlock([dispute, override])) }
        let settle = answering.spend(.settle, witness: Witness(items: [stale.encoded]), outputs: stale.balances, sponsor: sponsor)
        #expect(throws: BlockRejection.self) { try fixture.builder.validate(fixture.builder.makeBlock([dispute, settle])) }
    }

    // MARK: 12, 13. Versions

    @Test("attack 12: versions end at 2^64 − 1: a forced move reaches it, a co-signed state of it overrides that once")
    func lastVersion() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: .max - 1, toA: Self.third)
        try fixture.openDispute(old)
        let last = fixture.state(version: .max, toA: Fixture.amount)
        let fresh = fixture.nextHeight + Self.window
        // 2^64 − 1 is odd: A's move.
        try fixture.confirm(forceMove(fixture, old: old, new: last, mover: Fixture.keyA, deadline: fresh), channelOutput: 0)
        let agreed = fixture.state(version: .max, toA: Self.third)
        let override = fixture.spend(.override, witness: fixture.coSigned(agreed), outputs: [fixture.dispute(agreed, deadline: fresh)])
        #expect(fixture.rejection(of: override) == nil)
        try fixture.confirm(override, channelOutput: 0)
        let again = fixture.state(version: .max, toA: Fixture.amount)
        #expect(fixture.brokenRule(fixture.spend(.override, witness: fixture.coSigned(again), outputs: [fixture.dispute(again, deadline: fresh)])) == "override")
    }

    @Test("attack 13: over a forced move, an older co-signed state neither overrides nor concludes; a final one of its version concludes")
    func forcedMoveVersions() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 6, toA: Self.third)
        try fixture.openDispute(old)
        let forced = fixture.state(version: 7, toA: Fixture.amount)
        let fresh = fixture.nextHeight + Self.window
        try fixture.confirm(forceMove(fixture, old: old, new: forced, mover: Fixture.keyA, deadline: fresh), channelOutput: 0)
        let older = fixture.state(version: 6, toA: Self.third)
        #expect(fixture.brokenRule(fixture.spend(.override, witness: fixture.coSigned(older), outputs: [fixture.dispute(older, deadline: fresh)])) == "override")
        let olderFinal = fixture.state(version: 6, toA: Self.third, isFinal: true)
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: fixture.coSigned(olderFinal), outputs: olderFinal.balances)) == "conclude")
        let final = fixture.state(version: 7, toA: Self.third, isFinal: true)
        #expect(fixture.rejection(of: fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: final.balances)) == nil)
    }

    // MARK: 14. Replay

    @Test("attack 14: a state of one channel does not dispute another with the same parameters, nor a channel spliced from it")
    func replayAcrossChannels() throws {
        var fixture = try Fixture()
        let network = fixture.builder.params.networkID
        let first = try Self.openSecondChannel(&fixture)
        let secondId = fixture.channelId
        fixture.channelId = first.1
        let ofFirst = fixture.state(version: 5, toA: Self.third)
        fixture.channelId = secondId
        let replayed = fixture.spend(.dispute, witness: fixture.coSigned(ofFirst), outputs: [fixture.dispute(ofFirst, deadline: fixture.nextHeight + Self.window)])
        #expect(fixture.brokenRule(replayed) == "state")

        // A splice: the first channel closes cooperatively into a new channel with the same parameters.
        fixture.channel = first.0
        fixture.channelId = first.1
        let splice = Self.coSignCoop(
            fixture.spend(.cooperative, witness: Witness(items: []), outputs: [Output(amount: Fixture.amount, lock: .channel(fixture.params))]),
            input: 0, channelId: first.1, network: network)
        try fixture.confirm(splice, channelOutput: 0)
        fixture.channelId = fixture.params.channelId(network: network, funding: fixture.channel)
        let onSplice = fixture.spend(.dispute, witness: fixture.coSigned(ofFirst), outputs: [fixture.dispute(ofFirst, deadline: fixture.nextHeight + Self.window)])
        #expect(fixture.brokenRule(onSplice) == "state")
    }

    @Test("attack 14: coop signatures are no state signatures, a mover's signature is one party's only, a final state disputes")
    func replayAcrossDomains() throws {
        let fixture = try Fixture()
        let network = fixture.builder.params.networkID
        let state = fixture.state(version: 5, toA: Self.third)
        let deadline = fixture.nextHeight + Self.window
        let outputs = [fixture.dispute(state, deadline: deadline)]
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: outputs)
        // Coop signatures over this very transaction, offered as state signatures.
        let coop = Self.coSignCoop(dispute, input: 0, channelId: fixture.channelId, network: network).witnesses[0].items
        #expect(fixture.brokenRule(fixture.spend(.dispute, witness: Witness(items: [state.encoded] + coop), outputs: outputs)) == "signature")
        // A mover's signature is A's state signature and nothing more.
        let moverSig = fixture.signature(Fixture.keyA, of: state)
        #expect(fixture.brokenRule(fixture.spend(.dispute, witness: Witness(items: [state.encoded, moverSig, moverSig]), outputs: outputs)) == "signature")
        let final = fixture.state(version: 5, toA: Self.third, isFinal: true)
        let finalDispute = fixture.spend(.dispute, witness: fixture.coSigned(final), outputs: [fixture.dispute(final, deadline: deadline)])
        #expect(fixture.rejection(of: finalDispute) == nil)
    }

    // MARK: 15. Several channel inputs

    @Test("attack 15: two channel spends may not pin the same outputs, and are fine side by side")
    func pinnedRangesOfTwoChannels() throws {
        var fixture = try Fixture()
        let first = try Self.openSecondChannel(&fixture)
        let second = (fixture.channel, fixture.channelId)
        let stateFor = { (id: Hash32) -> ChannelState in
            var state = fixture.state(version: 2, toA: Self.third)
            state.channelId = id
            return state
        }
        var deadlines = [UInt64](), settles = [(OutPoint, Witness)]()
        for channel in [first, second] {
            fixture.channel = channel.0
            fixture.channelId = channel.1
            deadlines.append(try fixture.openDispute(stateFor(channel.1)))
            settles.append((fixture.channel, Witness(items: [stateFor(channel.1).encoded])))
        }
        try fixture.advance(toNextHeight: deadlines.max()!)
        let balances = stateFor(first.1).balances
        let builder = fixture.builder
        let sponsor = (fixture.sponsorCoin, Fixture.sponsor)
        func settleBoth(firstOutputs: (UInt64, UInt64), outputs: [Output]) -> Transaction {
            builder.covenantTransaction(
                covenant: [
                    (settles[0].0, Self.unlock(.settle, firstOutput: firstOutputs.0), settles[0].1),
                    (settles[1].0, Self.unlock(.settle, firstOutput: firstOutputs.1), settles[1].1),
                ],
                plain: [sponsor], outputs: outputs + [fixture.change])
        }
        let overlapping = settleBoth(firstOutputs: (0, 1), outputs: balances + [balances[1]])
        guard case .covenant(.pinnedRangesOverlap) = fixture.rejection(of: overlapping) else {
            Issue.record("two settles pinning one output were accepted")
            return
        }
        #expect(fixture.rejection(of: settleBoth(firstOutputs: (0, 2), outputs: balances + balances)) == nil)
    }

    @Test("attack 15: two force-moves with one app name one blob; a copy of it is an unnamed blob")
    func twoForceMovesOneBlob() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let first = try Self.openSecondChannel(&fixture)
        let second = (fixture.channel, fixture.channelId)
        var moves = [(old: ChannelState, new: ChannelState, dispute: OutPoint)]()
        for channel in [first, second] {
            fixture.channel = channel.0
            fixture.channelId = channel.1
            let old = fixture.state(version: 4, toA: Self.third)
            try fixture.openDispute(old)
            moves.append((old, fixture.state(version: 5, toA: Fixture.amount), fixture.channel))
        }
        let fresh = fixture.nextHeight + Self.window
        var inputs = [(OutPoint, Unlock, Witness)](), outputs = [Output]()
        for (index, move) in moves.enumerated() {
            fixture.channelId = move.new.channelId
            inputs.append((move.dispute, Self.unlock(.forceMove, firstOutput: UInt64(index), maxSteps: 16),
                           Witness(items: [move.old.encoded, move.new.encoded, fixture.signature(Fixture.keyA, of: move.new)])))
            outputs.append(fixture.dispute(move.new, deadline: fresh, forced: true))
        }
        let builder = fixture.builder
        let move = { (blobs: [[UInt8]]) in
            builder.covenantTransaction(covenant: inputs, plain: [(fixture.sponsorCoin, Fixture.sponsor)], outputs: outputs + [fixture.change], blobs: blobs)
        }
        #expect(fixture.rejection(of: move([Fixture.acceptAll])) == nil)
        #expect(fixture.rejection(of: move([Fixture.acceptAll, Fixture.acceptAll])) == .covenant(.unnamedBlob(index: 1)))
    }

    @Test("attack 15: a cooperative close beside another channel's dispute binds the whole transaction")
    func coopBesideDispute() throws {
        var fixture = try Fixture()
        let network = fixture.builder.params.networkID
        let first = try Self.openSecondChannel(&fixture)
        let state = fixture.state(version: 3, toA: Self.third)
        let builder = fixture.builder
        func closeAndDispute(sponsorFee: Amount) -> Transaction {
            var change = fixture.change
            change.amount = builder.utxos.unspentOutput(at: fixture.sponsorCoin)!.output.amount.subtracting(sponsorFee)!
            let unsigned = builder.covenantTransaction(
                covenant: [(first.0, Self.unlock(.cooperative), Witness(items: [])), (fixture.channel, Self.unlock(.dispute), fixture.coSigned(state))],
                plain: [(fixture.sponsorCoin, Fixture.sponsor)],
                outputs: [fixture.dispute(state, deadline: fixture.nextHeight + Self.window)] + state.balances + [change])
            return Self.coSignCoop(unsigned, input: 0, channelId: first.1, network: network)
        }
        let signed = closeAndDispute(sponsorFee: Fixture.fee)
        #expect(fixture.rejection(of: signed) == nil)
        var other = closeAndDispute(sponsorFee: Amount(units: Fixture.fee.units * 2))
        other.witnesses[0] = signed.witnesses[0]
        #expect(fixture.brokenRule(other) == "signature")
    }

    // MARK: 16, 17, 18. Outputs, amounts and step budgets

    @Test("attack 16: no spend creates a second dispute output or a dispute output of its own; a close may open a channel within the bounds")
    func fakeDisputeOutputs() throws {
        let fixture = try Fixture()
        let network = fixture.builder.params.networkID
        let state = fixture.state(version: 2, toA: Self.third)
        let pinned = fixture.dispute(state, deadline: fixture.nextHeight + Self.window)
        var change = fixture.change
        change.amount = change.amount.subtracting(Fixture.amount)!
        let copy = fixture.builder.covenantTransaction(
            covenant: [(fixture.channel, Self.unlock(.dispute), fixture.coSigned(state))], plain: [(fixture.sponsorCoin, Fixture.sponsor)],
            outputs: [pinned, pinned, change])
        #expect(fixture.brokenRule(copy) == "creation")
        let closeInto = { (output: Output) in
            Self.coSignCoop(fixture.spend(.cooperative, witness: Witness(items: []), outputs: [output]), input: 0, channelId: fixture.channelId, network: network)
        }
        #expect(fixture.brokenRule(closeInto(pinned)) == "creation")
        let minimum = fixture.builder.params.layer2.windowMinimum
        let reopened = ChannelParams(keyA: Fixture.rawA, keyB: Fixture.rawB, window: UInt32(minimum), app: .zero)
        #expect(fixture.rejection(of: closeInto(Output(amount: Fixture.amount, lock: .channel(reopened)))) == nil)
        let tooShort = ChannelParams(keyA: Fixture.rawA, keyB: Fixture.rawB, window: UInt32(minimum - 1), app: .zero)
        guard case .covenant(.windowOutOfBounds) = fixture.rejection(of: closeInto(Output(amount: Fixture.amount, lock: .channel(tooShort)))) else {
            Issue.record("a channel with a window below the minimum was opened")
            return
        }
    }

    @Test("attack 17: balances that overflow are refused without a trap, and the channel pays no fee of its own")
    func overflowAndFeeFromChannel() throws {
        var fixture = try Fixture()
        var overflowing = fixture.state(version: 2, toA: Self.third)
        overflowing.balances[0].amount = Amount(units: 1 << 127)
        overflowing.balances[1].amount = Amount(units: 1 << 127)
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(overflowing), outputs: [fixture.dispute(overflowing, deadline: fixture.nextHeight + Self.window)])
        #expect(fixture.brokenRule(dispute) == "state")
        let state = fixture.state(version: 2, toA: Self.third)
        let deadline = try fixture.openDispute(state)
        try fixture.advance(toNextHeight: deadline)
        let unsponsored = fixture.builder.covenantTransaction(
            covenant: [(fixture.channel, Self.unlock(.settle), Witness(items: [state.encoded]))], outputs: state.balances)
        guard case .feeBelowMinimum = fixture.rejection(of: unsponsored) else {
            Issue.record("a settle taking its fee from the channel was accepted")
            return
        }
    }

    @Test("attack 18: only force-move declares steps, at most 2^24", arguments: ["dispute", "override", "settle", "cooperative"])
    func stepsOutsideForceMove(mode: String) throws {
        var fixture = try Fixture()
        let state = fixture.state(version: 2, toA: Self.third)
        let transaction: Transaction
        switch mode {
        case "dispute":
            transaction = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: fixture.nextHeight + Self.window)], maxSteps: 1)
        case "cooperative":
            transaction = fixture.spend(.cooperative, witness: Witness(items: [[], []]), outputs: state.balances, maxSteps: 1)
        default:
            let deadline = try fixture.openDispute(state)
            if mode == "override" {
                let newer = fixture.state(version: 3, toA: Self.third)
                transaction = fixture.spend(.override, witness: fixture.coSigned(newer), outputs: [fixture.dispute(newer, deadline: deadline)], maxSteps: 1)
            } else {
                try fixture.advance(toNextHeight: deadline)
                transaction = fixture.spend(.settle, witness: Witness(items: [state.encoded]), outputs: state.balances, maxSteps: 1)
            }
        }
        #expect(fixture.brokenRule(transaction) == "maxSteps")
    }

    @Test("attack 18: a force-move declaring more than 2^24 steps fails the context-free rules")
    func forceMoveStepsAboveConsensusLimit() throws {
        let (fixture, old, new, fresh) = try Fixture.disputedGame()
        let move = fixture.spend(
            .forceMove, witness: Witness(items: [old.encoded, new.encoded, fixture.signature(Fixture.keyA, of: new)]),
            outputs: [fixture.dispute(new, deadline: fresh, forced: true)], maxSteps: (1 << 24) + 1,
            blobs: [Fixture.acceptAll])
        let limit = fixture.builder.params.layer2.maxStepsPerInput
        #expect(fixture.rejection(of: move) == .covenant(.maxStepsAboveLimit(input: 0, limit: limit, found: (1 << 24) + 1)))
    }

    // MARK: 19. Repeated forced moves

    @Test("attack 19: with an accept-all app each side moves in turn, never twice in a row, each move with a fresh window")
    func movesAlternate() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 8, toA: Self.third)
        try fixture.openDispute(old)
        let allToA = fixture.state(version: 9, toA: Fixture.amount)
        try fixture.confirm(forceMove(fixture, old: old, new: allToA, mover: Fixture.keyA, deadline: fixture.nextHeight + Self.window), channelOutput: 0)
        let allToB = fixture.state(version: 10, toA: .zero)
        let fresh = fixture.nextHeight + 2 * Self.window
        #expect(fixture.brokenRule(forceMove(fixture, old: allToA, new: allToB, mover: Fixture.keyA, deadline: fresh)) == "signature")
        #expect(fixture.rejection(of: forceMove(fixture, old: allToA, new: allToB, mover: Fixture.keyB, deadline: fresh)) == nil)
    }
}
