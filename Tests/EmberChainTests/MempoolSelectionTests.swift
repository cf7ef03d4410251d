import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@Suite("Mempool templates and eviction")
struct MempoolSelectionTests {
    static let room = (bytes: 1_000_000, count: 1_000)
    /// Test payments differ in size by a byte or two (varint amounts); this much spare room makes one
    /// eviction always enough for one newcomer.
    static let slack = 8

    @Test("independent transactions are selected by fee rate, highest first")
    func selectsByFeeRate() throws {
        var fixture = try MempoolFixture()
        let payments = [1, 3, 2].enumerated().map { fixture.payment(seed: UInt32($0.offset + 1), fee: MempoolFixture.fee(UInt128($0.element))) }
        for payment in payments { try fixture.add(payment) }
        let selection = fixture.pool.selectTransactions(maxWeight: Self.room.bytes, maxCount: Self.room.count)
        #expect(selection.transactions == [payments[1], payments[2], payments[0]])
        #expect(selection.fees == MempoolFixture.fee(6))
        #expect(selection.size == payments.reduce(0) { $0 + $1.digests.size })
    }

    @Test("a chain of unconfirmed transactions is selected parent first, and a block of it is valid")
    func selectsParentsFirst() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(10))
        let grandchild = fixture.child(of: child, seed: 1, fee: MempoolFixture.fee(20))
        let other = fixture.payment(seed: 2, fee: MempoolFixture.fee(5))
        for transaction in [parent, child, grandchild, other] { try fixture.add(transaction) }
        #expect(fixture.pool.entry(grandchild.txid)?.ancestors.count == 3)
        #expect(fixture.pool.entry(parent.txid)?.descendants.count == 3)

        let selection = fixture.pool.selectTransactions(maxWeight: Self.room.bytes, maxCount: Self.room.count)
        // The grandchild's package (31 fee units over 3 transactions) beats the other payment's 5.
        #expect(selection.transactions == [parent, child, grandchild, other])
        let effects = try fixture.chain.append(fixture.chain.makeBlock(selection.transactions))
        #expect(effects.fees == selection.fees)
        #expect(selection.fees == MempoolFixture.fee(36))
    }

    @Test("a child is never selected without its parent, even when only the child would fit")
    func neverSelectsOrphanedChild() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(30))
        let other = fixture.payment(seed: 2, fee: MempoolFixture.fee(5))
        for transaction in [parent, child, other] { try fixture.add(transaction) }
        #expect(fixture.pool.selectTransactions(maxWeight: Self.room.bytes, maxCount: 1).transactions == [other])
        let bytesForOne = max(child.digests.size, other.digests.size)
        #expect(fixture.pool.selectTransactions(maxWeight: bytesForOne, maxCount: Self.room.count).transactions == [other])
        #expect(fixture.pool.selectTransactions(maxWeight: Self.room.bytes, maxCount: 2).transactions == [parent, child])
    }

    @Test("a full pool evicts the lowest package fee rate, with its descendants, for a better payer")
    func evictsLowestFeeRateWithDescendants() throws {
        var fixture = try MempoolFixture()
        let low = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let lowChild = fixture.child(of: low, seed: 1, fee: MempoolFixture.fee(2))
        let high = fixture.payment(seed: 2, fee: MempoolFixture.fee(10))
        let newcomer = fixture.payment(seed: 3, fee: MempoolFixture.fee(5))
        let limit = [low, lowChild, high].reduce(0) { $0 + $1.digests.size }
        fixture.pool = MempoolState(params: fixture.chain.params, policy: MempoolPolicy(maxBytes: limit))
        for transaction in [low, lowChild, high] { try fixture.add(transaction) }

        let acceptance = try fixture.add(newcomer)
        #expect(acceptance == .accepted(txid: newcomer.txid, fee: MempoolFixture.fee(5), evicted: [low.txid, lowChild.txid], adoptedOrphans: []))
        #expect(Set(fixture.pooled) == [high.txid, newcomer.txid])
        #expect(fixture.pool.bytes == high.digests.size + newcomer.digests.size)
        #expect(fixture.pool.bytes <= limit)
    }

    @Test("a full pool refuses a transaction that pays no more than what it would evict, and keeps everything")
    func refusesLowPayerWhenFull() throws {
        var fixture = try MempoolFixture()
        let high = fixture.payment(seed: 1, fee: MempoolFixture.fee(10))
        let mid = fixture.payment(seed: 2, fee: MempoolFixture.fee(5))
        let low = fixture.payment(seed: 3, fee: MempoolFixture.fee(3))
        let better = fixture.payment(seed: 4, fee: MempoolFixture.fee(6))
        fixture.pool = MempoolState(
            params: fixture.chain.params, policy: MempoolPolicy(maxBytes: high.digests.size + mid.digests.size + Self.slack))
        try fixture.add(high)
        try fixture.add(mid)
        let midRate = try #require(fixture.pool.entry(mid.txid)).feeRate

        let rejection = fixture.rejection(of: low)
        #expect(rejection == .poolFull(minimumFeeRate: midRate))
        #expect(rejection?.description.contains(midRate.description) == true)
        #expect(fixture.pooled == [high.txid, mid.txid])

        #expect(try fixture.add(better) == .accepted(txid: better.txid, fee: MempoolFixture.fee(6), evicted: [mid.txid], adoptedOrphans: []))
    }

    @Test("a full pool never evicts the new transaction's own parent")
    func protectsAncestorsFromEviction() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let other = fixture.payment(seed: 2, fee: MempoolFixture.fee(2))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(20))
        fixture.pool = MempoolState(
            params: fixture.chain.params, policy: MempoolPolicy(maxBytes: parent.digests.size + other.digests.size + Self.slack))
        try fixture.add(parent)
        try fixture.add(other)
        let acceptance = try fixture.add(child)
        #expect(acceptance == .accepted(txid: child.txid, fee: MempoolFixture.fee(20), evicted: [other.txid], adoptedOrphans: []))
        #expect(fixture.pooled == [parent.txid, child.txid])
    }
}
