import EmberCrypto
import Foundation
import GRDB

extension SQLiteChainStore {
    /// Creates `folder` when it does not exist; fails when it is a file or cannot be made.
    static func prepareFolder(_ folder: String) throws(StoreError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw .notAFolder(path: folder) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .folderUnavailable(path: folder, reason: error.localizedDescription)
        }
    }

    /// Reads an existing database's meta table through a read-only connection, so nothing is written
    /// to a file that turns out not to be ours; throws unless it is this chain's database or has no
    /// tables at all (a store killed before its first migration committed).
    static func checkExistingDatabase(at path: String, identity: ChainIdentity) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "EmberStore.check"
        let stored: (identity: ChainIdentity, schemaVersion: Int64)? = try mapErrors(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in try readMeta(db, path: path) }
        }
        guard let stored else { return }
        guard stored.identity == identity else {
            throw .foreignDatabase(expected: identity, found: stored.identity)
        }
        guard stored.schemaVersion <= StoreSchema.version else {
            throw .newerSchema(found: Int(stored.schemaVersion), supported: StoreSchema.version)
        }
    }

    /// The identity and schema version in `meta`, or nil when the database has no table.
    private static func readMeta(_ db: Database, path: String) throws -> (identity: ChainIdentity, schemaVersion: Int64)? {
        let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        guard !tables.isEmpty else { return nil }
        guard tables.contains("meta") else { throw StoreError.notAnEmberDatabase(path: path) }
        do {
            let sql = "SELECT network_id, genesis_hash, parameters_hash, schema_version FROM meta WHERE id = 1"
            guard let row = try Row.fetchOne(db, sql: sql),
                let networkID = UInt8(exactly: try row.int64(at: 0, table: "meta"))
            else { throw StoreError.notAnEmberDatabase(path: path) }
            let identity = ChainIdentity(
                networkID: networkID,
                genesisHash: try row.hash(at: 1, table: "meta"),
                parametersHash: try row.hash(at: 2, table: "meta")
            )
            return (identity, try row.int64(at: 3, table: "meta"))
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            // Another program's table named `meta`, without Ember's columns.
            throw StoreError.notAnEmberDatabase(path: path)
        } catch StoreError.corruptRecord {
            throw StoreError.notAnEmberDatabase(path: path)
        }
    }
}
