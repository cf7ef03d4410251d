import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Exits and the challenges of the exit game (docs/plasma.md, modes 1–7 and 10, the invalid-history
/// challenge): each test takes a valid spend and breaks one rule.
@Suite("Plasma exit game")
struct PlasmaExitRuleTests {
    typealias F = PlasmaFixture

    // MARK: Exit

    @Test("a coin never moved exits to its depositor with no evidence")
    func exitNeverMoved() throws {
        let fixture = F()
        let lock = F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45)
        #expect(fixture.broken(fixture.exit(lock, evidence: [], reads: []), height: 30) == nil)
        var stolen = lock
        stolen.ownerKey = F.raw(F.mallory)
        #expect(fixture.broken(fixture.exit(stolen, evidence: [], reads: []), height: 30) == "exit")
        #expect(try fixture.check(fixture.exit(lock, evidence: [], reads: []), height: 30).heights == ValidHeights(validFrom: 25, validBelow: 36))
    }

    @Test("an exit from a later move proves both inclusions and the exit transaction's signature by the parent's owner")
    func exitLaterMove() {
        let fixture = F.withHistory()
        #expect(fixture.broken(fixture.carolsExit(), height: 30) == nil)
        // A proof against the wrong block: block 2's proof of the exit transaction.
        let lock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        let wrongProof = fixture.exit(
            lock, evidence: [F.toCarol.encoded, fixture.proof(in: 2), F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(3), fixture.block(1)])
        #expect(fixture.broken(wrongProof, height: 30) == "proof")
        // The right proof read against another block.
        var wrongBlock = lock
        wrongBlock.exitBlock = 2
        let againstTwo = fixture.exit(
            wrongBlock, evidence: [F.toCarol.encoded, fixture.proof(in: 3), F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(2), fixture.block(1)])
        #expect(fixture.broken(againstTwo, height: 30) == "proof")
        // Missing parent evidence.
        let short = fixture.exit(lock, evidence: [F.toCarol.encoded, fixture.proof(in: 3)], reads: [fixture.block(3)])
        #expect(fixture.broken(short, height: 30) == "witness")
        // A deadline outside h + W … h + 2W.
        #expect(fixture.broken(fixture.carolsExit(deadline: 39), height: 30) == "deadline")
        #expect(fixture.broken(fixture.carolsExit(deadline: 51), height: 30) == "deadline")
    }

    @Test("a move the parent's owner did not sign exits nothing, even when the operator included it")
    func exitForgedMove() {
        var fixture = F()
        fixture.commit(1, [F.toBob])
        let forged = F.move(parent: 1, to: F.mallory, by: F.mallory)
        fixture.commit(2, [forged])
        let lock = F.exitLock(exitTx: forged, exitBlock: 2, parentOwner: F.bob, deadline: 45)
        let exit = fixture.exit(lock, evidence: [forged.encoded, fixture.proof(in: 2), F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(2), fixture.block(1)])
        #expect(fixture.broken(exit, height: 30) == "signature")
    }

    @Test("an exit's block and parent lie at or after the coin's first block, and the parent before the exit")
    func exitBlockOrder() {
        var fixture = F.withHistory()
        var coin = F.coinLock
        coin.firstBlock = 2
        fixture.put(Output(amount: F.coinValue, lock: .plasmaCoin(coin)), at: fixture.coinOutpoint)
        var lock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        lock.firstBlock = 2
        let exit = fixture.exit(lock, evidence: [F.toCarol.encoded, fixture.proof(in: 3), F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(3), fixture.block(1)])
        #expect(fixture.broken(exit, height: 30) == "exit")
        // A first move included below the coin's first block does not exist for the coin.
        var early = F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 45)
        early.firstBlock = 2
        let fromOne = fixture.exit(early, evidence: [F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(1)])
        #expect(fixture.broken(fromOne, height: 30) == "exit")
    }

    @Test("an exit bond below the minimum is refused")
    func exitBond() {
        let fixture = F()
        let lock = F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45, bond: F.dust)
        #expect(fixture.broken(fixture.exit(lock, evidence: [], reads: []), height: 30) == "exit")
    }

    // MARK: Spent and double-spend challenges

    @Test("an exit of a coin its owner had spent is cancelled by the spend; half the bond to the spend's payee, half burnt")
    func challengeSpent() throws {
        var fixture = F.withHistory()
        // Bob exits from block 1 although he paid Carol in block 3.
        let lock = F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 45)
        let exit = fixture.placeExit(lock)
        func challenge(_ tx: ChildTransaction, block: UInt64, recipient: SigningKey = F.carol) -> Transaction {
            F.transaction(
                [(exit, F.unlock(.challengeSpent), [tx.encoded, F.u64(block), fixture.proof(in: block)])], reads: [fixture.block(block)],
                outputs: F.cancelOutputs(lock, at: exit, recipient: recipient))
        }
        let result = try fixture.check(challenge(F.toCarol, block: 3), height: 44)
        #expect(result.burnt == Amount(units: F.exitBond.units - F.exitBond.units / 2))
        #expect(fixture.broken(challenge(F.toCarol, block: 3), height: 45) == "height")
        // The half bond goes to the spend's payee, whoever submits: naming oneself does not pass.
        #expect(fixture.rejection(challenge(F.toCarol, block: 3, recipient: F.mallory), height: 44) != nil)
        // A "spend" the exit's owner did not sign.
        let fake = F.move(parent: 1, to: F.mallory, by: F.mallory)
        fixture.commit(4, [fake])
        #expect(fixture.broken(challenge(fake, block: 4, recipient: F.mallory), height: 44) == "signature")
    }

    @Test("an exit resting on a parent its owner had already spent earlier is cancelled by that double spend")
    func challengeDoubleSpend() {
        var fixture = F()
        fixture.commit(1, [F.toBob])
        let second = F.move(parent: 0, to: F.mallory, by: F.alice)
        fixture.commit(3, [second])
        // Mallory exits from block 3 with parent 0 (Alice); Alice had already paid Bob in block 1.
        let lock = F.exitLock(exitTx: second, exitBlock: 3, parentOwner: F.alice, deadline: 45)
        let exit = fixture.placeExit(lock)
        let challenge = F.transaction(
            [(exit, F.unlock(.challengeDoubleSpend), [F.toBob.encoded, F.u64(1), fixture.proof(in: 1)])], reads: [fixture.block(1)],
            outputs: F.cancelOutputs(lock, at: exit, recipient: F.bob))
        #expect(fixture.broken(challenge, height: 40) == nil)
        // A spend included after the exit's block is not a double spend of its parent.
        var late = fixture
        late.commit(4, [F.toBob])
        let after = F.transaction(
            [(exit, F.unlock(.challengeDoubleSpend), [F.toBob.encoded, F.u64(4), late.proof(in: 4)])], reads: [late.block(4)],
            outputs: F.cancelOutputs(lock, at: exit, recipient: F.bob))
        #expect(late.broken(after, height: 40) == "challengeDoubleSpend")
    }

    // MARK: Invalid history

    /// A challenge of Carol's exit (placed at 0xb0, deadline 45) naming entry `child` (0: the deposit).
    func historyChallenge(_ fixture: PlasmaFixture, exit: OutPoint, child: UInt64, entry: ChildTransaction?, respondBy: UInt64 = 50)
        -> Transaction
    {
        let lock = PlasmaChallengeLock(
            exit: exit, chainId: F.chainId, coinId: F.coinId, childBlock: child, childOwnerKey: entry?.newOwnerKey ?? F.raw(F.alice),
            limitBlock: 1, challengerKey: F.raw(F.mallory), ownerKey: F.raw(F.carol), respondBy: respondBy)
        var reads = [exit]
        var blobs = [[UInt8]]()
        if let entry {
            reads.append(fixture.block(child))
            blobs = [entry.encoded, fixture.proof(in: child)]
        }
        return F.transaction(
            [(F.outpoint(0xc9), .publicKey(F.raw(F.mallory)), [])], reads: reads,
            outputs: [Output(amount: F.exitBond, lock: .plasmaChallenge(lock))], blobs: blobs)
    }

    @Test("an invalid-history challenge reads the exit, names an earlier entry, and is answered by that entry's spend")
    func invalidHistory() throws {
        var fixture = F.withHistory()
        let exitLock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        let exit = fixture.placeExit(exitLock)
        fixture.put(Output(amount: Amount(coins: 1)!, lock: F.pkh(F.mallory)), at: F.outpoint(0xc9))
        let challenge = historyChallenge(fixture, exit: exit, child: 0, entry: nil)
        #expect(fixture.broken(challenge, height: 35) == nil)
        #expect(fixture.broken(challenge, height: 45) == "height")
        #expect(fixture.broken(historyChallenge(fixture, exit: exit, child: 0, entry: nil, respondBy: 60), height: 35) == "deadline")
        // An entry at or after the exit's parent block is not earlier history.
        #expect(fixture.broken(historyChallenge(fixture, exit: exit, child: 1, entry: F.toBob), height: 35) == "challenge")

        // The answer: Alice's spend of the deposit, included in (0, 1].
        let lock = PlasmaChallengeLock(
            exit: exit, chainId: F.chainId, coinId: F.coinId, childBlock: 0, childOwnerKey: F.raw(F.alice), limitBlock: 1,
            challengerKey: F.raw(F.mallory), ownerKey: F.raw(F.carol), respondBy: 50)
        let placed = F.outpoint(0xb1)
        fixture.put(Output(amount: F.exitBond, lock: .plasmaChallenge(lock)), at: placed, height: 35)
        func answer(_ tx: ChildTransaction, block: UInt64, in world: PlasmaFixture? = nil) -> Transaction {
            let world = world ?? fixture
            return F.transaction(
                [(placed, F.unlock(.answer), [tx.encoded, F.u64(block), world.proof(in: block)])], reads: [world.block(block)],
                outputs: [Output(amount: Amount(units: F.exitBond.units / 2), lock: F.pkh(F.carol))])
        }
        #expect(fixture.broken(answer(F.toBob, block: 1), height: 49) == nil)
        #expect(fixture.broken(answer(F.toBob, block: 1), height: 50) == "height")
        // A spend included after the limit block, or not a spend of the named entry, does not answer.
        #expect(fixture.broken(answer(F.toCarol, block: 3), height: 49) == "answer")
        var late = fixture
        late.commit(4, [F.toBob])
        #expect(late.broken(answer(F.toBob, block: 4, in: late), height: 49) == "answer")
        // A spend of the entry its owner did not sign does not answer, even when a block includes it.
        var forged = fixture
        let fake = F.move(parent: 0, to: F.carol, by: F.mallory)
        forged.commit(1, [fake])
        #expect(forged.broken(answer(fake, block: 1, in: forged), height: 49) == "signature")

        // Unanswered: from respondBy on, the exit is cancelled with its own challenge.
        let cancel = F.transaction(
            [(exit, F.unlock(.cancel), []), (placed, F.unlock(.cancel, firstOutput: 3), [])],
            outputs: F.cancelOutputs(exitLock, at: exit, recipient: F.alice) + [Output(amount: F.exitBond, lock: F.pkh(F.mallory))])
        #expect(fixture.broken(cancel, height: 50) == nil)
        #expect(fixture.broken(cancel, height: 49) == "height")
        // Someone else's challenge cancels nothing.
        var other = fixture
        var foreign = lock
        foreign.exit = F.outpoint(0xbf)
        other.put(Output(amount: F.exitBond, lock: .plasmaChallenge(foreign)), at: placed, height: 35)
        #expect(other.broken(cancel, height: 50) == "cancel")

        // Once the exit is closed, the challenge's bond comes back with the marker read.
        let marker = F.outpoint(0xb2)
        fixture.put(F.marker(exitLock, at: exit), at: marker, height: 60)
        let refund = F.transaction(
            [(placed, F.unlock(.reclaimChallenge), [])], reads: [marker], outputs: [Output(amount: F.exitBond, lock: F.pkh(F.mallory))])
        #expect(fixture.broken(refund, height: 60) == nil)
        var noMarker = refund
        noMarker.reads = []
        #expect(fixture.broken(noMarker, height: 60) == "reclaimChallenge")
    }

    // MARK: Finalize, preempt, sweep

    @Test("finalize pays the owner the coin and the bond from deadline + 3 · exitWindow, leaving a marker")
    func finalize() {
        var fixture = F.withHistory()
        let lock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        let exit = fixture.placeExit(lock)
        let finalize = F.transaction(
            [(exit, F.unlock(.finalize), [])], outputs: [Output(amount: F.coinValue.adding(F.exitBond)!, lock: F.pkh(F.carol)), F.marker(lock, at: exit)])
        #expect(fixture.broken(finalize, height: 74) == "height")
        #expect(fixture.broken(finalize, height: 75) == nil)
    }

    @Test("an exit from an older entry preempts a later one; the displaced owner gets its bond back")
    func preempt() {
        var fixture = F()
        fixture.commit(1, [F.toBob])
        // The operator forges a move of Bob's coin to Mallory in block 2 and Mallory moves it on in block 3.
        let forged = F.move(parent: 1, to: F.mallory, by: F.mallory)
        let onward = F.move(parent: 2, to: F.mallory, by: F.mallory)
        fixture.commit(2, [forged])
        fixture.commit(3, [onward])
        let thief = F.exitLock(exitTx: onward, exitBlock: 3, parentOwner: F.mallory, deadline: 45)
        let exit = fixture.placeExit(thief)
        let bobs = F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 52)
        func preempt(_ lock: PlasmaExitLock, evidence: [[UInt8]], reads: [OutPoint]) -> Transaction {
            F.transaction(
                [(exit, F.unlock(.preempt), evidence)], reads: reads,
                outputs: [F.exitOutput(lock), Output(amount: thief.exitBond, lock: F.pkh(F.mallory)), F.marker(thief, at: exit)])
        }
        let valid = preempt(bobs, evidence: [F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(1)])
        #expect(fixture.broken(valid, height: 40) == nil)
        #expect(fixture.broken(valid, height: 45) == "height")
        // An exit that is not older does not preempt.
        let same = preempt(
            F.exitLock(exitTx: onward, exitBlock: 3, parentOwner: F.mallory, deadline: 52),
            evidence: [onward.encoded, fixture.proof(in: 3), forged.encoded, fixture.proof(in: 2)], reads: [fixture.block(3), fixture.block(2)])
        #expect(fixture.broken(same, height: 40) == "preempt")
    }

    @Test("a marker is swept from its sweepFrom, and never within a window minimum of its creation")
    func sweep() {
        var fixture = F()
        let lock = F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45)
        let marker = F.outpoint(0xb3)
        fixture.put(F.marker(lock, at: F.outpoint(0xb0)), at: marker, height: 60)
        let sweep = F.transaction([(marker, F.unlock(.sweep), [])], outputs: [])
        #expect(fixture.broken(sweep, height: 94) == "height")
        #expect(fixture.broken(sweep, height: 95) == nil)
        fixture.put(F.marker(lock, at: F.outpoint(0xb0)), at: marker, height: 94)
        #expect(fixture.broken(sweep, height: 95) == "height")
        #expect(fixture.broken(sweep, height: 96) == nil)
    }
}
