import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import GRDB
import Testing

/// The client store on real SQLite files in a temporary folder.
@Suite("client store")
struct ClientStoreTests {
    static func withFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-l2-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    static let hashA = Hash32(hex: String(repeating: "ab", count: 32))!
    static let hashB = Hash32(hex: String(repeating: "01", count: 32))!

    @Test("cursor, watched locks and records survive closing and reopening the file")
    func reopen() throws {
        try Self.withFolder { folder in
            let path = folder.appendingPathComponent("state/client.sqlite").path
            let escrow = Lock.plasmaOperator(PlasmaOperatorLock(chainId: Self.hashB, operatorKey: RawPublicKey(Self.hashA.bytes)!, nextNumber: 1))
            do {
                let store = try ClientStore(path: path)
                #expect(try store.cursor() == nil)
                try store.saveCursor(ChainCursor(height: 41, hash: Self.hashA))
                try store.saveCursor(ChainCursor(height: 7, hash: Self.hashB), named: "other")
                try store.watch(.init(lock: escrow, label: "escrow", fromHeight: 12))
                try store.watch(.init(lock: .pubKeyHash(Self.hashB), label: "funding", fromHeight: 0))
                try store.put([1, 2, 3], namespace: "channel", key: "b")
                try store.put([9], namespace: "channel", key: "a")
                try store.put([4], namespace: "plasma", key: "a")
            }
            let store = try ClientStore(path: path)
            #expect(try store.cursor() == ChainCursor(height: 41, hash: Self.hashA))
            #expect(try store.cursor(named: "other") == ChainCursor(height: 7, hash: Self.hashB))
            // Ordered by the lock's encoding: tag 0 before tag 3.
            #expect(try store.watchedLocks() == [
                .init(lock: .pubKeyHash(Self.hashB), label: "funding", fromHeight: 0), .init(lock: escrow, label: "escrow", fromHeight: 12),
            ])
            #expect(try store.get(namespace: "channel", key: "b") == [1, 2, 3])
            #expect(try store.get(namespace: "channel", key: "zz") == nil)
            let records = try store.records(namespace: "channel")
            #expect(records.map(\.key) == ["a", "b"] && records.map(\.value) == [[9], [1, 2, 3]])
            #expect(try store.delete(namespace: "channel", key: "a"))
            #expect(try !store.delete(namespace: "channel", key: "a"))
            #expect(try store.unwatch(escrow))
            #expect(try store.watchedLocks().count == 1)
            try store.saveCursor(nil)
            #expect(try store.cursor() == nil)
        }
    }

    @Test("an update stores the records and the cursor together, or neither when the body throws")
    func atomicUpdate() throws {
        struct Refused: Error {}
        try Self.withFolder { folder in
            let store = try ClientStore(path: folder.appendingPathComponent("c.sqlite").path)
            try store.update(cursor: ChainCursor(height: 3, hash: Self.hashA)) { writer in
                try writer.put([3], namespace: "blocks", key: "3")
            }
            #expect(throws: ClientStoreError.self) {
                try store.update(cursor: ChainCursor(height: 4, hash: Self.hashB)) { writer in
                    try writer.put([4], namespace: "blocks", key: "4")
                    throw Refused()
                }
            }
            #expect(try store.cursor() == ChainCursor(height: 3, hash: Self.hashA))
            #expect(try store.get(namespace: "blocks", key: "4") == nil)
            #expect(try store.get(namespace: "blocks", key: "3") == [3])
        }
    }

    @Test("a file of another schema version, or another SQLite database, is refused")
    func schemaCheck() throws {
        try Self.withFolder { folder in
            let path = folder.appendingPathComponent("c.sqlite").path
            _ = try ClientStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schemaVersion'") }
            try queue.close()
            #expect(throws: ClientStoreError.schemaVersionMismatch(path: path, found: 2, expected: 1)) { try ClientStore(path: path) }

            let other = folder.appendingPathComponent("other.sqlite").path
            let otherQueue = try DatabaseQueue(path: other)
            try otherQueue.write { try $0.execute(sql: "CREATE TABLE blocks (hash BLOB)") }
            try otherQueue.close()
            #expect(throws: ClientStoreError.notAClientStore(path: other)) { try ClientStore(path: other) }
        }
    }

    @Test("the store runs in WAL mode")
    func walMode() throws {
        try Self.withFolder { folder in
            let path = folder.appendingPathComponent("c.sqlite").path
            let store = try ClientStore(path: path)
            try store.put([1], namespace: "n", key: "k")
            let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
        }
    }
}
