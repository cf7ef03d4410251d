import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// DESIGN.md section 15's replacement policy (BIP 125 rules 3–4 by weight, on covenant outputs only),
/// and the limits on spends of unconfirmed channel outputs that keep a dispute from being pinned.
@Suite("Mempool replacement of covenant spends")
struct MempoolReplacementTests {
    typealias Fixture = MempoolCovenantFixture

    @Test("a spend of a covenant output that pays for everything it evicts, at a higher rate, replaces it and its descendants")
    func replacesCovenantSpend() throws {
        var fixture = try Fixture()
        let first = fixture.exitEscrow(fee: Fixture.fee(1))
        let child = fixture.child(of: first, fee: Fixture.fee(1))
        let unrelated = fixture.reader(seed: 4, reads: [], fee: Fixture.fee(1))
        for transaction in [first, child, unrelated] { try fixture.add(transaction) }

        let better = fixture.exitEscrow(fee: Fixture.fee(3), to: .pubKeyHash(Fixture.sponsor.publicKey.publicKeyHash))
        let acceptance = try fixture.add(better)
        #expect(acceptance == .accepted(txid: better.txid, fee: Fixture.fee(3), evicted: [first.txid, child.txid], adoptedOrphans: []))
        #expect(fixture.pooled == [unrelated.txid, better.txid])
        #expect(fixture.pool.bytes == unrelated.size + better.size)
        #expect(MempoolInvariantTests.problems(in: fixture.pool).isEmpty)
        // The escrow is now spent by the replacement.
        let again = fixture.exitEscrow(fee: Fixture.fee(2), to: Fixture.recipient)
        #expect(fixture.rejection(of: again) == .replacementFeeTooLow(
            required: Fixture.fee(3).adding(Fixture.minimumFee(weight: again.size))!, found: Fixture.fee(2)))
    }

    @Test("a replacement paying less than the evicted fees plus its own minimum fee is refused, and the pool keeps everything")
    func refusesReplacementBelowEvictedFees() throws {
        var fixture = try Fixture()
        let first = fixture.exitEscrow(fee: Fixture.fee(1))
        let child = fixture.child(of: first, fee: Fixture.fee(1))
        try fixture.add(first)
        try fixture.add(child)
        // 2·10^13 covers both evicted fees but not the replacement's own minimum fee on top.
        let cheap = fixture.exitEscrow(fee: Fixture.fee(2), to: .pubKeyHash(Fixture.sponsor.publicKey.publicKeyHash))
        let required = Fixture.fee(2).adding(Fixture.minimumFee(weight: cheap.size))!
        #expect(fixture.rejection(of: cheap) == .replacementFeeTooLow(required: required, found: Fixture.fee(2)))
        #expect(fixture.pooled == [first.txid, child.txid])
        #expect(fixture.pool.bytes == first.size + child.size)
        #expect(MempoolInvariantTests.problems(in: fixture.pool).isEmpty)
    }

    @Test("a replacement paying more in all but less per weight unit is refused")
    func refusesReplacementAtLowerRate() throws {
        var fixture = try Fixture(policy: MempoolWeightTests.heavyChannels)
        let first = fixture.settle(fixture.channels[0], fee: Fixture.fee(2))
        try fixture.add(first)
        // Enough in all (2·10^13 + its minimum fee of about 8.2·10^14), but 2^20 declared steps and the
        // run's fixed weight make it 81 920 units heavier, so its rate is about a third of the first's.
        let heavy = fixture.settle(fixture.channels[0], maxSteps: 1 << 20, fee: Fixture.fee(200))
        let weight = heavy.size + 16_384 + 65_536
        #expect(Fixture.fee(200) >= Fixture.fee(2).adding(Fixture.minimumFee(weight: weight))!)
        #expect(fixture.rejection(of: heavy) == .replacementFeeRateTooLow(
            evicted: first.txid, evictedRate: FeeRate(fee: Fixture.fee(2), weight: first.size),
            found: FeeRate(fee: Fixture.fee(200), weight: weight)))
        #expect(fixture.pooled == [first.txid])
    }

    @Test("a conflict over a plain output is first seen wins, even with a covenant conflict beside it")
    func plainConflictStaysFirstSeen() throws {
        var fixture = try Fixture()
        let plainCoin = fixture.chain.seedOutPoint(4)
        let key = SigningKey.devnet(index: 4)
        let unlock = Unlock.plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.exit.rawValue, firstOutput: 0))
        let held = fixture.chain.utxos.unspentOutput(at: plainCoin)!.output.amount
        let first = fixture.chain.covenantTransaction(
            covenant: [(fixture.escrow, unlock, Witness(items: []))], plain: [(plainCoin, key)],
            outputs: [Output(amount: held.adding(Amount(coins: 5)!)!.subtracting(Fixture.fee(1))!, lock: Fixture.recipient)])
        try fixture.add(first)
        let richer = fixture.chain.covenantTransaction(
            covenant: [(fixture.escrow, unlock, Witness(items: []))], plain: [(plainCoin, key)],
            outputs: [Output(amount: held.adding(Amount(coins: 5)!)!.subtracting(Fixture.fee(50))!, lock: Fixture.recipient)])
        #expect(fixture.rejection(of: richer) == .conflict(with: first.txid, outpoint: plainCoin))
        #expect(fixture.pooled == [first.txid])
    }

    // MARK: Unconfirmed channel outputs

    /// A pool with an unconfirmed channel: its funding transaction waits in the pool.
    static func unconfirmedChannel() throws -> (Fixture, funding: Transaction, channel: OutPoint) {
        var fixture = try Fixture()
        let funding = fixture.funding(seed: 4, outputs: [Output(amount: Fixture.channelAmount, lock: Fixture.channelLock)], fee: Fixture.fee(1))
        try fixture.add(funding)
        return (fixture, funding, OutPoint(txid: funding.txid, index: 0))
    }

    @Test("a channel spend weighs at most 10 000 beyond its force-moves' runs, and a spend of an unconfirmed channel output 10 000 in all")
    func heavyChannelSpendRefused() throws {
        var (fixture, _, channel) = try Self.unconfirmedChannel()
        let program = try ProgramFixtures.exitingWith(0)
        let move = fixture.forceMove(channel, program: program, maxSteps: 1 << 20, fee: Fixture.fee(200))
        #expect(fixture.rejection(of: move) == .channelSpendTooHeavy(weight: move.size + 16_384 + 65_536, limit: 10_000))
        // Any program run weighs 65 536 on top of its steps, so only a spend that runs none fits.
        let justBelow = fixture.settle(channel, maxSteps: 0, fee: Fixture.fee(200))
        #expect(justBelow.size < 10_000)
        try fixture.add(justBelow)
        #expect(fixture.pool.entry(justBelow.txid)?.isLayer2Spend == true)
        // A confirmed channel's force-move may add its run (this test app's hash is not the channel's
        // app, so no program bytes); a settle declaring the same steps may not.
        let settle = fixture.settle(fixture.channels[0], maxSteps: 1 << 20, fee: Fixture.fee(200))
        #expect(fixture.rejection(of: settle) == .channelSpendTooHeavy(weight: settle.size + 16_384 + 65_536, limit: 10_000))
        try fixture.add(fixture.forceMove(fixture.channels[0], program: program, maxSteps: 1 << 20, fee: Fixture.fee(200)))
    }

    @Test("a channel spend takes one unconfirmed child, not a grandchild nor a sibling that pays no more, confirmed channel or not")
    func channelSpendHasOneChild() throws {
        var (fixture, funding, channel) = try Self.unconfirmedChannel()
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0))
        // The latest deadline allowed, so the settle stays valid a block later.
        let deadline = fixture.nextHeight + UInt64(2 * Fixture.window)
        let item = (0..<8).map { UInt8(truncatingIfNeeded: deadline >> (56 - 8 * $0)) }
        let half = Amount(units: Fixture.channelAmount.subtracting(Fixture.fee(2))!.units / 2)
        let settle = fixture.chain.covenantTransaction(
            covenant: [(channel, unlock, Witness(items: [item]))],
            outputs: [Output(amount: half, lock: Fixture.recipient), Output(amount: half, lock: Fixture.recipient)])
        try fixture.add(settle)
        let child = fixture.child(of: settle, index: 0, fee: Fixture.fee(1))
        try fixture.add(child)
        let sibling = fixture.child(of: settle, index: 1, fee: Fixture.fee(1))
        let required = Fixture.fee(1).adding(Fixture.minimumFee(weight: sibling.size))!
        #expect(fixture.rejection(of: sibling) == .replacementFeeTooLow(required: required, found: Fixture.fee(1)))
        let grandchild = fixture.child(of: child, fee: Fixture.fee(1))
        #expect(fixture.rejection(of: grandchild) == .layer2SpendHasChild(spend: settle.txid))
        #expect(fixture.pool.count == 3)

        try fixture.connect(fixture.chain.makeBlock([funding]))
        #expect(fixture.pooled == [settle.txid, child.txid])
        #expect(fixture.pool.entry(settle.txid)?.isLayer2Spend == true)
        #expect(fixture.rejection(of: grandchild) == .layer2SpendHasChild(spend: settle.txid))
        // A sibling paying for the child it evicts takes its place (sibling eviction).
        try fixture.add(fixture.child(of: settle, index: 1, fee: Fixture.fee(3)))
        #expect(fixture.pool.count == 2 && fixture.pool.entry(child.txid) == nil)
        #expect(MempoolInvariantTests.problems(in: fixture.pool).isEmpty)
    }
}
