import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// The Plasma operator's durable state in one SQLite file (WAL): the coins it knows from their deposits
/// and where each one's history stands, the accepted moves waiting for the next block, and every sealed
/// block with its moves (docs/plasma-operator.md, "The store").
///
/// Durability: WAL with `synchronous = FULL`, so a transaction is on disk when its commit returns, and a
/// move is acknowledged to its sender only after the commit that stored it. One write transaction per
/// request keeps that to one fsync per batch, not per move. `DatabasePool` is `Sendable`, serialises
/// writes and lets reads (proofs, status) run beside them.
public final class OperatorStore: Sendable {
    public let path: String
    /// The chain this file belongs to; opening it for another chain fails.
    public let chainId: Hash32
    public let network: NetworkID
    let pool: DatabasePool

    /// Opens the store at `path` for `chainId` on `network`, creating the file (and its folder) when absent.
    public init(path: String, chainId: Hash32, network: NetworkID) throws(OperatorStoreError) {
        self.path = path
        self.chainId = chainId
        self.network = network
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "EmberPlasmaOperator"
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                // NORMAL (GRDB's WAL default) can lose the last commits on a power cut; an acknowledged move
                // must survive one, and one fsync per request is cheap beside a batch's signature checks.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // A checkpoint at every 1 000 pages (SQLite's default) would come every few requests.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                // Coin ids are random, so a batch touches pages all over the coin table: keep more in memory.
                try db.execute(sql: "PRAGMA cache_size = -32768")
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
        try openSchema()
    }

    /// Checks that the file is an operator store of this chain (or empty), migrates it to the current
    /// tables, and records the chain in a new file. A file of anything else is reported, never rewritten.
    private func openSchema() throws(OperatorStoreError) {
        enum Found { case emptyOrOurs, foreign, newer(String) }
        let (path, chain, network) = (self.path, chainId.hex, String(self.network.rawValue))
        let migrator = OperatorSchema.migrator()
        let found = try read { db -> Found in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%'")
            if tables.isEmpty { return .emptyOrOurs }
            guard tables.contains("meta"),
                  try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'") == OperatorSchema.formatName
            else { return .foreign }
            if try migrator.hasBeenSuperseded(db) {
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                return .newer(unknown.sorted().joined(separator: ", "))
            }
            return .emptyOrOurs
        }
        switch found {
        case .foreign: throw .notAnOperatorStore(path: path)
        case .newer(let migration): throw .newerSchema(path: path, migration: migration)
        case .emptyOrOurs: break
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw .database(path: path, reason: "migrating the tables: \(error)")
        }
        let stored = try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('chainId', ?), ('network', ?)", arguments: [chain, network])
            return (try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chainId'"),
                    try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'network'"))
        }
        guard stored.0 == chain, stored.1 == network else {
            throw .wrongChain(path: path, found: "\(stored.0 ?? "none") on network \(stored.1 ?? "none")", expected: "\(chain) on network \(network)")
        }
    }

    /// Closes the database; later calls fail. Also done when the store is released.
    public func close() throws(OperatorStoreError) {
        do {
            try pool.close()
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    // MARK: - Chain state

    /// Whether a fraud proof froze the chain (set by the layer-1 watcher through `freeze()`).
    public func isFrozen() throws(OperatorStoreError) -> Bool {
        try read { db in try Self.isFrozen(db) }
    }

    /// Marks the chain frozen: admission refuses every move and no block is sealed from now on.
    public func freeze() throws(OperatorStoreError) {
        try write { db in try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('frozen', '1')") }
    }

    static func isFrozen(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'frozen'") == "1"
    }

    // MARK: - Access

    func read<T>(_ body: (Database) throws -> T) throws(OperatorStoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as OperatorStoreError {
            throw error
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(OperatorStoreError) -> T {
        do {
            return try pool.write(body)
        } catch let error as OperatorStoreError {
            throw error
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    /// A block number or height as SQLite stores it; numbers from 2^63 on are refused, never wrapped.
    func storedInteger(_ value: UInt64, _ what: String) throws(OperatorStoreError) -> Int64 {
        guard let stored = Int64(exactly: value) else { throw .database(path: path, reason: "\(what) \(value) is over 2^63 − 1") }
        return stored
    }

    /// A stored u64, which was written from one and must not be negative.
    static func loadedInteger(_ value: Int64, _ what: String, path: String) throws -> UInt64 {
        guard let loaded = UInt64(exactly: value) else { throw OperatorStoreError.damaged(path: path, reason: "\(what) is \(value)") }
        return loaded
    }

    static func loadedHash(_ data: Data, _ what: String, path: String) throws -> Hash32 {
        guard let hash = Hash32(data) else { throw OperatorStoreError.damaged(path: path, reason: "\(what) is \(data.count) bytes, not 32") }
        return hash
    }

    static func loadedKey(_ data: Data, _ what: String, path: String) throws -> RawPublicKey {
        guard let key = RawPublicKey(data) else { throw OperatorStoreError.damaged(path: path, reason: "\(what) is \(data.count) bytes, not 32") }
        return key
    }

    static func loadedMove(_ data: Data, path: String) throws -> ChildTransaction {
        do {
            return try ChildTransaction.decode(from: Array(data), limit: ChildTransaction.byteCount)
        } catch {
            throw OperatorStoreError.damaged(path: path, reason: "a stored child transaction does not decode: \(error)")
        }
    }
}
