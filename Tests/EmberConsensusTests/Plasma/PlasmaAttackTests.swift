import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The attacks of docs/plasma-attacks.md, kept as tests under the names that page gives them: each
/// builds the thief's transaction and shows the rule that stops it (or the defence that wins).
@Suite("Plasma attacks")
struct PlasmaAttackTests {
    typealias F = PlasmaFixture

    /// Finding 1: the operator withholds Bob's payment and forges moves after it; Mallory exits from the
    /// forgery. Bob preempts with his older entry, the bond matched only up to 10 · β_min.
    @Test func lateAnswerAfterDeadline() {
        var fixture = F()
        fixture.commit(1, [F.toBob])
        let toCarol = F.move(parent: 1, to: F.carol, by: F.bob)  // withheld: never served
        fixture.commit(2, [toCarol])
        let garbage = F.move(parent: 2, to: F.mallory, by: F.mallory)  // not signed by Carol
        fixture.commit(3, [garbage])
        let onward = F.move(parent: 3, to: F.mallory, by: F.mallory)
        fixture.commit(4, [onward])
        // Mallory's exit rests on the garbage link: its own signature is by the garbage entry's owner.
        let hugeBond = Amount(units: F.exitBond.units * 100)
        let mallorys = F.exitLock(exitTx: onward, exitBlock: 4, parentOwner: F.mallory, deadline: 45, bond: hugeBond)
        let exitTx = F.transaction(
            [(fixture.coinOutpoint, F.unlock(.exit), [onward.encoded, fixture.proof(in: 4), garbage.encoded, fixture.proof(in: 3)])],
            reads: [fixture.block(4), fixture.block(3)], outputs: [F.exitOutput(mallorys)])
        #expect(fixture.broken(exitTx, height: 30) == nil)
        let exit = fixture.placeExit(mallorys)
        func preempt(_ lock: PlasmaExitLock) -> Transaction {
            F.transaction(
                [(exit, F.unlock(.preempt), [F.toBob.encoded, fixture.proof(in: 1)])], reads: [fixture.block(1)],
                outputs: [F.exitOutput(lock), Output(amount: hugeBond, lock: F.pkh(F.mallory)), F.marker(mallorys, at: exit)])
        }
        // Bob cannot match 100 · β_min; the cap asks 10 · β_min.
        let capped = Amount(units: F.exitBond.units * 10)
        #expect(fixture.broken(preempt(F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 50, bond: capped)), height: 31) == nil)
        let short = Amount(units: capped.units - 1)
        #expect(fixture.broken(preempt(F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 50, bond: short)), height: 31) == "preempt")
        // Edges: the preempt must come before the exit's deadline.
        #expect(fixture.broken(preempt(F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 64, bond: capped)), height: 44) == nil)
        #expect(fixture.broken(preempt(F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 65, bond: capped)), height: 45) == "height")
    }

    /// Finding 3: whoever submits a cancel, half the exit bond goes to the key the evidence names and half
    /// is burnt; a miner copying it cannot redirect the bounty.
    @Test func cancelBurnsHalfTheExitBond() throws {
        var fixture = F.withHistory()
        let bond = Amount(units: F.dust.units * 3)
        let lock = F.exitLock(exitTx: F.toBob, exitBlock: 1, parentOwner: F.alice, deadline: 45, bond: bond)
        let exit = fixture.placeExit(lock)
        let outputs = [
            Output(amount: F.coinValue, lock: .plasmaCoin(F.coinLock)), Output(amount: Amount(units: bond.units / 2), lock: F.pkh(F.carol)),
            F.marker(lock, at: exit),
        ]
        let cancel = F.transaction(
            [(exit, F.unlock(.challengeSpent), [F.toCarol.encoded, F.u64(3), fixture.proof(in: 3)])], reads: [fixture.block(3)], outputs: outputs)
        #expect(try fixture.check(cancel, height: 40).burnt == Amount(units: bond.units - bond.units / 2))
        var copied = cancel
        copied.outputs[1].lock = F.pkh(F.mallory)
        #expect(fixture.rejection(copied, height: 40) != nil)
    }

