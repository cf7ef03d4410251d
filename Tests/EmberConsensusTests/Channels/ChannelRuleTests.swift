import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The channel lock rules (tags 1 and 2, DESIGN.md section 16, docs/channels.md), every mode through
/// real blocks: each test takes a valid spend and breaks one rule.
@Suite("Channel rules, every mode")
struct ChannelRuleTests {
    typealias Fixture = ChannelFixture
    static let third = Amount(coins: 3)!

    func balanceOutputs(_ state: ChannelState) -> [Output] { state.balances }

    // MARK: Creation

    @Test("a channel opens only with a window inside the network's bounds")
    func creationWindow() throws {
        var builder = ChainBuilder()
        try builder.extend(by: 1)
        let minimum = builder.params.layer2.windowMinimum
        for (window, valid) in [(minimum - 1, false), (minimum, true), (100_000, true), (100_001, false)] {
            let params = ChannelParams(keyA: Fixture.rawA, keyB: Fixture.rawB, window: UInt32(window), app: .zero)
            let funding = builder.payment(from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Fixture.amount, fee: Fixture.fee, to: .channel(params))
            let result = Result { try builder.validate(builder.makeBlock([funding])) }
            #expect(((try? result.get()) != nil) == valid, "window \(window)")
        }
    }

    @Test("no transaction creates a dispute output outside a channel spend")
    func disputeNeverCreatedFreely() throws {
        let fixture = try Fixture()
        let fake = fixture.dispute(fixture.state(version: 9, toA: Fixture.amount), deadline: 1)
        var change = fixture.change
        change.amount = change.amount.subtracting(Fixture.amount)!
        let payment = fixture.builder.spend([(fixture.sponsorCoin, Fixture.sponsor)], to: [fake, change])
        #expect(fixture.brokenRule(payment) == "creation")
    }

    // MARK: Cooperative

    func cooperativeClose(_ fixture: Fixture, signers: (SigningKey, SigningKey), domain: Layer2SignatureDomain = .channelCoop) -> Transaction {
        let outputs = fixture.state(version: 0, toA: Self.third).balances
        var transaction = fixture.spend(.cooperative, witness: Witness(items: []), outputs: outputs)
        let message = fixture.channelId.bytes + transaction.txid.bytes
        let network = fixture.builder.params.networkID
        transaction.witnesses[0] = Witness(items: [
            try! signers.0.sign(domain: domain, network: network, message: message).bytes,
            try! signers.1.sign(domain: domain, network: network, message: message).bytes,
        ])
        return transaction
    }

    @Test("a cooperative close pays any outputs with both signatures over coopHash, and nothing less")
    func cooperative() throws {
        var fixture = try Fixture()
        #expect(fixture.rejection(of: cooperativeClose(fixture, signers: (Fixture.keyA, Fixture.keyB))) == nil)
        #expect(fixture.brokenRule(cooperativeClose(fixture, signers: (Fixture.keyA, Fixture.keyA))) == "signature")
        #expect(fixture.brokenRule(cooperativeClose(fixture, signers: (Fixture.keyB, Fixture.keyB))) == "signature")
        // A signature of another domain (a state signature over the same bytes) does not close.
        #expect(fixture.brokenRule(cooperativeClose(fixture, signers: (Fixture.keyA, Fixture.keyB), domain: .channelState)) == "signature")
        // Signatures over another transaction do not close this one.
        var moved = cooperativeClose(fixture, signers: (Fixture.keyA, Fixture.keyB))
        let original = moved
        moved.outputs[0].amount = moved.outputs[0].amount.subtracting(Amount(units: 1))!
        moved.outputs[1].amount = moved.outputs[1].amount.adding(Amount(units: 1))!
        moved = fixture.builder.sign(moved, keys: [])
        moved.witnesses = original.witnesses
        moved.witnesses[1] = Witness(items: [try Fixture.sponsor.sign(txid: moved.txid, network: fixture.builder.params.networkID).bytes])
        #expect(fixture.brokenRule(moved) == "signature")
        // Also from a dispute.
        try fixture.openDispute(fixture.state(version: 1, toA: Self.third))
        #expect(fixture.rejection(of: cooperativeClose(fixture, signers: (Fixture.keyA, Fixture.keyB))) == nil)
    }

