import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import GRDB

/// A Truebit daemon's durable state in one SQLite file (docs/truebit.md, "What each side must keep"): its
/// view of the chain (every Truebit output seen, how it was spent, a game's side and the solver's points),
/// the solver's own solutions with their salts, its decisions on tasks, the verifier's verdicts on
/// solutions, and every action sent with the tip it was sent at. One daemon per file.
///
/// Durability: WAL with `synchronous = FULL`, so a salt is on disk before the commit that needs it is
/// broadcast, and a block's change and the cursor after it are committed together. Every stored row is
/// decoded strictly: a row that does not read back is `damaged`, never a crash. `DatabasePool` is
/// `Sendable` and serialises writes.
public final class TruebitStore: Sendable {
    public let path: String
    public let network: NetworkID
    let pool: DatabasePool

    /// Opens the store at `path` for `network`, creating the file (and its folder) when absent.
    public init(path: String, network: NetworkID) throws(TruebitStoreError) {
        self.path = path
        self.network = network
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "EmberTruebitDaemon"
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                // NORMAL (GRDB's WAL default) can lose the last commits on a power cut; a salt stored before
                // its commit is broadcast must survive one.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
        try openSchema()
    }

    /// Checks that the file is a Truebit store of this network (or empty), migrates it, and records the
    /// network in a new file. A file of anything else is reported, never rewritten.
    private func openSchema() throws(TruebitStoreError) {
        let (path, network) = (self.path, String(self.network.rawValue))
        let opening: MigratedStoreFile.Opening
        do {
            opening = try MigratedStoreFile.open(pool, formatName: TruebitSchema.formatName, migrator: TruebitSchema.migrator())
        } catch {
            throw .database(path: path, reason: "opening the tables: \(error)")
        }
        switch opening {
        case .foreign: throw .notATruebitStore(path: path)
        case .newer(let migrations): throw .newerSchema(path: path, migration: migrations)
        case .migrated: break
        }
        let stored = try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('network', ?)", arguments: [network])
            return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'network'")
        }
        guard stored == network else { throw .wrongNetwork(path: path, found: stored ?? "none", expected: network) }
    }

    /// Closes the database; later calls fail. Also done when the store is released.
    public func close() throws(TruebitStoreError) {
        do {
            try pool.close()
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    // MARK: - Cursor

    /// The last block the daemon applied, nil before the first.
    public func cursor() throws(TruebitStoreError) -> ChainCursor? {
        let path = self.path
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT height, hash FROM cursor WHERE name = 'chain'") else { return nil }
            return ChainCursor(
                height: try StoredValue.integer(row["height"], "the cursor's height", path: path),
                hash: try StoredValue.hash(row["hash"], "the cursor's hash", path: path))
        }
    }

    static func saveCursor(_ cursor: ChainCursor?, in db: Database, path: String) throws {
        guard let cursor else {
            try db.execute(sql: "DELETE FROM cursor WHERE name = 'chain'")
            return
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO cursor (name, height, hash) VALUES ('chain', ?, ?)",
            arguments: [try StoredValue.stored(cursor.height, "the cursor's height", path: path), Data(cursor.hash.bytes)])
    }

    // MARK: - Access

    func read<T>(_ body: (Database) throws -> T) throws(TruebitStoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as TruebitStoreError {
            throw error
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(TruebitStoreError) -> T {
        do {
            return try pool.write(body)
        } catch let error as TruebitStoreError {
            throw error
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }
}