    /// Finding 12: moves the operator included before the deposit's first block do not exist for the coin.
    @Test func firstBlockVoidsPreDepositMoves() {
        var fixture = F()
        var coin = F.coinLock
        coin.firstBlock = 3
        fixture.put(Output(amount: F.coinValue, lock: .plasmaCoin(coin)), at: fixture.coinOutpoint)
        let early = F.move(parent: 0, to: F.mallory, by: F.alice)
        fixture.commit(2, [early])
        var lock = F.exitLock(exitTx: early, exitBlock: 2, parentOwner: F.alice, deadline: 45)
        lock.firstBlock = 3
        #expect(fixture.broken(fixture.exit(lock, evidence: [early.encoded, fixture.proof(in: 2)], reads: [fixture.block(2)]), height: 30) == "exit")
        // Nor can a pre-deposit move cancel the depositor's never-moved exit.
        var never = F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45)
        never.firstBlock = 3
        let exit = fixture.placeExit(never)
        let cancel = F.transaction(
            [(exit, F.unlock(.challengeSpent), [early.encoded, F.u64(2), fixture.proof(in: 2)])], reads: [fixture.block(2)],
            outputs: [Output(amount: F.coinValue, lock: .plasmaCoin(coin)), Output(amount: Amount(units: F.exitBond.units / 2), lock: F.pkh(F.mallory)), F.marker(never, at: exit)])
        #expect(fixture.broken(cancel, height: 40) == "challengeSpent")
    }

    /// Ambiguity 19: a cancel takes exactly one of the exit's own challenges.
    @Test func twoChallengesOneExit() {
        var fixture = F.withHistory()
        let exitLock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        let exit = fixture.placeExit(exitLock)
        let challenge = PlasmaChallengeLock(
            exit: exit, chainId: F.chainId, coinId: F.coinId, childBlock: 0, childOwnerKey: F.raw(F.alice), limitBlock: 1,
            challengerKey: F.raw(F.mallory), ownerKey: F.raw(F.carol), respondBy: 50)
        fixture.put(Output(amount: F.exitBond, lock: .plasmaChallenge(challenge)), at: F.outpoint(0xb1), height: 35)
        fixture.put(Output(amount: F.exitBond, lock: .plasmaChallenge(challenge)), at: F.outpoint(0xb2), height: 36)
        let refund = Output(amount: F.exitBond, lock: F.pkh(F.mallory))
        let cancel = F.transaction(
            [(exit, F.unlock(.cancel), []), (F.outpoint(0xb1), F.unlock(.cancel, firstOutput: 3), []), (F.outpoint(0xb2), F.unlock(.cancel, firstOutput: 4), [])],
            outputs: F.cancelOutputs(exitLock, at: exit, recipient: F.alice) + [refund, refund])
        #expect(fixture.broken(cancel, height: 50) == "cancel")
    }

    /// Ambiguity 20: a firstOutput past the outputs is refused before any field is read; no trap.
    @Test func pinnedOutputOutOfReach() {
        let fixture = F()
        let lock = F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45)
        for first in [UInt64(1), UInt64(UInt32.max)] {
            let exit = F.transaction([(fixture.coinOutpoint, F.unlock(.exit, firstOutput: first), [])], outputs: [F.exitOutput(lock)])
            guard case .pinnedRangeOutOfBounds? = fixture.rejection(exit, height: 30) else {
                Issue.record("firstOutput \(first) was not refused as out of bounds")
                continue
            }
        }
    }

    /// Ambiguity 21: an exit bond near 2^128 is refused by checked arithmetic, never a trap.
    @Test func exitBondNearUInt128Max() {
        let fixture = F()
        let lock = F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45, bond: Amount(units: .max))
        let exit = F.transaction(
            [(fixture.coinOutpoint, F.unlock(.exit), [])], outputs: [Output(amount: Amount(units: .max), lock: .plasmaExit(lock))])
        #expect(fixture.broken(exit, height: 30) == "exit")
    }

    /// 31: a move's signature binds network, coin and parent: replayed elsewhere it signs nothing.
    @Test func childTxReplay() {
        var fixture = F()
        let otherCoin = Blake3.hash(Array("another coin".utf8))
        let signedForOther = F.move(otherCoin, parent: 0, to: F.mallory, by: F.alice)
        let replayed = ChildTransaction(coinId: F.coinId, parentBlock: 0, newOwnerKey: F.raw(F.mallory), signature: signedForOther.signature)
        fixture.commit(1, [replayed])
        let lock = F.exitLock(exitTx: replayed, exitBlock: 1, parentOwner: F.alice, deadline: 45)
        #expect(fixture.broken(fixture.exit(lock, evidence: [replayed.encoded, fixture.proof(in: 1)], reads: [fixture.block(1)]), height: 30) == "signature")
        let testnet = try! ChildTransaction(coinId: F.coinId, parentBlock: 0, newOwnerKey: F.raw(F.mallory), signedBy: F.alice, network: .testnet)
        var other = F()
        other.commit(1, [testnet])
        let fromTestnet = F.exitLock(exitTx: testnet, exitBlock: 1, parentOwner: F.alice, deadline: 45)
        #expect(other.broken(other.exit(fromTestnet, evidence: [testnet.encoded, other.proof(in: 1)], reads: [other.block(1)]), height: 30) == "signature")
    }

    /// 32: a challenge naming an entry that no committed block includes is refused.
    @Test func challengeWithFabricatedEntry() {
        var fixture = F.withHistory()
        let exitLock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        var later = exitLock
        later.exitBlock = 4
        later.parentBlock = 3
        let exit = fixture.placeExit(later)
        fixture.put(Output(amount: Amount(coins: 1)!, lock: F.pkh(F.mallory)), at: F.outpoint(0xc9))
        let fabricated = F.move(parent: 1, to: F.mallory, by: F.bob)
        let lock = PlasmaChallengeLock(
            exit: exit, chainId: F.chainId, coinId: F.coinId, childBlock: 2, childOwnerKey: F.raw(F.mallory), limitBlock: 3,
            challengerKey: F.raw(F.mallory), ownerKey: later.ownerKey, respondBy: 50)
        let challenge = F.transaction(
            [(F.outpoint(0xc9), .publicKey(F.raw(F.mallory)), [])], reads: [exit, fixture.block(2)],
            outputs: [Output(amount: F.exitBond, lock: .plasmaChallenge(lock))], blobs: [fabricated.encoded, fixture.proof(fabricated.coinId, in: 2)])
        #expect(fixture.broken(challenge, height: 35) == "proof")
    }

    /// 37: outputs a creation rule allows carry no lockTime and no data.
    @Test func createdOutputsPlain() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.alice)), at: F.registerInput)
        for edit in [{ (o: inout Output) in o.lockTime = 1 }, { (o: inout Output) in o.data = [0] }] {
            var register = PlasmaChainRuleTests.register()
            edit(&register.outputs[0])
            #expect(fixture.broken(register, height: 30) == "creation")
        }
    }

    /// 38: nobody creates a block commitment, an exit or a marker outside the spend that pins it.
    @Test func noFreeCommitments() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.alice)), at: F.registerInput)
        let locks: [Lock] = [
            .plasmaBlock(PlasmaBlockLock(chainId: F.chainId, number: 9, root: .zero)),
            .plasmaExit(F.exitLock(exitTx: nil, exitBlock: 0, parentOwner: nil, deadline: 45)),
            .plasmaExitClosed(PlasmaExitClosedLock(exit: fixture.coinOutpoint, sweepFrom: 0)),
        ]
        for lock in locks {
            let forged = F.transaction([(F.registerInput, .publicKey(F.raw(F.alice)), [])], outputs: [Output(amount: F.dust, lock: lock)])
            #expect(fixture.rejection(forged, height: 30) == .outputNotAllowed(output: 0, lockTag: lock.tag), "\(lock.tag)")
        }
    }

    /// 47: no fraud proof hits an honest operator: every ground against every move of an honest history fails.
    @Test func honestBlocksAreNotFraud() {
        let fixture = F.withHistory()
        let moves: [(ChildTransaction, UInt64)] = [(F.toBob, 1), (F.toCarol, 3)]
        for (move, block) in moves {
            var attempts: [(UInt8, [[UInt8]], [OutPoint])] = [(4, [], [])]
            if move.parentBlock >= 1 {
                let parent = move.parentBlock
                attempts.append((1, [fixture.proof(in: parent)], [fixture.block(parent)]))
                attempts.append((2, [F.toBob.encoded, fixture.proof(in: parent)], [fixture.block(parent)]))
                attempts.append((3, [Blake3.hash([2]).bytes, F.u64(2), fixture.proof(in: 2)], [fixture.block(2)]))
            }
            for (ground, extra, reads) in attempts {
                let proof = F.transaction(
                    [(fixture.bondOutpoint, F.unlock(.fraudProof, recipient: .zero), [[ground], move.encoded, F.u64(block), fixture.proof(in: block)] + extra)],
                    reads: [fixture.block(block)] + reads,
                    outputs: [
                        Output(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: F.chainId, exitWindow: F.window, state: .frozen))),
                        Output(amount: Amount(units: F.bondAmount.units / 2), lock: .pubKeyHash(.zero)),
                    ])
                #expect(fixture.rejection(proof, height: 30) != nil, "ground \(ground) against the move in block \(block)")
            }
        }
    }

    /// 48: a proof whose length is not its bitmap's, or that lists an empty sibling, is refused before hashing.
    @Test func proofForm() {
        let fixture = F.withHistory()
        let lock = F.exitLock(exitTx: F.toCarol, exitBlock: 3, parentOwner: F.bob, deadline: 45)
        let good = fixture.proof(in: 3)
        for bad in [good + [0], Array(good.dropLast()), [UInt8](repeating: 0xff, count: 32) + [UInt8](repeating: 0, count: 32 * 256)] {
            let exit = fixture.exit(lock, evidence: [F.toCarol.encoded, bad, F.toBob.encoded, fixture.proof(in: 1)], reads: [fixture.block(3), fixture.block(1)])
            #expect(fixture.broken(exit, height: 30) == "proof")
        }
    }

    /// 49: registering someone else's key is harmless: only that key commits.
    @Test func registerForeignKey() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.mallory)), at: F.registerInput)
        #expect(fixture.broken(PlasmaChainRuleTests.register(operatorKey: F.operatorKey), height: 30) == nil)
        #expect(fixture.broken(PlasmaChainRuleTests().commit(fixture, signer: F.mallory), height: 6) == "signature")
    }

    /// 45: deposits hold at least dust and at most MAX_AMOUNT − β_min, so every coin can exit.
    @Test func amountEdges() {
        var fixture = F()
        fixture.put(Output(amount: Amount(coins: 10)!, lock: F.pkh(F.bob)), at: F.outpoint(0xd1))
        let tests = PlasmaChainRuleTests()
        let ceiling = F.params.maxAmount.subtracting(F.exitBond)!
        #expect(fixture.broken(tests.deposit(fixture, amount: ceiling), height: 30) == nil)
        #expect(fixture.broken(tests.deposit(fixture, amount: ceiling.adding(Amount(units: 1))!), height: 30) == "deposit")
        #expect(fixture.broken(tests.deposit(fixture, amount: F.dust), height: 30) == nil)
    }
}