    // MARK: Conclude

    @Test("conclude pins the balances of a co-signed final state")
    func conclude() throws {
        let fixture = try Fixture()
        let final = fixture.state(version: 5, toA: Self.third, isFinal: true)
        #expect(fixture.rejection(of: fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: final.balances)) == nil)
        let open = fixture.state(version: 5, toA: Self.third)
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: fixture.coSigned(open), outputs: open.balances)) == "conclude")
        var offByOne = final.balances
        offByOne[0].amount = offByOne[0].amount.subtracting(Amount(units: 1))!
        offByOne[1].amount = offByOne[1].amount.adding(Amount(units: 1))!
        guard case .covenant(.pinnedOutputDiffers) = fixture.rejection(of: fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: offByOne)) else {
            Issue.record("pinned outputs one unit off were accepted")
            return
        }
        var onlyA = fixture.coSigned(final)
        onlyA.items[2] = fixture.signature(Fixture.keyA, of: final)
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: onlyA, outputs: final.balances)) == "signature")
    }

    @Test("a conclude may end a dispute only with a version at least the dispute's")
    func concludeOnDispute() throws {
        var fixture = try Fixture()
        try fixture.openDispute(fixture.state(version: 6, toA: Self.third))
        let older = fixture.state(version: 5, toA: Fixture.amount, isFinal: true)
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: fixture.coSigned(older), outputs: older.balances)) == "conclude")
        let same = fixture.state(version: 6, toA: Self.third, isFinal: true)
        #expect(fixture.rejection(of: fixture.spend(.conclude, witness: fixture.coSigned(same), outputs: same.balances)) == nil)
    }

    // MARK: Well-formed states

    @Test("a state of another channel, another network, or with bad balances is refused",
          arguments: ["other channel", "other network", "sum short", "sum over", "below dust", "locked output", "output with data",
                      "covenant balance", "no balances"])
    func malformedStates(variant: String) throws {
        let fixture = try Fixture()
        var state = fixture.state(version: 3, toA: Self.third, isFinal: true)
        var witness: Witness?
        switch variant {
        case "other channel": state.channelId = Blake3.hash([1])
        case "other network":
            witness = Witness(items: [state.encoded, fixture.signature(Fixture.keyA, of: state, network: .testnet),
                                      fixture.signature(Fixture.keyB, of: state, network: .testnet)])
        case "sum short": state.balances[0].amount = state.balances[0].amount.subtracting(Amount(units: 1))!
        case "sum over": state.balances[0].amount = state.balances[0].amount.adding(Amount(units: 1))!
        case "below dust":
            state.balances[0].amount = Amount(units: 1)
            state.balances[1].amount = Fixture.amount.subtracting(Amount(units: 1))!
        case "locked output": state.balances[0].lockTime = 1
        case "output with data": state.balances[0].data = [1]
        case "covenant balance": state.balances[0].lock = .channel(fixture.params)
        case "no balances": state.balances = []
        default: Issue.record("unknown variant")
        }
        // The outputs are a valid split, so the state itself is what the rule refuses.
        let outputs = fixture.state(version: 3, toA: Self.third, isFinal: true).balances
        let transaction = fixture.spend(.conclude, witness: witness ?? fixture.coSigned(state), outputs: outputs)
        #expect(fixture.brokenRule(transaction) == (variant == "other network" ? "signature" : "state"))
    }

    @Test("a mode takes exactly its witness items and no step budget")
    func witnessShape() throws {
        let fixture = try Fixture()
        let final = fixture.state(version: 1, toA: Self.third, isFinal: true)
        var extra = fixture.coSigned(final)
        extra.items.append([])
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: extra, outputs: final.balances)) == "witness")
        #expect(fixture.brokenRule(fixture.spend(.conclude, witness: fixture.coSigned(final), outputs: final.balances, maxSteps: 1)) == "maxSteps")
        #expect(fixture.brokenRule(fixture.spend(.settle, witness: Witness(items: [final.encoded]), outputs: final.balances)) == "mode")
        #expect(fixture.brokenRule(fixture.spend(.override, witness: fixture.coSigned(final), outputs: [])) == "mode")
        #expect(fixture.brokenRule(fixture.spend(.forceMove, witness: fixture.coSigned(final), outputs: [])) == "mode")
    }

    // MARK: Dispute

    @Test("a dispute pins the state with a deadline chosen in h + W ... h + 2W")
    func disputeDeadline() throws {
        let fixture = try Fixture()
        let state = fixture.state(version: 2, toA: Self.third)
        let h = fixture.nextHeight
        let w = UInt64(Fixture.window)
        for (deadline, valid) in [(h + w - 1, false), (h + w, true), (h + 2 * w, true), (h + 2 * w + 1, false)] {
            let transaction = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: deadline)])
            let rejection = fixture.rejection(of: transaction)
            if valid {
                #expect(rejection == nil, "deadline \(deadline) at height \(h)")
            } else {
                guard case .covenant(.deadlineOutOfRange) = rejection else {
                    Issue.record("deadline \(deadline) at height \(h): \(String(describing: rejection))")
                    continue
                }
            }
        }
        let forced = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: h + w, forced: true)])
        guard case .covenant(.pinnedOutputDiffers) = fixture.rejection(of: forced) else {
            Issue.record("a dispute claiming to be forced was accepted")
            return
        }
        let noDisputeOutput = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: state.balances)
        #expect(fixture.brokenRule(noDisputeOutput) == "deadline")
    }

    // MARK: Override

    @Test("a newer co-signed state overrides before the deadline, keeping the deadline")
    func override() throws {
        var fixture = try Fixture()
        let stale = fixture.state(version: 4, toA: Fixture.amount)
        let deadline = try fixture.openDispute(stale)
        let newer = fixture.state(version: 9, toA: Self.third)
        let valid = fixture.spend(.override, witness: fixture.coSigned(newer), outputs: [fixture.dispute(newer, deadline: deadline)])
        #expect(fixture.rejection(of: valid) == nil)
        let restartsWindow = fixture.spend(.override, witness: fixture.coSigned(newer), outputs: [fixture.dispute(newer, deadline: deadline + 1)])
        guard case .covenant(.pinnedOutputDiffers) = fixture.rejection(of: restartsWindow) else {
            Issue.record("an override that moves the deadline was accepted")
            return
        }
        for version: UInt64 in [3, 4] {
            let older = fixture.state(version: version, toA: Self.third)
            let transaction = fixture.spend(.override, witness: fixture.coSigned(older), outputs: [fixture.dispute(older, deadline: deadline)])
            #expect(fixture.brokenRule(transaction) == "override", "version \(version)")
        }
        // The last height before the deadline still overrides; the deadline itself does not.
        try fixture.advance(toNextHeight: deadline - 1)
        #expect(fixture.rejection(of: valid) == nil)
        try fixture.advance(toNextHeight: deadline)
        #expect(fixture.brokenRule(valid) == "deadline")
    }

    // MARK: Settle

    @Test("anyone settles the disputed state from the deadline on, and only that state")
    func settle() throws {
        var fixture = try Fixture()
        let state = fixture.state(version: 4, toA: Self.third)
        let deadline = try fixture.openDispute(state)
        let settle = fixture.spend(.settle, witness: Witness(items: [state.encoded]), outputs: state.balances)
        try fixture.advance(toNextHeight: deadline - 1)
        #expect(fixture.brokenRule(settle) == "deadline")
        try fixture.advance(toNextHeight: deadline)
        #expect(fixture.rejection(of: settle) == nil)
        let other = fixture.state(version: 4, toA: Fixture.amount)
        #expect(fixture.brokenRule(fixture.spend(.settle, witness: Witness(items: [other.encoded]), outputs: other.balances)) == "settle")
        try fixture.confirm(settle, channelOutput: nil)
        #expect(fixture.builder.utxos.unspentOutput(at: OutPoint(txid: settle.txid, index: 0))?.output == state.balances[0])
    }

    // MARK: Force-move

    func forceMoveSpend(
        _ fixture: Fixture, old: ChannelState, new: ChannelState, mover: SigningKey, deadline: UInt64, program: [UInt8] = Fixture.acceptAll,
        maxSteps: UInt32 = 16
    ) -> Transaction {
        fixture.spend(
            .forceMove, witness: Witness(items: [old.encoded, new.encoded, fixture.signature(mover, of: new)]),
            outputs: [fixture.dispute(new, deadline: deadline, forced: true)], maxSteps: maxSteps, blobs: [program])
    }

    @Test("a force-move by the right mover, allowed by the app, pins the new state with a fresh window")
    func forceMove() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 4, toA: Self.third)
        let deadline = try fixture.openDispute(old)
        let new = fixture.state(version: 5, toA: Fixture.amount)
        let fresh = fixture.nextHeight + UInt64(Fixture.window)
        #expect(fixture.rejection(of: forceMoveSpend(fixture, old: old, new: new, mover: Fixture.keyA, deadline: fresh)) == nil)
        // Version 5 is A's move: B's signature does not move it.
        #expect(fixture.brokenRule(forceMoveSpend(fixture, old: old, new: new, mover: Fixture.keyB, deadline: fresh)) == "signature")
        // The old deadline is not a fresh one.
        guard case .covenant(.deadlineOutOfRange) = fixture.rejection(of: forceMoveSpend(fixture, old: old, new: new, mover: Fixture.keyA, deadline: deadline)) else {
            Issue.record("a force-move keeping the old deadline was accepted")
            return
        }
        let skip = fixture.state(version: 6, toA: Fixture.amount)
        #expect(fixture.brokenRule(forceMoveSpend(fixture, old: old, new: skip, mover: Fixture.keyB, deadline: fresh)) == "forceMove")
        let notDisputed = fixture.state(version: 4, toA: Fixture.amount)
        #expect(fixture.brokenRule(forceMoveSpend(fixture, old: notDisputed, new: new, mover: Fixture.keyA, deadline: fresh)) == "forceMove")
        var finalMove = new
        finalMove.isFinal = true
        #expect(fixture.brokenRule(forceMoveSpend(fixture, old: old, new: finalMove, mover: Fixture.keyA, deadline: fresh)) == "forceMove")

        var refusing = try Fixture(app: Fixture.refuseAll)
        let refusedOld = refusing.state(version: 4, toA: Self.third)
        try refusing.openDispute(refusedOld)
        let refusedMove = forceMoveSpend(
            refusing, old: refusedOld, new: refusing.state(version: 5, toA: Fixture.amount), mover: Fixture.keyA,
            deadline: refusing.nextHeight + UInt64(Fixture.window), program: Fixture.refuseAll)
        guard case .covenant(.programRunFailed) = refusing.rejection(of: refusedMove) else {
            Issue.record("a move the app refuses was accepted")
            return
        }
    }

    @Test("the dispute output a spend pins must exist where firstOutput points, checked before any run")
    func disputeOutputPosition() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let state = fixture.state(version: 1, toA: Self.third)
        let outOfRange = fixture.spend(
            .dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: fixture.nextHeight + 4)], firstOutput: 2)
        guard case .covenant(.pinnedRangeOutOfBounds) = fixture.rejection(of: outOfRange) else {
            Issue.record("a firstOutput past the outputs was accepted")
            return
        }
        try fixture.openDispute(state)
        let new = fixture.state(version: 2, toA: Fixture.amount)
        var wrongAmount = fixture.dispute(new, deadline: fixture.nextHeight + 4, forced: true)
        wrongAmount.amount = wrongAmount.amount.subtracting(Amount(units: 1))!
        let move = fixture.spend(
            .forceMove, witness: Witness(items: [state.encoded, new.encoded, fixture.signature(Fixture.keyB, of: new)]),
            outputs: [wrongAmount], maxSteps: 16, blobs: [Fixture.acceptAll])
        guard case .covenant(.pinnedOutputDiffers) = fixture.rejection(of: move) else {
            Issue.record("a force-move pinning a wrong amount was accepted")
            return
        }
    }

    @Test("force-move needs an app, the app's program, a step budget, time left and an old state that is not final")
    func forceMoveLimits() throws {
        var payments = try Fixture()
        let old = payments.state(version: 2, toA: Self.third)
        try payments.openDispute(old)
        let new = payments.state(version: 3, toA: Fixture.amount)
        let fresh = payments.nextHeight + UInt64(Fixture.window)
        #expect(payments.brokenRule(forceMoveSpend(payments, old: old, new: new, mover: Fixture.keyA, deadline: fresh)) == "forceMove")

        var game = try Fixture(app: Fixture.acceptAll)
        let gameOld = game.state(version: 2, toA: Self.third)
        let deadline = try game.openDispute(gameOld)
        let gameNew = game.state(version: 3, toA: Fixture.amount)
        let gameFresh = game.nextHeight + UInt64(Fixture.window)
        let otherProgram = forceMoveSpend(game, old: gameOld, new: gameNew, mover: Fixture.keyA, deadline: gameFresh, program: Fixture.refuseAll)
        #expect(game.brokenRule(otherProgram) == "forceMove")
        guard case .covenant(.maxStepsAboveLimit) = game.rejection(of: forceMoveSpend(
            game, old: gameOld, new: gameNew, mover: Fixture.keyA, deadline: gameFresh, maxSteps: 0)) else {
            Issue.record("a force-move without a step budget was accepted")
            return
        }
        try game.advance(toNextHeight: deadline)
        let late = forceMoveSpend(game, old: gameOld, new: gameNew, mover: Fixture.keyA, deadline: game.nextHeight + UInt64(Fixture.window))
        #expect(game.brokenRule(late) == "deadline")

        var finalGame = try Fixture(app: Fixture.acceptAll)
        let final = finalGame.state(version: 2, toA: Self.third, isFinal: true)
        try finalGame.openDispute(final)
        let after = finalGame.state(version: 3, toA: Fixture.amount)
        let move = forceMoveSpend(finalGame, old: final, new: after, mover: Fixture.keyA, deadline: finalGame.nextHeight + UInt64(Fixture.window))
        #expect(finalGame.brokenRule(move) == "forceMove")

        var lastVersion = try Fixture(app: Fixture.acceptAll)
        let maximal = lastVersion.state(version: .max, toA: Self.third)
        try lastVersion.openDispute(maximal)
        var wrapped = lastVersion.state(version: 0, toA: Fixture.amount)
        wrapped.version = 0
        let wrap = forceMoveSpend(lastVersion, old: maximal, new: wrapped, mover: Fixture.keyB, deadline: lastVersion.nextHeight + UInt64(Fixture.window))
        #expect(lastVersion.brokenRule(wrap) == "forceMove")
    }

    @Test("a co-signed state of the same version overrides a forced move, but not a co-signed one")
    func coSignedBeatsForced() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 4, toA: Self.third)
        try fixture.openDispute(old)
        let forced = fixture.state(version: 5, toA: Fixture.amount)
        let fresh = fixture.nextHeight + UInt64(Fixture.window)
        try fixture.confirm(forceMoveSpend(fixture, old: old, new: forced, mover: Fixture.keyA, deadline: fresh), channelOutput: 0)
        let agreed = fixture.state(version: 5, toA: Self.third)
        let override = fixture.spend(.override, witness: fixture.coSigned(agreed), outputs: [fixture.dispute(agreed, deadline: fresh)])
        #expect(fixture.rejection(of: override) == nil)
        try fixture.confirm(override, channelOutput: 0)
        let again = fixture.state(version: 5, toA: Fixture.amount)
        let sameVersion = fixture.spend(.override, witness: fixture.coSigned(again), outputs: [fixture.dispute(again, deadline: fresh)])
        #expect(fixture.brokenRule(sameVersion) == "override")
    }

    // MARK: What the deletion pass found untested (docs/channel-attacks.md, the table at the end)

    @Test("every mode refuses a witness item more than it takes", arguments: ["cooperative", "dispute", "override", "settle", "forceMove"])
    func extraWitnessItem(mode: String) throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let state = fixture.state(version: 2, toA: Self.third)
        let transaction: Transaction
        switch mode {
        case "cooperative":
            transaction = cooperativeClose(fixture, signers: (Fixture.keyA, Fixture.keyB))
        case "dispute":
            transaction = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: fixture.nextHeight + 4)])
        default:
            let deadline = try fixture.openDispute(state)
            switch mode {
            case "override":
                let newer = fixture.state(version: 3, toA: Fixture.amount)
                transaction = fixture.spend(.override, witness: fixture.coSigned(newer), outputs: [fixture.dispute(newer, deadline: deadline)])
            case "settle":
                try fixture.advance(toNextHeight: deadline)
                transaction = fixture.spend(.settle, witness: Witness(items: [state.encoded]), outputs: state.balances)
            default:
                transaction = forceMoveSpend(
                    fixture, old: state, new: fixture.state(version: 3, toA: Fixture.amount), mover: Fixture.keyA,
                    deadline: fixture.nextHeight + UInt64(Fixture.window))
            }
        }
        #expect(fixture.rejection(of: transaction) == nil, "the spend without the extra item must be valid")
        var padded = transaction
        padded.witnesses[0].items.append([])
        #expect(fixture.brokenRule(padded) == "witness")
    }

    @Test("an override needs a well-formed state co-signed by A and by B")
    func overrideNeedsWellFormedCoSignedState() throws {
        var fixture = try Fixture()
        let deadline = try fixture.openDispute(fixture.state(version: 1, toA: Fixture.amount))
        var short = fixture.state(version: 5, toA: Self.third)
        short.balances[0].amount = short.balances[0].amount.subtracting(Amount(units: 1))!
        #expect(fixture.brokenRule(fixture.spend(.override, witness: fixture.coSigned(short), outputs: [fixture.dispute(short, deadline: deadline)])) == "state")
        let newer = fixture.state(version: 5, toA: Self.third)
        let outputs = [fixture.dispute(newer, deadline: deadline)]
        let sigA = fixture.signature(Fixture.keyA, of: newer), sigB = fixture.signature(Fixture.keyB, of: newer)
        #expect(fixture.brokenRule(fixture.spend(.override, witness: Witness(items: [newer.encoded, sigB, sigB]), outputs: outputs)) == "signature")
        #expect(fixture.brokenRule(fixture.spend(.override, witness: Witness(items: [newer.encoded, sigA, sigA]), outputs: outputs)) == "signature")
        #expect(fixture.rejection(of: fixture.spend(.override, witness: Witness(items: [newer.encoded, sigA, sigB]), outputs: outputs)) == nil)
    }

    @Test("a forced state must be well formed, and a dispute output is not disputed again")
    func forcedStateWellFormedAndNoSecondDispute() throws {
        let (fixture, old, new, fresh) = try Fixture.disputedGame()
        var short = new
        short.balances[0].amount = short.balances[0].amount.subtracting(Amount(units: 1))!
        #expect(fixture.brokenRule(forceMoveSpend(fixture, old: old, new: short, mover: Fixture.keyA, deadline: fresh)) == "state")
        let newer = fixture.state(version: 6, toA: Self.third)
        let again = fixture.spend(.dispute, witness: fixture.coSigned(newer), outputs: [fixture.dispute(newer, deadline: fresh)])
        #expect(fixture.brokenRule(again) == "mode")
    }

    @Test("a force-move without a step budget is refused before its signature is checked")
    func forceMoveBudgetCheckedFirst() throws {
        let (fixture, old, new, fresh) = try Fixture.disputedGame()
        // B's signature on A's move, and no budget: the budget is the cheaper check.
        let move = forceMoveSpend(fixture, old: old, new: new, mover: Fixture.keyB, deadline: fresh, maxSteps: 0)
        guard case .covenant(.maxStepsAboveLimit(input: 0, _, found: 0)) = fixture.rejection(of: move) else {
            Issue.record("a force-move without a budget got past its budget check")
            return
        }
    }
}
