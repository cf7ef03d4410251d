import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@Suite("Mempool orphans")
struct MempoolOrphanTests {
    @Test("a child seen before its parent waits as an orphan and enters with the parent, grandchildren too")
    func orphansResolveWhenParentArrives() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(1))
        let grandchild = fixture.child(of: child, seed: 1, fee: MempoolFixture.fee(1))

        let missing = OutPoint(txid: parent.txid, index: 1)
        #expect(try fixture.add(grandchild) == .orphan(txid: grandchild.txid, missing: OutPoint(txid: child.txid, index: 1), evictedOrphans: []))
        #expect(try fixture.add(child) == .orphan(txid: child.txid, missing: missing, evictedOrphans: []))
        #expect(fixture.pool.isOrphan(child.txid))
        #expect(fixture.pool.count == 0)
        #expect(fixture.pool.orphanCount == 2)
        #expect(fixture.pool.orphanBytes == child.digests.size + grandchild.digests.size)
        #expect(fixture.rejection(of: child) == .alreadyKnown(child.txid))

        let acceptance = try fixture.add(parent)
        #expect(acceptance == .accepted(txid: parent.txid, fee: MempoolFixture.fee(1), evicted: [], adoptedOrphans: [child.txid, grandchild.txid]))
        #expect(fixture.pooled == [parent.txid, child.txid, grandchild.txid])
        #expect(fixture.pool.orphanCount == 0)
        #expect(fixture.pool.orphanBytes == 0)
    }

    @Test("an orphan whose parent is confirmed by a block enters the pool")
    func orphansResolveWhenBlockConfirmsParent() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let child = fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(1))
        try fixture.add(child)
        let block = fixture.chain.makeBlock([parent])
        try fixture.chain.append(block)
        fixture.pool.blockConnected(block, view: fixture.chain.utxos, nowMs: fixture.nowMs)
        #expect(fixture.pooled == [child.txid])
        #expect(fixture.pool.orphanCount == 0)
    }

    @Test("the orphan pool holds at most its count, evicting the oldest")
    func orphanCountIsBounded() throws {
        var fixture = try MempoolFixture(policy: MempoolPolicy(maxOrphanCount: 2))
        let orphans = (UInt32(1)...3).map { seed in
            fixture.child(of: fixture.payment(seed: seed, fee: MempoolFixture.fee(1)), seed: seed, fee: MempoolFixture.fee(1))
        }
        try fixture.add(orphans[0])
        try fixture.add(orphans[1])
        guard case .orphan(_, _, let evicted) = try fixture.add(orphans[2]) else {
            Issue.record("expected an orphan")
            return
        }
        #expect(evicted == [orphans[0].txid])
        #expect(fixture.pool.orphanCount == 2)
        #expect(!fixture.pool.isOrphan(orphans[0].txid))
        #expect(fixture.pool.isOrphan(orphans[2].txid))
    }

    @Test("the orphan pool holds at most its bytes; an orphan larger than that is refused")
    func orphanBytesAreBounded() throws {
        let probe = try MempoolFixture()
        let parents = (UInt32(1)...3).map { probe.payment(seed: $0, fee: MempoolFixture.fee(1)) }
        let orphans = parents.enumerated().map { probe.child(of: $0.element, seed: UInt32($0.offset + 1), fee: MempoolFixture.fee(1)) }
        let twoOrphans = orphans[0].digests.size + orphans[1].digests.size
        var fixture = try MempoolFixture(policy: MempoolPolicy(maxOrphanBytes: twoOrphans + 4))
        try fixture.add(orphans[0])
        try fixture.add(orphans[1])
        try fixture.add(orphans[2])
        #expect(fixture.pool.orphanCount == 2)
        #expect(fixture.pool.orphanBytes <= twoOrphans + 4)
        #expect(!fixture.pool.isOrphan(orphans[0].txid))

        var tiny = try MempoolFixture(policy: MempoolPolicy(maxOrphanBytes: 10))
        let missing = OutPoint(txid: parents[0].txid, index: 1)
        #expect(tiny.rejection(of: orphans[0]) == .orphanPoolFull(missing: missing, size: orphans[0].digests.size, maxOrphanBytes: 10))
    }

    @Test("an orphan with a bad signature never enters the orphan pool")
    func orphansAreVerifiedFirst() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        let forged = fixture.chain.sign(fixture.child(of: parent, seed: 1, fee: MempoolFixture.fee(1)), keys: [.devnet(index: 4)])
        #expect(fixture.rejection(of: forged) == .invalid(.badSignature(input: 0)))
        #expect(fixture.pool.orphanCount == 0)
    }

    @Test("an unknown output of a transaction the pool holds is invalid, not an orphan")
    func missingOutputOfKnownParentIsInvalid() throws {
        var fixture = try MempoolFixture()
        let parent = fixture.payment(seed: 1, fee: MempoolFixture.fee(1))
        try fixture.add(parent)
        let key = SigningKey.devnet(index: 1)
        let nowhere = OutPoint(txid: parent.txid, index: 9)
        let spend = fixture.chain.spend([(nowhere, key)], to: [Output(amount: MempoolFixture.oneCoin, lock: MempoolFixture.recipient)])
        #expect(fixture.rejection(of: spend) == .invalid(.missingInput(nowhere)))
        #expect(fixture.pool.orphanCount == 0)
    }
}
