import EmberCore
import EmberCrypto
import Foundation
import GRDB

extension SQLiteChainStore {
    // MARK: Block index

    public func insertIndexEntries(_ entries: [BlockIndexEntry]) throws(StoreError) {
        for entry in entries { try entry.status.checkSettableByCaller() }
        try write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO block_index (hash, parent, height, header, cumulative_work, status)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for entry in entries { try insert.execute(arguments: SQLiteRecords.indexEntryArguments(entry)) }
        }
    }

    public func updateStatus(of hash: Hash32, inserting: BlockStatus, removing: BlockStatus) throws(StoreError) {
        try inserting.union(removing).checkSettableByCaller()
        try write { db in
            let update = try db.cachedStatement(sql: "UPDATE block_index SET status = (status | ?) & ~? WHERE hash = ?")
            try update.execute(arguments: [
                Int64(inserting.rawValue), Int64(removing.rawValue), SQLiteRecords.blob(hash),
            ])
            guard db.changesCount == 1 else { throw StoreError.unknownBlock(hash) }
        }
    }

    public func pruneSideBranches(below height: UInt64) throws(StoreError) -> Int {
        try write { db in
            try db.execute(
                sql: """
                    CREATE TEMP TABLE pruned AS SELECT hash FROM block_index
                    WHERE height < ? AND hash NOT IN (SELECT hash FROM active_chain);
                    DELETE FROM block_body WHERE hash IN (SELECT hash FROM pruned);
                    DELETE FROM block_undo WHERE hash IN (SELECT hash FROM pruned);
                    DELETE FROM block_index WHERE hash IN (SELECT hash FROM pruned);
                    """,
                arguments: [SQLiteRecords.integer(height)]
            )
            let count = db.changesCount
            try db.execute(sql: "DROP TABLE temp.pruned")
            return count
        }
    }

    // MARK: Block bodies

    public func storeBody(_ block: Block) throws(StoreError) {
        let hash = block.hash
        let body = Data(block.encoded)
        try write { db in
            let markStored = try db.cachedStatement(sql: "UPDATE block_index SET status = status | ? WHERE hash = ?")
            try markStored.execute(arguments: [Int64(BlockStatus.bodyStored.rawValue), SQLiteRecords.blob(hash)])
            guard db.changesCount == 1 else { throw StoreError.unknownBlock(hash) }
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO block_body (hash, body) VALUES (?, ?)")
            try insert.execute(arguments: [SQLiteRecords.blob(hash), body])
        }
    }

    // MARK: Connecting and disconnecting

    public func connect(_ connection: BlockConnection) throws(StoreError) {
        try connect([connection])
    }

    /// Connects consecutive blocks, oldest first, in one transaction: all of them or none.
    ///
    /// The UTXO table and the transaction index receive the batch's net effect in key order
    /// (`ConnectionBatchEffect`): a page that several of the blocks touch is written to the log once,
    /// not once per block, and each table is walked in order. The blob index gets every block's
    /// blobs in the same transaction. `WriteBackChainStore` uses this during
    /// an import.
    public func connect(_ connections: [BlockConnection]) throws(StoreError) {
        guard let last = connections.last else { return }
        try write { db in
            let hasBody = try db.cachedStatement(sql: "SELECT 1 FROM block_body WHERE hash = ?")
            var tip = try Self.fetchTip(db)
            for connection in connections {
                try connection.checkExtends(
                    tip: tip,
                    entry: try Self.fetchIndexEntry(db, connection.blockHash),
                    hasBody: try Row.fetchOne(hasBody, arguments: [SQLiteRecords.blob(connection.blockHash)]) != nil
                )
                tip = connection.newTip
            }
            let effect = try ConnectionBatchEffect(connections)
            try Self.deleteUTXOs(db, effect.spentBeforeBatch)
            try Self.insertUTXOs(db, effect.createdUnspent)
            var indexed: [(txid: Hash32, block: Data, position: Int)] = []
            indexed.reserveCapacity(connections.reduce(0) { $0 + $1.txids.count })
            let insertUndo = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO block_undo (hash, spent, minted, burnt) VALUES (?, ?, ?, ?)")
            let appendToChain = try db.cachedStatement(sql: "INSERT INTO active_chain (height, hash) VALUES (?, ?)")
            for connection in connections {
                let blockHash = SQLiteRecords.blob(connection.blockHash)
                try Self.insertAddressActivity(db, connection.addressActivity, height: connection.height, blockHash: connection.blockHash)
                try insertUndo.execute(arguments: [
                    blockHash, Data(UndoRecord.encode(connection.spent)),
                    connection.supply.map { SQLiteRecords.blob($0.minted) }, connection.supply.map { SQLiteRecords.blob($0.burnt) },
                ])
                try appendToChain.execute(arguments: [SQLiteRecords.integer(connection.height), blockHash])
                try Self.updateConnectedFlag(db, blockHash, connected: true)
                for (position, txid) in connection.txids.enumerated() { indexed.append((txid, blockHash, position)) }
            }
            indexed.sort { $0.txid < $1.txid }
            try Self.transactionIndexInsert.insert(
                indexed,
                into: db,
                arguments: { [SQLiteRecords.blob($0.txid), $0.block, $0.position] },
                onConstraintViolation: { .duplicateTransaction($0.txid) }
            )
            try Self.insertBlobs(db, effect.publishedBlobs)
            try Self.setTip(db, last.newTip)
        }
    }

    public func disconnect(_ disconnection: BlockDisconnection) throws(StoreError) {
        let blockHash = SQLiteRecords.blob(disconnection.blockHash)
        try write { db in
            try disconnection.checkIsTip(try Self.fetchTip(db))
            try Self.deleteUTXOs(db, disconnection.created)
            try Self.insertUTXOs(db, disconnection.restored)
            let unindexTransaction = try db.cachedStatement(sql: "DELETE FROM tx_index WHERE txid = ? AND block_hash = ?")
            for txid in disconnection.txids {
                try unindexTransaction.execute(arguments: [SQLiteRecords.blob(txid), blockHash])
                guard db.changesCount == 1 else { throw StoreError.missingTransaction(txid) }
            }
            try db.cachedStatement(sql: "DELETE FROM blob_index WHERE block_hash = ?").execute(arguments: [blockHash])
            try db.cachedStatement(sql: "DELETE FROM address_history WHERE block_hash = ?").execute(arguments: [blockHash])
            try db.cachedStatement(sql: "DELETE FROM block_undo WHERE hash = ?").execute(arguments: [blockHash])
            let height = SQLiteRecords.integer(disconnection.height)
            try db.cachedStatement(sql: "DELETE FROM active_chain WHERE height = ?").execute(arguments: [height])
            if disconnection.height == 0 {
                try db.execute(sql: "DELETE FROM chain_tip")
            } else {
                let parentHeight = disconnection.height - 1
                guard let parent = try Self.fetchActiveHash(db, height: parentHeight) else {
                    throw StoreError.corruptRecord(table: "active_chain", detail: "no block at height \(parentHeight)")
                }
                try Self.setTip(db, ChainTip(hash: parent, height: parentHeight, utxoSetHash: disconnection.utxoSetHash))
            }
            try Self.updateConnectedFlag(db, blockHash, connected: false)
        }
    }

    // MARK: Supply figures

    public func recordSupply(_ figures: [Hash32: BlockSupply]) throws(StoreError) {
        guard !figures.isEmpty else { return }
        try write { db in
            let update = try db.cachedStatement(sql: """
                UPDATE block_undo SET minted = ?, burnt = ? WHERE hash = ? AND minted IS NULL AND burnt IS NULL
                """)
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM block_undo WHERE hash = ?")
            for (hash, supply) in figures {
                try update.execute(arguments: [SQLiteRecords.blob(supply.minted), SQLiteRecords.blob(supply.burnt), SQLiteRecords.blob(hash)])
                guard db.changesCount == 1 else {
                    let connected = try Row.fetchOne(exists, arguments: [SQLiteRecords.blob(hash)]) != nil
                    throw connected ? StoreError.supplyAlreadyRecorded(hash) : StoreError.notConnected(hash)
                }
            }
        }
    }

    // MARK: Private

    private static func deleteUTXOs(_ db: Database, _ outpoints: [OutPoint]) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM utxo WHERE txid = ? AND output_index = ?")
        for outpoint in outpoints {
            try delete.execute(arguments: SQLiteRecords.outpointArguments(outpoint))
            guard db.changesCount == 1 else { throw StoreError.missingUTXO(outpoint) }
        }
    }

    private static let utxoInsert = SQLiteBatchInsert(
        table: "utxo",
        columns: SQLiteRecords.utxoColumns.components(separatedBy: ", ")
    )

    private static let transactionIndexInsert = SQLiteBatchInsert(
        table: "tx_index",
        columns: ["txid", "block_hash", "position"]
    )

    private static let blobIndexInsert = SQLiteBatchInsert(
        table: "blob_index",
        columns: ["hash", "block_hash", "height", "position", "blob_index"]
    )

    static func insertAddressActivity(_ db: Database, _ rows: [AddressActivity], height: UInt64, blockHash: Hash32) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO address_history (lock, height, position, block_hash, txid, received, sent) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for row in rows {
            try insert.execute(arguments: [
                Data(row.lock.encoded), SQLiteRecords.integer(height), row.position, SQLiteRecords.blob(blockHash),
                SQLiteRecords.blob(row.txid), SQLiteRecords.blob(row.received), SQLiteRecords.blob(row.sent),
            ])
        }
    }

    /// Fills the address history index from the active chain's bodies and undo data (the v4 migration).
    static func indexAddressHistoryOfActiveChain(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.height, a.hash, b.body, u.spent FROM active_chain a
            JOIN block_body b ON b.hash = a.hash JOIN block_undo u ON u.hash = a.hash ORDER BY a.height
            """)
        while let row = try rows.next() {
            let height = UInt64(bitPattern: try row.int64(at: 0, table: "active_chain"))
            let hash = try row.hash(at: 1, table: "active_chain")
            let block = try SQLiteRecords.decode(Block.self, from: row.bytes(at: 2, table: "block_body"), table: "block_body")
            let spent: [UTXO]
            do {
                spent = try UndoRecord.decode(try row.bytes(at: 3, table: "block_undo", nullMeansEmpty: true))
            } catch {
                throw StoreError.corruptRecord(table: "block_undo", detail: "\(error)")
            }
            guard let activity = AddressActivity.all(in: block, txids: block.transactions.map(\.txid), spent: spent) else {
                throw StoreError.corruptRecord(table: "block_body", detail: "the amounts of block \(hash) overflow")
            }
            try insertAddressActivity(db, activity, height: height, blockHash: hash)
        }
    }

    private static func insertBlobs(_ db: Database, _ blobs: [ConnectionBatchEffect.BlobRow]) throws {
        try blobIndexInsert.insert(
            blobs,
            into: db,
            arguments: { row in
                [
                    SQLiteRecords.blob(row.blob.hash), SQLiteRecords.blob(row.blockHash), SQLiteRecords.integer(row.height),
                    row.blob.position, row.blob.index,
                ]
            },
            onConstraintViolation: { .corruptRecord(table: "blob_index", detail: "blob \($0.blob.hash) indexed twice at height \($0.height)") }
        )
    }

    private static func insertUTXOs(_ db: Database, _ utxos: [UTXO]) throws {
        try utxoInsert.insert(
            utxos,
            into: db,
            arguments: SQLiteRecords.utxoArguments,
            onConstraintViolation: { .duplicateUTXO($0.outpoint) }
        )
    }

    private static func setTip(_ db: Database, _ tip: ChainTip) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO chain_tip (id, hash, height, utxo_set_hash) VALUES (1, ?, ?, ?)"
        )
        try statement.execute(arguments: [
            SQLiteRecords.blob(tip.hash), SQLiteRecords.integer(tip.height), SQLiteRecords.blob(tip.utxoSetHash),
        ])
    }

    private static func updateConnectedFlag(_ db: Database, _ blockHash: Data, connected: Bool) throws {
        let flag = Int64(BlockStatus.connected.rawValue)
        let sql = connected
            ? "UPDATE block_index SET status = status | ? WHERE hash = ?"
            : "UPDATE block_index SET status = status & ~? WHERE hash = ?"
        try db.cachedStatement(sql: sql).execute(arguments: [flag, blockHash])
    }
}
