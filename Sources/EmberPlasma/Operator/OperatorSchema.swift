import GRDB

/// The operator store's tables, as GRDB migrations (docs/plasma-operator.md describes each).
///
/// Block numbers and heights are u64 in Ember and stored as Int64: a chain would need 2^63 blocks to
/// overflow, and the store refuses such a number rather than wrap. Hashes and keys are 32-byte blobs,
/// amounts 16-byte big-endian blobs (UInt128 does not fit an SQLite integer), child transactions their
/// 136-byte encoding.
enum OperatorSchema {
    /// Written in `meta` so another SQLite file is not mistaken for an operator's store.
    static let formatName = "ember-plasma-operator"

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE coin (
                    coin_id BLOB PRIMARY KEY NOT NULL,
                    depositor_key BLOB NOT NULL,
                    amount BLOB NOT NULL,
                    first_block INTEGER NOT NULL,
                    latest_block INTEGER NOT NULL,
                    owner_key BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE pending (
                    seq INTEGER PRIMARY KEY,
                    coin_id BLOB NOT NULL UNIQUE,
                    tx BLOB NOT NULL
                );
                CREATE TABLE block (
                    number INTEGER PRIMARY KEY NOT NULL,
                    root BLOB NOT NULL,
                    sealed_at_ms INTEGER NOT NULL,
                    tx_count INTEGER NOT NULL,
                    commit_txid BLOB,
                    commit_height INTEGER
                );
                CREATE TABLE block_tx (
                    block INTEGER NOT NULL,
                    coin_id BLOB NOT NULL,
                    tx BLOB NOT NULL,
                    PRIMARY KEY (block, coin_id)
                ) WITHOUT ROWID;
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('format', ?)", arguments: [formatName])
        }
        return migrator
    }
}
