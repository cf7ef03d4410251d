import GRDB

/// The Truebit daemons' tables, as GRDB migrations.
///
/// Heights are u64 in Ember and stored as Int64 (refused, never wrapped, from 2^63); hashes, keys and txids
/// are 32-byte blobs; an outpoint is its txid then its index as 4 big-endian bytes; an output is its
/// canonical encoding, so the lock body (a game's range, hashes and clocks included) is stored whole.
enum TruebitSchema {
    /// Written in `meta` so another SQLite file is not mistaken for a Truebit store.
    static let formatName = "ember-truebit-daemon"

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE cursor (name TEXT PRIMARY KEY NOT NULL, height INTEGER NOT NULL, hash BLOB NOT NULL);
                CREATE TABLE chain_output (
                    outpoint BLOB PRIMARY KEY NOT NULL,
                    tag INTEGER NOT NULL,
                    subject BLOB NOT NULL,
                    output BLOB NOT NULL,
                    height INTEGER NOT NULL,
                    post_txid BLOB,
                    points BLOB,
                    side TEXT,
                    spent_height INTEGER,
                    spent_txid BLOB,
                    spent_mode INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX chain_output_subject ON chain_output (subject);
                CREATE INDEX chain_output_tag ON chain_output (tag, spent_height);
                CREATE TABLE solution (
                    task_outpoint BLOB PRIMARY KEY NOT NULL,
                    task_id BLOB NOT NULL,
                    salt BLOB NOT NULL,
                    final_fields BLOB NOT NULL,
                    output BLOB NOT NULL,
                    output_proof BLOB NOT NULL,
                    commit_txid BLOB,
                    status TEXT NOT NULL,
                    updated_height INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE decision (
                    task_id BLOB PRIMARY KEY NOT NULL,
                    verdict TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    height INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE verdict (
                    solution_id BLOB PRIMARY KEY NOT NULL,
                    agrees INTEGER NOT NULL,
                    own_state BLOB NOT NULL,
                    height INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE action (
                    key TEXT PRIMARY KEY NOT NULL,
                    txid BLOB NOT NULL,
                    height INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('format', ?)", arguments: [formatName])
        }
        return migrator
    }
}
