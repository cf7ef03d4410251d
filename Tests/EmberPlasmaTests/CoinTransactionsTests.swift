import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import EmberTestSupport
import Testing

/// Each builder of `PlasmaCoinTransactions`, its output mined through every tier of the consensus
/// rules on devnet parameters: a coin's whole life, each challenge and defence, and a fraud proof on each
/// of the five grounds.
@Suite("Plasma coin transactions")
struct CoinTransactionsTests {
    typealias F = CoinChainFixture

    /// Deposit by Alice; block 1 moves it to Bob, block 2 leaves it, block 3 moves it to Carol.
    static func history() throws -> (F, PlasmaCoinTransactions.DepositedCoin, toBob: ChildTransaction, toCarol: ChildTransaction) {
        var fixture = try F()
        let coin = try fixture.deposit()
        let toBob = F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)
        let toCarol = F.move(coin.coinId, parent: 1, to: F.carol, by: F.bob)
        try fixture.commit([toBob])
        try fixture.commit([])
        try fixture.commit([toCarol])
        return (fixture, coin, toBob, toCarol)
    }

    @Test("a coin's life: deposit, two moves, Carol's exit, finalize pays Carol the coin and her bond")
    func fullLife() throws {
        var (fixture, coin, toBob, toCarol) = try Self.history()
        let evidence = CoinExitEvidence(latest: try fixture.included(toCarol, in: 3), parent: try fixture.included(toBob, in: 1))
        let exit = try fixture.transactions.exit(coin: try fixture.output(coin.outpoint), evidence: evidence, in: fixture.context)
        try fixture.mine(exit.transaction)
        let exitOutput = try fixture.output(fixture.created(exit.transaction, 0))
        guard case .plasmaExit(let lock) = exitOutput.unspent.output.lock else { Issue.record("no exit"); return }
        #expect(lock.ownerKey == F.raw(F.carol) && lock.exitBlock == 3 && lock.parentBlock == 1)
        let finalizeFrom = lock.deadline + 3 * UInt64(fixture.window)
        // One block early, the rules refuse it.
        try fixture.advance(toNextHeight: finalizeFrom - 1)
        let early = try fixture.transactions.finalize(exit: exitOutput, in: .init(height: finalizeFrom, funding: fixture.context.funding, nowMs: fixture.builder.nowMs))
        #expect(fixture.refuses(early.transaction))
        try fixture.advance(toNextHeight: finalizeFrom)
        let finalize = try fixture.transactions.finalize(exit: exitOutput, in: fixture.context)
        try fixture.mine(finalize.transaction)
        let paid = try fixture.output(fixture.created(finalize.transaction, 0))
        #expect(paid.unspent.output.lock == F.pkh(F.carol))
        // 2 EMB of coin and the devnet β_min (2 · dust = 2 · 10^15 units).
        #expect(paid.unspent.output.amount == Amount(units: 2_000_000_000_000_000_000 + 2_000_000_000_000_000))
    }

    @Test("a deposit after commits reads the newest block and starts its history after it")
    func depositReadsLatestBlock() throws {
        var (fixture, _, _, _) = try Self.history()
        let second = try fixture.deposit(for: F.bob, readingLatest: true)
        #expect(second.lock.firstBlock == 4)
        #expect(second.lock.exitWindow == fixture.window)
        // Bob exits the never-moved coin at once.
        let exit = try fixture.transactions.exit(coin: try fixture.output(second.outpoint), evidence: .neverMoved, in: fixture.context)
        try fixture.mine(exit.transaction)
    }

    @Test("Bob's stale exit from block 1 is cancelled by his own move to Carol (spent); half his bond goes to Carol")
    func challengeSpent() throws {
        var (fixture, coin, toBob, toCarol) = try Self.history()
        let stale = try fixture.transactions.exit(coin: try fixture.output(coin.outpoint), evidence: .firstMove(try fixture.included(toBob, in: 1)), in: fixture.context)
        try fixture.mine(stale.transaction)
        let cancel = try fixture.transactions.challengeSpent(
            exit: try fixture.output(fixture.created(stale.transaction, 0)), spend: try fixture.included(toCarol, in: 3), in: fixture.context)
        try fixture.mine(cancel.transaction)
        let back = try fixture.output(fixture.created(cancel.transaction, 0))
        #expect(back.unspent.output.lock == .plasmaCoin(coin.lock))
        #expect(try fixture.output(fixture.created(cancel.transaction, 1)).unspent.output.lock == F.pkh(F.carol))
    }

    @Test("an exit from a second spend of Bob's entry is cancelled by the earlier spend (double spend)")
    func challengeDoubleSpend() throws {
        var (fixture, coin, _, toCarol) = try Self.history()
        let second = F.move(coin.coinId, parent: 1, to: F.mallory, by: F.bob)
        try fixture.commit([second])
        let toBob = F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)
        let exit = try fixture.transactions.exit(
            coin: try fixture.output(coin.outpoint),
            evidence: .laterMove(exit: try fixture.included(second, in: 4), parent: try fixture.included(toBob, in: 1)), in: fixture.context)
        try fixture.mine(exit.transaction)
        let cancel = try fixture.transactions.challengeDoubleSpend(
            exit: try fixture.output(fixture.created(exit.transaction, 0)), earlierSpend: try fixture.included(toCarol, in: 3), in: fixture.context)
        try fixture.mine(cancel.transaction)
        #expect(try fixture.output(fixture.created(cancel.transaction, 0)).unspent.output.lock == .plasmaCoin(coin.lock))
    }

    /// A forged link after Carol's entry: block 4 holds a move "from" block 3 signed by Mallory, block 5
    /// Mallory's move of it; Mallory exits resting on (4, 5).
    static func forgedExit() throws -> (F, PlasmaCoinTransactions.DepositedCoin, toBob: ChildTransaction, toCarol: ChildTransaction, exit: Transaction) {
        var (fixture, coin, toBob, toCarol) = try history()
        let forged = F.move(coin.coinId, parent: 3, to: F.mallory, by: F.mallory)
        let onward = F.move(coin.coinId, parent: 4, to: F.mallory, by: F.mallory)
        try fixture.commit([forged])
        try fixture.commit([onward])
        let exit = try fixture.transactions.exit(
            coin: try fixture.output(coin.outpoint),
            evidence: .laterMove(exit: try fixture.included(onward, in: 5), parent: try fixture.included(forged, in: 4)), in: fixture.context)
        try fixture.mine(exit.transaction)
        return (fixture, coin, toBob, toCarol, exit.transaction)
    }

    @Test("Carol preempts a forged exit with her own exit (1, 3); the thief's bond goes back to him and her exit finalizes")
    func preempt() throws {
        var (fixture, _, toBob, toCarol, forged) = try Self.forgedExit()
        let own = CoinExitEvidence(latest: try fixture.included(toCarol, in: 3), parent: try fixture.included(toBob, in: 1))
        let preempt = try fixture.transactions.preempt(exit: try fixture.output(fixture.created(forged, 0)), evidence: own, in: fixture.context)
        try fixture.mine(preempt.transaction)
        let carolsExit = try fixture.output(fixture.created(preempt.transaction, 0))
        guard case .plasmaExit(let lock) = carolsExit.unspent.output.lock else { Issue.record("no exit"); return }
        #expect(lock.ownerKey == F.raw(F.carol))
        #expect(try fixture.output(fixture.created(preempt.transaction, 1)).unspent.output.lock == F.pkh(F.mallory))
        try fixture.advance(toNextHeight: lock.deadline + 3 * UInt64(fixture.window))
        try fixture.mine(try fixture.transactions.finalize(exit: carolsExit, in: fixture.context).transaction)
    }

    @Test("a preempt resting on a pair not older than the exit's is refused before building")
    func preemptNotOlder() throws {
        var (fixture, coin, toBob, toCarol) = try Self.history()
        let exit = try fixture.transactions.exit(
            coin: try fixture.output(coin.outpoint), evidence: .firstMove(try fixture.included(toBob, in: 1)), in: fixture.context)
        try fixture.mine(exit.transaction)
        #expect(throws: PlasmaTransactionError.self) {
            try fixture.transactions.preempt(
                exit: try fixture.output(fixture.created(exit.transaction, 0)),
                evidence: .laterMove(exit: try fixture.included(toCarol, in: 3), parent: try fixture.included(toBob, in: 1)), in: fixture.context)
        }
    }

    @Test("an invalid-history challenge of the deposit (c = 0) is answered with the first move")
    func challengeAndAnswerDeposit() throws {
        var (fixture, coin, toBob, toCarol) = try Self.history()
        let exit = try fixture.transactions.exit(
            coin: try fixture.output(coin.outpoint), evidence: .laterMove(exit: try fixture.included(toCarol, in: 3), parent: try fixture.included(toBob, in: 1)),
            in: fixture.context)
        try fixture.mine(exit.transaction)
        let challenge = try fixture.transactions.challengeInvalidHistory(
            exit: try fixture.output(fixture.created(exit.transaction, 0)), entry: nil, challengerKey: F.raw(F.mallory), in: fixture.context)
        try fixture.mine(challenge.transaction)
        let answer = try fixture.transactions.answer(
            challenge: try fixture.output(fixture.created(challenge.transaction, 0)), spend: try fixture.included(toBob, in: 1), in: fixture.context)
        try fixture.mine(answer.transaction)
        #expect(try fixture.output(fixture.created(answer.transaction, 0)).unspent.output.lock == F.pkh(F.carol))
    }

    @Test("an invalid-history challenge of entry 1 (blobs) is answered with the move at block 3")
    func challengeAndAnswerEntry() throws {
        var (fixture, coin, toBob, toCarol) = try Self.history()
        let toDave = F.move(coin.coinId, parent: 3, to: F.dave, by: F.carol)
        try fixture.commit([toDave])
        let exit = try fixture.transactions.exit(
            coin: try fixture.output(coin.outpoint), evidence: .laterMove(exit: try fixture.included(toDave, in: 4), parent: try fixture.included(toCarol, in: 3)),
            in: fixture.context)
        try fixture.mine(exit.transaction)
        let challenge = try fixture.transactions.challengeInvalidHistory(
            exit: try fixture.output(fixture.created(exit.transaction, 0)), entry: try fixture.included(toBob, in: 1), challengerKey: F.raw(F.mallory),
            in: fixture.context)
        try fixture.mine(challenge.transaction)
        let answer = try fixture.transactions.answer(
            challenge: try fixture.output(fixture.created(challenge.transaction, 0)), spend: try fixture.included(toCarol, in: 3), in: fixture.context)
        try fixture.mine(answer.transaction)
    }

    @Test("an unanswered challenge cancels the forged exit; the exit's other challenge is refunded; the marker is swept")
    func cancelReclaimSweep() throws {
        var (fixture, coin, _, toCarol, forged) = try Self.forgedExit()
        let exitOutput = try fixture.output(fixture.created(forged, 0))
        var challenges = [PlasmaCoinTransactions.ChainOutput]()
        for _ in 0..<2 {
            let challenge = try fixture.transactions.challengeInvalidHistory(
                exit: exitOutput, entry: try fixture.included(toCarol, in: 3), challengerKey: F.raw(F.carol), in: fixture.context)
            try fixture.mine(challenge.transaction)
            challenges.append(try fixture.output(fixture.created(challenge.transaction, 0)))
        }
        guard case .plasmaChallenge(let first) = challenges[0].unspent.output.lock, case .plasmaExit(let exitLock) = exitOutput.unspent.output.lock else {
            Issue.record("no challenge")
            return
        }
        try fixture.advance(toNextHeight: first.respondBy)
        let cancel = try fixture.transactions.cancel(exit: exitOutput, challenge: challenges[0], in: fixture.context)
        try fixture.mine(cancel.transaction)
        #expect(try fixture.output(fixture.created(cancel.transaction, 0)).unspent.output.lock == .plasmaCoin(coin.lock))
        // Half the forged exit's bond goes to the owner of the entry the challenge showed unspent: Carol.
        #expect(try fixture.output(fixture.created(cancel.transaction, 1)).unspent.output.lock == F.pkh(F.carol))
        let marker = try fixture.output(fixture.created(cancel.transaction, 2))
        guard case .plasmaChallenge(let second) = challenges[1].unspent.output.lock else { return }
        try fixture.advance(toNextHeight: second.respondBy)
        try fixture.mine(try fixture.transactions.reclaimChallenge(challenge: challenges[1], marker: marker, in: fixture.context).transaction)
        try fixture.advance(toNextHeight: exitLock.deadline + 5 * UInt64(fixture.window))
        try fixture.mine(try fixture.transactions.sweep(marker: marker, in: fixture.context).transaction)
    }

    // MARK: Fraud proofs

    /// Mines a fraud proof on `ground` and checks the bond is frozen and half of it paid to the sponsor.
    static func proveFraud(_ fixture: inout F, _ ground: PlasmaFraudGround) throws {
        let proof = try fixture.transactions.fraudProof(bond: try fixture.output(fixture.bond), ground: ground, in: fixture.context)
        try fixture.mine(proof.transaction)
        let frozen = try fixture.output(fixture.created(proof.transaction, 0))
        #expect(frozen.unspent.output.lock == .plasmaBond(PlasmaBondLock(chainId: fixture.chainId, exitWindow: fixture.window, state: .frozen)))
        let bounty = try fixture.output(fixture.created(proof.transaction, 1))
        #expect(bounty.unspent.output.amount == Amount(units: fixture.params.layer2.operatorBondMinimum.units / 2))
    }

    @Test("fraud ground 1: a move spending an entry in a block where the coin's leaf is empty")
    func groundEmptyParent() throws {
        var fixture = try F()
        let coin = try fixture.deposit()
        try fixture.commit([])
        let bad = F.move(coin.coinId, parent: 1, to: F.mallory, by: F.mallory)
        try fixture.commit([bad])
        try Self.proveFraud(&fixture, .emptyParent(try fixture.included(bad, in: 2), parentAbsence: try fixture.absence(coin.coinId, in: 1)))
    }

    @Test("fraud ground 2: a move not signed by the parent's new owner")
    func groundBadSignature() throws {
        var fixture = try F()
        let coin = try fixture.deposit()
        let toBob = F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)
        let bad = F.move(coin.coinId, parent: 1, to: F.mallory, by: F.mallory)
        try fixture.commit([toBob])
        try fixture.commit([bad])
        try Self.proveFraud(&fixture, .badSignature(try fixture.included(bad, in: 2), parent: try fixture.included(toBob, in: 1)))
    }

    @Test("fraud ground 3: a move of a stale entry, with the coin's leaf in a block between")
    func groundInclusionBetween() throws {
        var (fixture, coin, _, toCarol) = try Self.history()
        let again = F.move(coin.coinId, parent: 1, to: F.mallory, by: F.bob)
        try fixture.commit([again])
        try Self.proveFraud(
            &fixture, .inclusionBetween(try fixture.included(again, in: 4), leaf: toCarol.leaf, at: try fixture.absence(coin.coinId, in: 3)))
    }

    @Test("fraud ground 4: a move naming a parent at or after its own block")
    func groundParentNotEarlier() throws {
        var fixture = try F()
        let coin = try fixture.deposit()
        let bad = F.move(coin.coinId, parent: 7, to: F.mallory, by: F.mallory)
        try fixture.commit([bad])
        try Self.proveFraud(&fixture, .parentNotEarlier(try fixture.included(bad, in: 1)))
    }

    @Test("fraud ground 5: a first move not signed by the depositor, whose key the coin preimage shows")
    func groundForgedFirstMove() throws {
        var fixture = try F()
        let coin = try fixture.deposit()
        let bad = F.move(coin.coinId, parent: 0, to: F.mallory, by: F.mallory)
        try fixture.commit([bad])
        let preimage = PlasmaFraudGround.coinPreimage(firstInput: coin.firstInput, outputIndex: 0, amount: coin.amount, depositorKey: F.raw(F.alice))
        try Self.proveFraud(&fixture, .forgedFirstMove(try fixture.included(bad, in: 1), coinPreimage: preimage))
    }

    @Test("an honest move is no fraud: the builder's self-check refuses the proof (consensus says notFraud)")
    func honestMoveIsNoFraud() throws {
        let (fixture, _, toBob, toCarol) = try Self.history()
        #expect(throws: PlasmaTransactionError.self) {
            try fixture.transactions.fraudProof(
                bond: try fixture.output(fixture.bond), ground: .badSignature(try fixture.included(toCarol, in: 3), parent: try fixture.included(toBob, in: 1)),
                in: fixture.context)
        }
    }
}
