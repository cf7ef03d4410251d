import EmberCore
import EmberCrypto
import Foundation
import GRDB
@testable import EmberStore
import Testing

/// The address history index (schema 4): rows written with each connected block, gone with its
/// disconnect, read newest first, and filled once for a chain stored before the index existed.
@Suite struct AddressHistoryStoreTests {
    /// What the test expects for `lock` after `steps`, newest first: (height, position, received, sent),
    /// worked out from the blocks and every output they created.
    static func expectedHistory(of lock: Lock, after steps: [ChainStep]) -> [(UInt64, Int, UInt128, UInt128)] {
        var outputs = [OutPoint: Output]()
        var rows = [(UInt64, Int, UInt128, UInt128)]()
        for step in steps {
            for (position, transaction) in step.block.transactions.enumerated() {
                let txid = transaction.txid
                let sent = transaction.inputs.compactMap { outputs[$0.outpoint] }.filter { $0.lock == lock }.reduce(0) { $0 + $1.amount.units }
                for (index, output) in transaction.outputs.enumerated() { outputs[OutPoint(txid: txid, index: UInt32(index))] = output }
                let received = transaction.outputs.filter { $0.lock == lock }.reduce(0) { $0 + $1.amount.units }
                if received > 0 || sent > 0 { rows.append((step.connection.height, position, received, sent)) }
            }
        }
        return rows.reversed()
    }

    static func summary(_ entries: [LockHistoryEntry]) -> [String] {
        entries.map { "\($0.height).\($0.activity.position) +\($0.activity.received.units) -\($0.activity.sent.units)" }
    }

    static func summary(_ rows: [(UInt64, Int, UInt128, UInt128)]) -> [String] {
        rows.map { "\($0.0).\($0.1) +\($0.2) -\($0.3)" }
    }

    @Test("history follows connect and disconnect, newest first, on every store", arguments: StoreKind.allCases)
    func followsConnectAndDisconnect(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 520)
        let steps = (0..<6).map { _ in builder.nextBlock(transactionCount: 5) }
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            for lock in ChainBuilder.locks {
                let expected = Self.summary(Self.expectedHistory(of: lock, after: steps))
                #expect(!expected.isEmpty)
                #expect(Self.summary(try store.history(of: lock, limit: 1_000)) == expected)
                #expect(Self.summary(try store.history(of: lock, limit: 2)) == Array(expected.prefix(2)))
            }
            try store.disconnect(steps[5].disconnection)
            try store.disconnect(steps[4].disconnection)
            for lock in ChainBuilder.locks {
                let expected = Self.summary(Self.expectedHistory(of: lock, after: Array(steps.prefix(4))))
                #expect(Self.summary(try store.history(of: lock, limit: 1_000)) == expected)
            }
            let entry = try #require(try store.history(of: ChainBuilder.locks[0], limit: 1).first)
            #expect(entry.blockHash == steps[Int(entry.height)].hash)
            #expect(entry.timestamp == steps[Int(entry.height)].block.header.timestamp)
            #expect(entry.activity.txid == steps[Int(entry.height)].block.transactions[entry.activity.position].txid)
        }
    }

    @Test("a schema-3 database gains the index, filled from its active chain")
    func schema3Migration() throws {
        var builder = ChainBuilder(seed: 521)
        let steps = (0..<5).map { _ in builder.nextBlock(transactionCount: 4) }
        let folder = TemporaryFolder()
        do {
            let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
            defer { try? store.close() }
            for step in steps { try store.append(step) }
            // As schema 3 left it: no index.
            try store.write { db in
                try db.execute(sql: """
                    DROP TABLE address_history;
                    DELETE FROM grdb_migrations WHERE identifier = 'v4-address-history';
                    UPDATE meta SET schema_version = 3
                    """)
            }
        }
        let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? store.close() }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT schema_version FROM meta") } == 4)
        for lock in ChainBuilder.locks {
            let expected = Self.summary(Self.expectedHistory(of: lock, after: steps))
            #expect(!expected.isEmpty)
            #expect(Self.summary(try store.history(of: lock, limit: 1_000)) == expected)
        }
    }
}
