import GRDB

/// Opening an SQLite store whose file names its format in a `meta` table (`key = 'format'`) and whose tables
/// are GRDB migrations: an empty file or one of this format is migrated to the current tables; a file of
/// anything else, or one written by a newer program, is reported and left as it was.
public enum MigratedStoreFile {
    public enum Opening: Hashable, Sendable {
        /// The file was empty or of this format, and is migrated.
        case migrated
        /// The file is an SQLite database of something else.
        case foreign
        /// The file has migrations this program does not know.
        case newer(migrations: String)
    }

    /// Checks the file behind `pool` and migrates it when it is empty or of `formatName`.
    public static func open(_ pool: DatabasePool, formatName: String, migrator: DatabaseMigrator) throws -> Opening {
        let found = try pool.read { db -> Opening in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%'")
            if tables.isEmpty { return .migrated }
            guard tables.contains("meta"), try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'") == formatName else {
                return .foreign
            }
            if try migrator.hasBeenSuperseded(db) {
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                return .newer(migrations: unknown.sorted().joined(separator: ", "))
            }
            return .migrated
        }
        if found == .migrated { try migrator.migrate(pool) }
        return found
    }
}
