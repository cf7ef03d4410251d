import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@Suite("Mempool acceptance and rejections")
struct MempoolAcceptanceTests {
    @Test("a valid payment enters with its fee, size and fee rate")
    func acceptsValidPayment() throws {
        var fixture = try MempoolFixture()
        let payment = fixture.payment(seed: 1, fee: MempoolFixture.fee(2))
        let acceptance = try fixture.add(payment)
        #expect(acceptance == .accepted(txid: payment.txid, fee: MempoolFixture.fee(2), evicted: [], adoptedOrphans: []))
        let entry = try #require(fixture.pool.entry(payment.txid))
        #expect(entry.size == payment.digests.size)
        #expect(entry.feeRate == FeeRate(fee: MempoolFixture.fee(2), weight: payment.digests.size))
        #expect(entry.arrivalMs == fixture.nowMs)
        #expect(fixture.pool.count == 1)
        #expect(fixture.pool.bytes == payment.digests.size)
    }

    @Test("a bad signature is invalid, and the sender's fault")
    func rejectsBadSignature() throws {
        var fixture = try MempoolFixture()
        let forged = fixture.chain.sign(fixture.payment(seed: 1, fee: MempoolFixture.fee(1)), keys: [.devnet(index: 2)])
        let rejection = fixture.rejection(of: forged)
        #expect(rejection == .invalid(.badSignature(input: 0)))
        #expect(rejection?.isSenderAtFault == true)
        #expect(fixture.pool.count == 0)
    }

    @Test("a signature for another network is invalid")
    func rejectsOtherNetworkSignature() throws {
        var fixture = try MempoolFixture()
        let payment = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let replayed = fixture.chain.sign(payment, keys: [.devnet(index: 1)], network: .testnet)
        #expect(fixture.rejection(of: replayed) == .invalid(.badSignature(input: 0)))
    }

    @Test("a second spend of an output is rejected, naming the transaction that spends it first")
    func rejectsConflict() throws {
        var fixture = try MempoolFixture()
        let first = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let second = fixture.payment(seed: 1, fee: MempoolFixture.fee(5))
        try fixture.add(first)
        let rejection = fixture.rejection(of: second)
        #expect(rejection == .conflict(with: first.txid, outpoint: fixture.chain.seedOutPoint(1)))
        #expect(rejection?.description.contains(first.txid.description) == true)
        #expect(rejection?.isSenderAtFault == false)
        #expect(fixture.pooled == [first.txid])
    }

    @Test("a transaction already in the pool or already confirmed is already known")
    func rejectsAlreadyKnown() throws {
        var fixture = try MempoolFixture()
        let payment = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        try fixture.add(payment)
        #expect(fixture.rejection(of: payment) == .alreadyKnown(payment.txid))

        let confirmed = fixture.payment(seed: 2, fee: MempoolFixture.fee(1))
        try fixture.chain.append(fixture.chain.makeBlock([confirmed]))
        #expect(fixture.rejection(of: confirmed) == .alreadyKnown(confirmed.txid))
        #expect(fixture.pool.orphanCount == 0)
    }

    @Test("a fee below the consensus minimum is invalid")
    func rejectsFeeBelowMinimum() throws {
        var fixture = try MempoolFixture()
        let cheap = fixture.payment(seed: 1, fee: Amount(units: 1))
        let required = Amount(units: fixture.chain.params.minFeeRate.units * UInt128(cheap.digests.size))
        #expect(fixture.rejection(of: cheap) == .invalid(.feeBelowMinimum(required: required, found: Amount(units: 1))))
    }

