import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// A layer-2 client's own state in one SQLite file (WAL): its watchers' cursors, the locks it watches,
/// and a keyed record table each protocol uses for its own values.
///
/// The file carries a format name and a schema version; opening a file of another version or another
/// kind fails instead of guessing. `DatabasePool` is `Sendable` and serialises writes.
public final class ClientStore: Sendable {
    /// The version of the tables below; bumped with a migration whenever they change.
    public static let schemaVersion = 1
    /// Written in `meta` so a different SQLite file is not mistaken for a client store.
    public static let formatName = "ember-layer2-client"
    /// Bounds a record's value: a client's state, not bulk data.
    public static let maxRecordSize = 1_024 * 1_024

    public let path: String
    private let pool: DatabasePool

    /// Opens the store at `path`, creating it (and its folder) when absent.
    public init(path: String) throws(ClientStoreError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
        try openSchema()
    }

    private func openSchema() throws(ClientStoreError) {
        let path = self.path
        let found: (format: String?, version: Int?)
        do {
            found = try pool.write { db -> (String?, Int?) in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty {
                    try Self.createTables(db)
                    return (Self.formatName, Self.schemaVersion)
                }
                guard tables.contains("meta") else { return (nil, nil) }
                let format = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'")
                let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schemaVersion'").flatMap { Int($0) }
                return (format, version)
            }
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
        guard found.format == Self.formatName, let version = found.version else { throw .notAClientStore(path: path) }
        guard version == Self.schemaVersion else {
            throw .schemaVersionMismatch(path: path, found: version, expected: Self.schemaVersion)
        }
    }

    private static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE cursor (name TEXT PRIMARY KEY NOT NULL, height INTEGER NOT NULL, hash BLOB NOT NULL);
            CREATE TABLE watched_lock (lock BLOB PRIMARY KEY NOT NULL, label TEXT NOT NULL, fromHeight INTEGER NOT NULL);
            CREATE TABLE record (
                namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (namespace, key)
            ) WITHOUT ROWID;
            """)
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('format', ?), ('schemaVersion', ?)",
                       arguments: [formatName, String(schemaVersion)])
    }

    // MARK: - Cursors

    /// The cursor stored under `name` (one per watcher), nil when none was stored.
    public func cursor(named name: String = "chain") throws(ClientStoreError) -> ChainCursor? {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT height, hash FROM cursor WHERE name = ?", arguments: [name]) }
        guard let row else { return nil }
        let height: Int64 = row["height"]
        let bytes: Data = row["hash"]
        guard height >= 0, let hash = Hash32(Array(bytes)) else { throw .damaged(path: path, reason: "cursor \(name) is malformed") }
        return ChainCursor(height: UInt64(height), hash: hash)
    }

    /// Stores `cursor` under `name`; nil removes it (the watcher starts over).
    public func saveCursor(_ cursor: ChainCursor?, named name: String = "chain") throws(ClientStoreError) {
        try write { db in
            guard let cursor else {
                try db.execute(sql: "DELETE FROM cursor WHERE name = ?", arguments: [name])
                return
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO cursor (name, height, hash) VALUES (?, ?, ?)",
                arguments: [name, Int64(clamping: cursor.height), Data(cursor.hash.bytes)])
        }
    }

    // MARK: - Watched locks

    /// A lock a client follows, with its label and the height from which it matters.
    public struct WatchedLock: Hashable, Sendable {
        public var lock: Lock
        public var label: String
        public var fromHeight: UInt64

        public init(lock: Lock, label: String, fromHeight: UInt64) {
            self.lock = lock
            self.label = label
            self.fromHeight = fromHeight
        }
    }

    /// Adds `lock` (or replaces its label and height).
    public func watch(_ watched: WatchedLock) throws(ClientStoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO watched_lock (lock, label, fromHeight) VALUES (?, ?, ?)",
                arguments: [Data(watched.lock.encoded), watched.label, Int64(clamping: watched.fromHeight)])
        }
    }

    /// Stops watching `lock`; returns whether it was watched.
    @discardableResult
    public func unwatch(_ lock: Lock) throws(ClientStoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM watched_lock WHERE lock = ?", arguments: [Data(lock.encoded)])
            return db.changesCount > 0
        }
    }

    /// Every watched lock, ordered by the lock's encoding.
    public func watchedLocks() throws(ClientStoreError) -> [WatchedLock] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT lock, label, fromHeight FROM watched_lock ORDER BY lock") }
        var locks = [WatchedLock]()
        for row in rows {
            let bytes: Data = row["lock"]
            let height: Int64 = row["fromHeight"]
            guard let lock = try? Lock.decode(from: Array(bytes), limit: 4_096), height >= 0 else {
                throw .damaged(path: path, reason: "a watched lock does not decode")
            }
            locks.append(WatchedLock(lock: lock, label: row["label"], fromHeight: UInt64(height)))
        }
        return locks
    }

    // MARK: - Records

    /// Stores `value` under (`namespace`, `key`), replacing any earlier value.
    public func put(_ value: [UInt8], namespace: String, key: String) throws(ClientStoreError) {
        try put([(namespace: namespace, key: key, value: value)])
    }

    /// Stores every record of `records` in one transaction, replacing earlier values.
    public func put(_ records: [(namespace: String, key: String, value: [UInt8])]) throws(ClientStoreError) {
        for record in records where record.value.count > Self.maxRecordSize {
            throw .database(path: path, reason: "a record of \(record.value.count) bytes is over the limit of \(Self.maxRecordSize)")
        }
        try write { db in
            for record in records {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO record (namespace, key, value) VALUES (?, ?, ?)",
                    arguments: [record.namespace, record.key, Data(record.value)])
            }
        }
    }

    /// The value under (`namespace`, `key`), nil when absent.
    public func get(namespace: String, key: String) throws(ClientStoreError) -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM record WHERE namespace = ? AND key = ?", arguments: [namespace, key]).map { Array($0) }
        }
    }

    /// Removes the value under (`namespace`, `key`); returns whether there was one.
    @discardableResult
    public func delete(namespace: String, key: String) throws(ClientStoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM record WHERE namespace = ? AND key = ?", arguments: [namespace, key])
            return db.changesCount > 0
        }
    }

    /// Every record of `namespace`, ordered by key.
    public func records(namespace: String) throws(ClientStoreError) -> [(key: String, value: [UInt8])] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM record WHERE namespace = ? ORDER BY key", arguments: [namespace])
                .map { row in (key: row["key"] as String, value: Array(row["value"] as Data)) }
        }
    }

    /// Stores `cursor` and runs `body` in one transaction, so a watcher's event and its cursor are
    /// never stored apart.
    public func update<T>(cursor: ChainCursor?, named name: String = "chain", _ body: (RecordWriter) throws -> T) throws(ClientStoreError) -> T {
        try write { db in
            let writer = RecordWriter(db: db)
            let result = try body(writer)
            if let cursor {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO cursor (name, height, hash) VALUES (?, ?, ?)",
                    arguments: [name, Int64(clamping: cursor.height), Data(cursor.hash.bytes)])
            } else {
                try db.execute(sql: "DELETE FROM cursor WHERE name = ?", arguments: [name])
            }
            return result
        }
    }

    /// The record writes a caller makes inside `update`.
    public struct RecordWriter {
        let db: Database

        public func put(_ value: [UInt8], namespace: String, key: String) throws {
            try db.execute(
                sql: "INSERT OR REPLACE INTO record (namespace, key, value) VALUES (?, ?, ?)", arguments: [namespace, key, Data(value)])
        }

        public func delete(namespace: String, key: String) throws {
            try db.execute(sql: "DELETE FROM record WHERE namespace = ? AND key = ?", arguments: [namespace, key])
        }
    }

    // MARK: - Access

    private func read<T>(_ body: (Database) throws -> T) throws(ClientStoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(ClientStoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }
}
