import Foundation
import GRDB

/// The SQLite schema, as GRDB migrations. docs/storage.md describes each table.
///
/// Integers that are u64 in Ember (heights, lock times) are stored as their Int64 bit pattern; heights
/// stay below 2^63 for any real chain, so they also sort right. Amounts are 16-byte big-endian blobs
/// (UInt128 does not fit an SQLite integer), hashes 32-byte blobs, locks their canonical encoding.
/// Byte strings that may be empty (output data, cumulative work) are nullable, NULL meaning empty:
/// SQLite binds an empty blob as NULL.
enum StoreSchema {
    /// The schema version this code writes; `meta.schema_version` of a newer database is refused.
    static let version = 4
    /// The database file inside the data folder.
    static let fileName = "ember.sqlite"

    /// The migrations; the first also records `identity` in `meta`, in the same transaction as the
    /// tables, so a database either has its identity or is empty.
    static func migrator(identity: ChainIdentity) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    network_id INTEGER NOT NULL,
                    genesis_hash BLOB NOT NULL,
                    parameters_hash BLOB NOT NULL,
                    schema_version INTEGER NOT NULL
                );
                CREATE TABLE block_index (
                    hash BLOB PRIMARY KEY NOT NULL,
                    parent BLOB NOT NULL,
                    height INTEGER NOT NULL,
                    header BLOB NOT NULL,
                    cumulative_work BLOB,
                    status INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX block_index_by_parent ON block_index (parent);
                CREATE INDEX block_index_by_height ON block_index (height);
                CREATE TABLE block_body (
                    hash BLOB PRIMARY KEY NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE TABLE active_chain (
                    height INTEGER PRIMARY KEY NOT NULL,
                    hash BLOB NOT NULL UNIQUE
                );
                CREATE TABLE chain_tip (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    hash BLOB NOT NULL,
                    height INTEGER NOT NULL,
                    utxo_set_hash BLOB NOT NULL
                );
                CREATE TABLE utxo (
                    txid BLOB NOT NULL,
                    output_index INTEGER NOT NULL,
                    amount BLOB NOT NULL,
                    lock BLOB NOT NULL,
                    lock_time INTEGER NOT NULL,
                    data BLOB,
                    height INTEGER NOT NULL,
                    is_coinbase INTEGER NOT NULL,
                    PRIMARY KEY (txid, output_index)
                ) WITHOUT ROWID;
                CREATE INDEX utxo_by_lock ON utxo (lock, txid, output_index);
                CREATE TABLE block_undo (
                    hash BLOB PRIMARY KEY NOT NULL,
                    spent BLOB NOT NULL
                );
                CREATE TABLE tx_index (
                    txid BLOB PRIMARY KEY NOT NULL,
                    block_hash BLOB NOT NULL,
                    position INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
            try db.execute(
                sql: """
                    INSERT INTO meta (id, network_id, genesis_hash, parameters_hash, schema_version)
                    VALUES (1, ?, ?, ?, 1)
                    """,
                arguments: [
                    Int64(identity.networkID), Data(identity.genesisHash.bytes), Data(identity.parametersHash.bytes),
                ]
            )
        }
        // Protocol v2 (DESIGN.md section 15): blob hash to where the active chain published it. A
        // database the v1 schema wrote holds no v2 transaction, so the new index starts empty.
        migrator.registerMigration("v2-blob-index") { db in
            try db.execute(sql: """
                CREATE TABLE blob_index (
                    hash BLOB NOT NULL,
                    block_hash BLOB NOT NULL,
                    height INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    blob_index INTEGER NOT NULL,
                    PRIMARY KEY (hash, height, position, blob_index)
                ) WITHOUT ROWID;
                CREATE INDEX blob_index_by_block ON blob_index (block_hash);
                UPDATE meta SET schema_version = 2;
                """)
        }
        // What each connected block minted and burnt, kept with its undo record (both NULL or both
        // 16-byte amounts). Blocks connected before this migration keep NULL: the chain derives their
        // figures once with the pre-v2 formula, exact for them (no covenant was active), and stores them.
        migrator.registerMigration("v3-block-supply") { db in
            try db.execute(sql: """
                ALTER TABLE block_undo ADD COLUMN minted BLOB;
                ALTER TABLE block_undo ADD COLUMN burnt BLOB;
                UPDATE meta SET schema_version = 3;
                """)
        }
        // The address history index: one row per transaction of the active chain and lock it paid to or
        // took from. Filled here from the active chain's bodies and undo data, once.
        migrator.registerMigration("v4-address-history") { db in
            try db.execute(sql: """
                CREATE TABLE address_history (
                    lock BLOB NOT NULL,
                    height INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    block_hash BLOB NOT NULL,
                    txid BLOB NOT NULL,
                    received BLOB NOT NULL,
                    sent BLOB NOT NULL,
                    PRIMARY KEY (lock, height, position)
                ) WITHOUT ROWID;
                CREATE INDEX address_history_by_block ON address_history (block_hash);
                """)
            try SQLiteChainStore.indexAddressHistoryOfActiveChain(db)
            try db.execute(sql: "UPDATE meta SET schema_version = 4")
        }
        return migrator
    }
}