    @Test("an output still locked at the clock is invalid until the clock passes its lock time")
    func locksFollowTheClock() throws {
        var fixture = try MempoolFixture()
        let coinbase = fixture.chain.tip.transactions[0]
        let locked = OutPoint(txid: coinbase.txid, index: 0)
        let lockTime = coinbase.outputs[0].lockTime
        let spend = fixture.chain.payment(
            from: locked, key: fixture.chain.minerKey, amount: fixture.chain.params.dust, fee: MempoolFixture.fee(1),
            to: MempoolFixture.recipient)
        #expect(
            fixture.rejection(of: spend, nowMs: lockTime - 1)
                == .invalid(.inputLocked(locked, lockTime: lockTime, blockTimestamp: lockTime - 1)))
        try fixture.add(spend, nowMs: lockTime)
        #expect(fixture.pool.entry(spend.txid)?.unlockTimeMs == lockTime)
        #expect(fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 100, blockTimestamp: lockTime - 1).transactions.isEmpty)
        #expect(fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 100, blockTimestamp: lockTime).transactions == [spend])
    }

    @Test("a chain longer than the ancestor limit is refused at the transaction that breaks it")
    func limitsAncestors() throws {
        var fixture = try MempoolFixture(policy: MempoolPolicy(maxAncestors: 2))
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(1))
        let grandchild = fixture.child(of: child, seed: 1, fee: MempoolFixture.fee(1))
        try fixture.add(parent)
        try fixture.add(child)
        #expect(fixture.rejection(of: grandchild) == .tooManyAncestors(limit: 2))
    }

    @Test("a parent with as many descendants as the limit takes no more children")
    func limitsDescendants() throws {
        var fixture = try MempoolFixture(policy: MempoolPolicy(maxDescendants: 2))
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(1))
        let secondChild = fixture.chain.spend(
            [(OutPoint(txid: parent.txid, index: 0), .devnet(index: 7))],
            to: [Output(amount: MempoolFixture.oneCoin.subtracting(MempoolFixture.fee(1))!, lock: MempoolFixture.recipient)])
        try fixture.add(parent)
        try fixture.add(child)
        #expect(fixture.rejection(of: secondChild) == .tooManyDescendants(ancestor: parent.txid, limit: 2))
    }

    @Test("the actor takes and reports transactions as the state does")
    func actorForwards() async throws {
        let fixture = try MempoolFixture()
        let mempool = Mempool(params: fixture.chain.params)
        let payment = fixture.payment(seed: 3, fee: MempoolFixture.fee(1))
        let acceptance = try await mempool.add(payment, view: fixture.chain.utxos, nowMs: fixture.nowMs)
        #expect(acceptance.txid == payment.txid)
        #expect(await mempool.count == 1)
        #expect(await mempool.entry(payment.txid)?.fee == MempoolFixture.fee(1))
    }
}

@Suite("Fee rates compare exactly")
struct MempoolFeeRateTests {
    @Test("equal fractions are equal rates; comparison is by cross-multiplication")
    func comparesExactly() {
        #expect(FeeRate(fee: Amount(units: 1), weight: 2) == FeeRate(fee: Amount(units: 2), weight: 4))
        #expect(FeeRate(fee: Amount(units: 1), weight: 3) < FeeRate(fee: Amount(units: 1), weight: 2))
        // 10^27/3 and (10^27 − 1)/3 differ by less than a double can tell at that scale.
        let big = UInt128(1_000_000_000_000_000_000_000_000_000)
        #expect(FeeRate(fee: Amount(units: big - 1), weight: 3) < FeeRate(fee: Amount(units: big), weight: 3))
        #expect(FeeRate(fee: Amount(units: .max), weight: 100_000) > FeeRate(fee: Amount(units: .max - 1), weight: 100_000))
        #expect(FeeRate(fee: Amount(units: .max), weight: 1) > FeeRate(fee: Amount(units: .max), weight: 2))
    }

    @Test("a size of zero counts as one byte, never a division by zero")
    func zeroSize() {
        #expect(FeeRate(fee: Amount(units: 5), weight: 0) == FeeRate(fee: Amount(units: 5), weight: 1))
    }

    @Test("printed in units per weight unit with three decimals")
    func description() {
        #expect(FeeRate(fee: Amount(units: 10), weight: 4).description == "2.500 units/weight unit")
        #expect(FeeRate(fee: Amount(units: 1), weight: 3).description == "0.333 units/weight unit")
        #expect(FeeRate(fee: Amount(units: 7), weight: 1).description == "7.000 units/weight unit")
    }
}
