import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@Suite("Mempool expiry, blocks and reorganisations")
struct MempoolLifecycleTests {
    @Test("entries older than the expiry leave with their descendants; orphans have their own expiry")
    func expiresOldEntries() throws {
        var fixture = try MempoolFixture(policy: MempoolPolicy(expiryMs: 1_000, orphanExpiryMs: 500))
        let start = fixture.nowMs
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(1))
        let later = fixture.payment(seed: 2, fee: MempoolFixture.fee(1))
        let orphan = fixture.child(of: fixture.payment(seed: 3, fee: MempoolFixture.fee(1)), seed: 3, fee: MempoolFixture.fee(1))
        try fixture.add(parent, nowMs: start)
        try fixture.add(child, nowMs: start + 600)
        try fixture.add(later, nowMs: start + 600)
        try fixture.add(orphan, nowMs: start)

        #expect(fixture.pool.expire(nowMs: start + 500).isEmpty)
        #expect(fixture.pool.expire(nowMs: start + 501) == [orphan.txid])
        #expect(fixture.pool.expire(nowMs: start + 1_000).isEmpty)
        #expect(fixture.pool.expire(nowMs: start + 1_001) == [parent.txid, child.txid])
        #expect(fixture.pooled == [later.txid])
        #expect(fixture.pool.bytes == later.digests.size)
    }

    @Test("a connected block removes what it confirms and what it double-spends, with descendants")
    func blockConnectedRemovesConfirmedAndConflicting() throws {
        var fixture = try MempoolFixture()
        let confirmed = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let confirmedChild = fixture.child(of: confirmed, seed: 1, fee: MempoolFixture.fee(1))
        let beaten = fixture.payment(seed: 2, fee: MempoolFixture.fee(1))
        let beatenChild = fixture.child(of: beaten, seed: 2, fee: MempoolFixture.fee(1))
        let untouched = fixture.payment(seed: 3, fee: MempoolFixture.fee(1))
        for transaction in [confirmed, confirmedChild, beaten, beatenChild, untouched] { try fixture.add(transaction) }
        let doubleSpend = fixture.payment(seed: 2, fee: MempoolFixture.fee(4))

        let block = fixture.chain.makeBlock([confirmed, doubleSpend])
        try fixture.chain.append(block)
        fixture.pool.blockConnected(block, view: fixture.chain.utxos, nowMs: fixture.nowMs)

        #expect(fixture.pooled == [confirmedChild.txid, untouched.txid])
        #expect(fixture.pool.bytes == confirmedChild.digests.size + untouched.digests.size)
        let child = try #require(fixture.pool.entry(confirmedChild.txid))
        #expect(child.parents.isEmpty)
        #expect(child.ancestors.count == 1)
        #expect(child.ancestors.fee == child.fee)
        // What is left still makes a valid block.
        let selection = fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 100)
        try fixture.chain.append(fixture.chain.makeBlock(selection.transactions))
    }

    @Test("a reorganisation returns the disconnected transactions, drops what the new branch double-spends, and they are mined again")
    func reorganisationReturnsTransactions() throws {
        var fixture = try MempoolFixture()
        let forkPoint = fixture.chain
        let addedAt = fixture.nowMs
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(3))
        let waiting = fixture.payment(seed: 2, fee: MempoolFixture.fee(1))
        let doomed = fixture.payment(seed: 3, fee: MempoolFixture.fee(1))
        for transaction in [parent, child, waiting, doomed] { try fixture.add(transaction) }

        let old = fixture.chain.makeBlock([parent, child])
        try fixture.chain.append(old)
        fixture.pool.blockConnected(old, view: fixture.chain.utxos, nowMs: fixture.nowMs)
        #expect(fixture.pooled == [waiting.txid, doomed.txid])

        // The new branch double-spends `doomed`'s input and is one block longer.
        var branch = forkPoint
        let doubleSpend = fixture.payment(seed: 3, fee: MempoolFixture.fee(2))
        let first = branch.makeBlock([doubleSpend], timestamp: forkPoint.tip.header.timestamp + 700)
        try branch.append(first)
        let second = branch.makeBlock()
        try branch.append(second)
        fixture.pool.reorganised(disconnected: [old], connected: [first, second], view: branch.utxos, nowMs: branch.nowMs)

        #expect(fixture.pooled == [parent.txid, child.txid, waiting.txid])
        #expect(fixture.pool.entry(child.txid)?.parents == [parent.txid])
        #expect(fixture.pool.entry(parent.txid)?.arrivalMs == branch.nowMs)
        #expect(fixture.pool.entry(waiting.txid)?.arrivalMs == addedAt)

        let selection = fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 100)
        #expect(selection.transactions == [parent, child, waiting])
        try branch.append(branch.makeBlock(selection.transactions))
    }

    @Test("a disconnected block's transactions come back when nothing replaces them")
    func blockDisconnectedReturnsTransactions() throws {
        var fixture = try MempoolFixture()
        let before = fixture.chain
        let payment = fixture.payment(seed: 4, fee: MempoolFixture.fee(1))
        let block = fixture.chain.makeBlock([payment])
        try fixture.chain.append(block)
        fixture.pool.blockDisconnected(block, view: before.utxos, nowMs: before.nowMs)
        #expect(fixture.pooled == [payment.txid])
    }
}
