import EmberCore
import EmberCrypto
import EmberPlasma
import Foundation
import GRDB
import Testing

/// The operator's SQLite store: a file of its own chain only, deposits registered once, and a sealed
/// block's effects all or nothing, still there after a reopen.
@Suite("Plasma operator store")
struct OperatorStoreTests {
    @Test("a store remembers its chain; opening it for another chain or network is refused")
    func storeIsBoundToItsChain() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        try fixture.openStore().close()
        #expect(throws: OperatorStoreError.self) {
            try OperatorStore(path: fixture.storePath, chainId: Blake3.hash([1]), network: .devnet)
        }
        #expect(throws: OperatorStoreError.self) {
            try OperatorStore(path: fixture.storePath, chainId: fixture.chainId, network: .testnet)
        }
        // The refusals did not damage it.
        #expect(try fixture.openStore().lastBlockNumber() == 0)
    }

    @Test("an SQLite file of something else is refused and left as it was")
    func foreignFileIsRefused() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: fixture.folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: fixture.storePath)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')") }
        try queue.close()
        #expect(throws: OperatorStoreError.notAnOperatorStore(path: fixture.storePath)) { try fixture.openStore() }
        let reopened = try DatabaseQueue(path: fixture.storePath)
        let tables = try reopened.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(tables == ["notes"])
        #expect(try reopened.read { db in try String.fetchOne(db, sql: "SELECT text FROM notes") } == "keep me")
    }

    @Test("the same deposit registers twice harmlessly; the same coin id with another depositor or first block is refused")
    func depositsRegisterOnce() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        let depositor = OperatorFixture.key(1)
        let coin = try fixture.deposit("a", by: depositor, into: store, firstBlock: 4)
        try fixture.deposit("a", by: depositor, into: store, firstBlock: 4)
        #expect(throws: OperatorStoreError.depositConflict(coinId: coin.hex)) {
            try fixture.deposit("a", by: OperatorFixture.key(2), into: store, firstBlock: 4)
        }
        #expect(throws: OperatorStoreError.depositConflict(coinId: coin.hex)) {
            try fixture.deposit("a", by: depositor, into: store, firstBlock: 5)
        }
        #expect(throws: OperatorStoreError.self) { try fixture.deposit("b", by: depositor, into: store, firstBlock: 0) }
        let known = try #require(try store.coin(coin))
        #expect(known.depositorKey == OperatorFixture.raw(depositor) && known.ownerKey == OperatorFixture.raw(depositor))
        #expect(known.amount == Amount(units: 1_000) && known.firstBlock == 4 && known.latestBlock == 0)
        #expect(try store.coinCount() == 1)
        #expect(try store.coin(OperatorFixture.coin("b")) == nil)
    }

    @Test("a sealed block moves its coins' latest entries and empties the pending set; a reopened store has it all")
    func sealedBlockSurvivesReopen() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let (alice, bob) = (OperatorFixture.key(1), OperatorFixture.key(2))
        var store = try fixture.openStore()
        let coin = try fixture.deposit("a", by: alice, into: store)
        let move = try fixture.move(coin, parent: 0, to: bob, signedBy: alice)
        #expect(try store.addPending([move]).isEmpty)
        #expect(try store.pendingCount() == 1)
        let block = try ChildBlock(number: 1, transactions: [move])
        try store.storeSealed(block, sealedAt: Date())
        try store.close()

        store = try fixture.openStore()
        #expect(try store.pendingCount() == 0)
        #expect(try store.lastBlockNumber() == 1)
        let sealed = try #require(try store.block(1))
        #expect(sealed.root == block.root && sealed.transactionCount == 1 && sealed.commitTxid == nil)
        #expect(try store.move(of: coin, inBlock: 1) == move)
        #expect(try store.moves(inBlock: 1) == [move])
        let known = try #require(try store.coin(coin))
        #expect(known.latestBlock == 1 && known.ownerKey == OperatorFixture.raw(bob))
        try store.recordCommit(ofBlock: 1, txid: Blake3.hash([9]), height: 77)
        #expect(try store.block(1)?.commitHeight == 77)
        #expect(try store.block(1)?.commitTxid == Blake3.hash([9]))
    }

    @Test("a block that does not follow the last one, or holds a move no longer pending, is refused and changes nothing")
    func conflictingSealChangesNothing() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let (alice, bob) = (OperatorFixture.key(1), OperatorFixture.key(2))
        let store = try fixture.openStore()
        let first = try fixture.deposit("a", by: alice, into: store)
        let second = try fixture.deposit("b", by: alice, into: store)
        let pending = try fixture.move(first, parent: 0, to: bob, signedBy: alice)
        #expect(try store.addPending([pending]).isEmpty)
        let notPending = try fixture.move(second, parent: 0, to: bob, signedBy: alice)
        #expect(throws: OperatorStoreError.self) { try store.storeSealed(try ChildBlock(number: 2, transactions: [pending]), sealedAt: Date()) }
        #expect(throws: OperatorStoreError.self) {
            try store.storeSealed(try ChildBlock(number: 1, transactions: [pending, notPending]), sealedAt: Date())
        }
        #expect(try store.lastBlockNumber() == 0)
        #expect(try store.pendingMoves(limit: 10) == [pending])
        #expect(try store.coin(first)?.latestBlock == 0)
        #expect(try store.moves(inBlock: 1).isEmpty)
    }

    @Test("storing a judged move checks again that its parent is the latest entry and that no move of its coin is pending")
    func addPendingChecksAgain() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let (alice, bob, carol) = (OperatorFixture.key(1), OperatorFixture.key(2), OperatorFixture.key(3))
        let store = try fixture.openStore()
        let coin = try fixture.deposit("a", by: alice, into: store)
        let toBob = try fixture.move(coin, parent: 0, to: bob, signedBy: alice)
        let toCarol = try fixture.move(coin, parent: 0, to: carol, signedBy: alice)
        // Two moves of one coin judged against the same snapshot: the second finds the first pending.
        #expect(try store.addPending([toBob, toCarol]) == [1])
        try store.storeSealed(try ChildBlock(number: 1, transactions: [toBob]), sealedAt: Date())
        // A move judged before block 1 was sealed names the deposit, no longer the coin's latest entry.
        #expect(try store.addPending([toCarol]) == [0])
        let unknown = try fixture.move(OperatorFixture.coin("unknown"), parent: 0, to: carol, signedBy: alice)
        #expect(try store.addPending([unknown]) == [0])
        #expect(try store.pendingCount() == 0)
        let onward = try fixture.move(coin, parent: 1, to: carol, signedBy: bob)
        #expect(try store.addPending([onward]).isEmpty)
        try store.freeze()
        #expect(try store.isFrozen())
        let other = try fixture.deposit("b", by: alice, into: store)
        #expect(try store.addPending([try fixture.move(other, parent: 0, to: bob, signedBy: alice)]) == [0])
    }
}
