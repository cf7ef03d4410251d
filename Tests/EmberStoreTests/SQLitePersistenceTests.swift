import EmberCore
import EmberCrypto
import Foundation
import GRDB
import Testing

@testable import EmberStore

/// What a SQLite store wrote is there after it is closed and opened again, and damage to a record is
/// an error, not a crash.
@Suite struct SQLitePersistenceTests {
    let identity = StoreKind.identity

    @Test func everythingIsThereAfterReopening() throws {
        let folder = TemporaryFolder()
        var common = ChainBuilder(seed: 40)
        let trunk = common.nextBlocks(5, transactionCount: 6)
        var sideBuilder = common.branch(seed: 99)
        let side = sideBuilder.nextBlock()
        let store = try SQLiteChainStore(folder: folder.path, identity: identity)
        for step in trunk { try store.append(step) }
        try store.insertIndexEntries([side.indexEntry])
        try store.updateStatus(of: side.hash, inserting: .invalid, removing: .headerValid)
        let txids = common.txids + sideBuilder.txids
        let before = try StoreSnapshot(of: store, txids: txids)
        try store.close()

        let reopened = try SQLiteChainStore(folder: folder.path, identity: identity)
        defer { try? reopened.close() }
        #expect(try StoreSnapshot(of: reopened, txids: txids) == before)
        #expect(try reopened.indexEntry(for: side.hash)?.status == .invalid)
        for step in trunk { #expect(try reopened.block(step.hash) == step.block) }
        try reopened.disconnect(trunk[4].disconnection)
        #expect(try reopened.tip() == trunk[3].connection.newTip)
    }

    @Test func damagedRecordIsReportedNotTrusted() throws {
        let folder = TemporaryFolder()
        var builder = ChainBuilder(seed: 41)
        let step = builder.nextBlock()
        let store = try SQLiteChainStore(folder: folder.path, identity: identity)
        try store.append(step)
        let damaged = try #require(step.connection.created.first)
        let outpoint = damaged.outpoint
        try store.pool.write { db in
            try db.execute(sql: "UPDATE utxo SET amount = x'0102'")
            try db.execute(sql: "UPDATE block_body SET body = x'00'")
            try db.execute(sql: "UPDATE block_index SET header = 'text'")
        }
        #expect(throws: StoreError.self) { try store.utxo(at: outpoint) }
        #expect(throws: StoreError.self) { try store.balance(of: damaged.entry.output.lock) }
        #expect(throws: StoreError.self) { try store.block(step.hash) }
        #expect(throws: StoreError.self) { try store.allIndexEntries() }
        do {
            _ = try store.utxo(at: outpoint)
        } catch {
            guard case .corruptRecord(table: "utxo", _) = error else {
                Issue.record("expected a corrupt utxo record, got \(error)")
                return
            }
        }
        try store.close()
    }

    @Test func connectingAFiveThousandTransactionBlockAndBack() throws {
        let folder = TemporaryFolder()
        var builder = ChainBuilder(seed: 42)
        let funding = builder.nextBlock(transactionCount: 2_500)
        let big = builder.nextBlock(transactionCount: 5_000)
        let store = try SQLiteChainStore(folder: folder.path, identity: identity)
        defer { try? store.close() }
        try store.append(funding)
        try store.insertIndexEntries([big.indexEntry])
        try store.storeBody(big.block)
        let before = try StoreSnapshot(of: store, txids: builder.txids)
        try store.connect(big.connection)
        #expect(try store.utxoSet(after: nil, limit: .max).count == builder.utxos.count)
        try store.disconnect(big.disconnection)
        #expect(try StoreSnapshot(of: store, txids: builder.txids) == before)
    }
}
