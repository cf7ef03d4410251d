import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// The node's `ChainStore`: one SQLite database per data folder, through GRDB in WAL mode.
///
/// Durability: WAL with `synchronous = NORMAL`. A transaction is in the write-ahead log when `connect`
/// returns, so a block reported connected survives the process being killed; only an OS crash or
/// power loss can lose the last transactions, and the database is consistent even then (the node
/// fetches the lost blocks again). docs/storage.md gives the reasons.
///
/// The class is `Sendable` without `@unchecked`: its state is immutable `let`s, and GRDB's
/// `DatabasePool` is `Sendable`, serialising writes on one connection and giving each read a
/// connection of its own.
public final class SQLiteChainStore: ChainStore {
    public let identity: ChainIdentity
    /// The database file, `<data folder>/ember.sqlite`.
    public let databasePath: String
    let pool: DatabasePool

    /// Opens the store in `folder`, creating the folder and an empty database for `identity` when
    /// there is none yet.
    ///
    /// A file that is not an Ember database of this chain is reported, never rewritten: garbage or
    /// a truncated file, another program's SQLite database, another network's data, a newer schema.
    public init(folder: String, identity: ChainIdentity) throws(StoreError) {
        try Self.prepareFolder(folder)
        let databasePath = URL(fileURLWithPath: folder).appendingPathComponent(StoreSchema.fileName).path
        if try DatabaseFileCheck.inspect(path: databasePath) == .sqlite {
            try Self.checkExistingDatabase(at: databasePath, identity: identity)
        }
        self.identity = identity
        self.databasePath = databasePath
        pool = try Self.mapErrors(path: databasePath) {
            var configuration = Configuration()
            configuration.label = "EmberStore"
            configuration.prepareDatabase { db in
                // GRDB opens a pool in WAL mode with synchronous = NORMAL; say so in case that default moves.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // UTXO keys are random hashes, so a big block touches pages all over the table: keep
                // more of them in memory than SQLite's 2 MiB default (32 MiB per connection).
                try db.execute(sql: "PRAGMA cache_size = -32768")
                // A checkpoint fsyncs twice; at SQLite's default of 1 000 pages a busy block set one
                // off at every commit. 16 384 pages (64 MiB of log) checkpoint every few blocks.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                // Inside a transaction every multi-row write keeps a statement journal so it can undo
                // itself alone; on disk that was a temporary file taking most of an import's writes.
                // In memory it holds at most the pages one statement touches.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
            let pool = try DatabasePool(path: databasePath, configuration: configuration)
            try StoreSchema.migrator(identity: identity).migrate(pool)
            return pool
        }
    }

    /// Closes the database; later calls fail. Also done when the store is released.
    public func close() throws(StoreError) {
        try Self.mapErrors(path: databasePath) { try pool.close() }
    }

    // MARK: Block index

    public func indexEntry(for hash: Hash32) throws(StoreError) -> BlockIndexEntry? {
        try read { db in try Self.fetchIndexEntry(db, hash) }
    }

    public func children(of parent: Hash32) throws(StoreError) -> [BlockIndexEntry] {
        try indexEntries(where: "parent = ?", [SQLiteRecords.blob(parent)])
    }

    public func indexEntries(atHeight height: UInt64) throws(StoreError) -> [BlockIndexEntry] {
        try indexEntries(where: "height = ?", [SQLiteRecords.integer(height)])
    }

    public func allIndexEntries() throws(StoreError) -> [BlockIndexEntry] {
        try read { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT \(SQLiteRecords.indexColumns) FROM block_index ORDER BY height, hash")
            )
            var entries: [BlockIndexEntry] = []
            while let row = try rows.next() { entries.append(try SQLiteRecords.indexEntry(row)) }
            return entries
        }
    }

    // MARK: Block bodies

    public func block(_ hash: Hash32) throws(StoreError) -> Block? {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT body FROM block_body WHERE hash = ?")
            guard let row = try Row.fetchOne(statement, arguments: [SQLiteRecords.blob(hash)]) else { return nil }
            return try SQLiteRecords.decode(Block.self, from: row.bytes(at: 0, table: "block_body"), table: "block_body")
        }
    }

    // MARK: Active chain

    public func tip() throws(StoreError) -> ChainTip? {
        try read { db in try Self.fetchTip(db) }
    }

    public func activeHash(atHeight height: UInt64) throws(StoreError) -> Hash32? {
        try read { db in try Self.fetchActiveHash(db, height: height) }
    }

    public func activeBlocks(from height: UInt64, limit: Int) throws(StoreError) -> [Block] {
        try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT active_chain.height, block_body.body FROM active_chain
                LEFT JOIN block_body ON block_body.hash = active_chain.hash
                WHERE active_chain.height >= ? ORDER BY active_chain.height LIMIT ?
                """)
            let rows = try Row.fetchCursor(statement, arguments: [SQLiteRecords.integer(height), max(0, limit)])
            var blocks: [Block] = []
            while let row = try rows.next() {
                let body = try row.bytes(at: 1, table: "block_body", nullMeansEmpty: true)
                guard !body.isEmpty else {
                    let missingHeight = try row.int64(at: 0, table: "active_chain")
                    throw StoreError.corruptRecord(table: "block_body", detail: "active block \(missingHeight) has no body")
                }
                blocks.append(try SQLiteRecords.decode(Block.self, from: body, table: "block_body"))
            }
            return blocks
        }
    }

    // MARK: UTXO set

    public func utxo(at outpoint: OutPoint) throws(StoreError) -> UTXOEntry? {
        try read { db in try Self.fetchUTXO(db, outpoint)?.entry }
    }

    public func utxos(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry] {
        try read { db in try Self.fetchUTXOs(db, outpoints) }
    }

    /// `utxos(at:)` on the writing connection, for the one writer: its page cache survives its own
    /// commits, while a reading connection drops its cache whenever the database has changed.
    func utxosOnWritingConnection(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry] {
        try Self.mapErrors(path: databasePath) { try pool.writeWithoutTransaction { db in try Self.fetchUTXOs(db, outpoints) } }
    }

    public func utxos(lockedBy lock: Lock, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        try utxoPage(lock: lock, after: after, limit: limit)
    }

    public func balance(of lock: Lock) throws(StoreError) -> LockBalance {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT amount FROM utxo WHERE lock = ?")
            let rows = try Row.fetchCursor(statement, arguments: [Data(lock.encoded)])
            var total = Amount.zero
            var count = 0
            while let row = try rows.next() {
                let bytes = try row.bytes(at: 0, table: "utxo")
                let amount = Amount(units: bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
                guard bytes.count == 16, let sum = total.adding(amount) else {
                    throw StoreError.corruptRecord(table: "utxo", detail: "the amounts locked to \(lock) do not add up")
                }
                total = sum
                count += 1
            }
            return LockBalance(amount: total, outputCount: count)
        }
    }

    public func history(of lock: Lock, limit: Int) throws(StoreError) -> [LockHistoryEntry] {
        try read { db in
            let table = "address_history"
            let statement = try db.cachedStatement(sql: """
                SELECT h.height, h.position, h.block_hash, h.txid, h.received, h.sent, i.header
                FROM address_history h JOIN block_index i ON i.hash = h.block_hash
                WHERE h.lock = ? ORDER BY h.height DESC, h.position DESC LIMIT ?
                """)
            return try Row.fetchAll(statement, arguments: [Data(lock.encoded), limit]).map { row throws(StoreError) in
                guard let position = Int(exactly: try row.int64(at: 1, table: table)) else {
                    throw StoreError.corruptRecord(table: table, detail: "a position does not fit an Int")
                }
                let header = try SQLiteRecords.decode(BlockHeader.self, from: row.bytes(at: 6, table: "block_index"), table: "block_index")
                let activity = AddressActivity(
                    lock: lock, position: position, txid: try row.hash(at: 3, table: table),
                    received: try row.amount(at: 4, table: table), sent: try row.amount(at: 5, table: table))
                return LockHistoryEntry(
                    height: UInt64(bitPattern: try row.int64(at: 0, table: table)), blockHash: try row.hash(at: 2, table: table),
                    timestamp: header.timestamp, activity: activity)
            }
        }
    }

    public func utxoSet(after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        try utxoPage(lock: nil, after: after, limit: limit)
    }

    // MARK: Undo data and transaction index

    public func undo(for hash: Hash32) throws(StoreError) -> [UTXO]? {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT spent FROM block_undo WHERE hash = ?")
            guard let row = try Row.fetchOne(statement, arguments: [SQLiteRecords.blob(hash)]) else { return nil }
            let record = try row.bytes(at: 0, table: "block_undo")
            do throws(DecodingError) {
                return try UndoRecord.decode(record)
            } catch {
                throw StoreError.corruptRecord(table: "block_undo", detail: error.description)
            }
        }
    }

    public func transactionLocation(of txid: Hash32) throws(StoreError) -> TransactionLocation? {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT block_hash, position FROM tx_index WHERE txid = ?")
            guard let row = try Row.fetchOne(statement, arguments: [SQLiteRecords.blob(txid)]) else { return nil }
            let position = try row.int64(at: 1, table: "tx_index")
            guard let index = Int(exactly: position), index >= 0 else {
                throw StoreError.corruptRecord(table: "tx_index", detail: "position \(position)")
            }
            return TransactionLocation(blockHash: try row.hash(at: 0, table: "tx_index"), position: index)
        }
    }

    public func blob(_ hash: Hash32) throws(StoreError) -> StoredBlob? {
        // One read transaction, so the block read is the one the index named even while the tip moves.
        try read { db in
            let table = "blob_index"
            let statement = try db.cachedStatement(sql: """
                SELECT block_hash, height, position, blob_index FROM blob_index
                WHERE hash = ? ORDER BY height, position, blob_index LIMIT 1
                """)
            guard let row = try Row.fetchOne(statement, arguments: [SQLiteRecords.blob(hash)]) else { return nil }
            let blockHash = try row.hash(at: 0, table: table)
            let height = UInt64(bitPattern: try row.int64(at: 1, table: table))
            guard let position = Int(exactly: try row.int64(at: 2, table: table)),
                let index = Int(exactly: try row.int64(at: 3, table: table))
            else { throw StoreError.corruptRecord(table: table, detail: "a position of blob \(hash) does not fit an Int") }
            let body = try db.cachedStatement(sql: "SELECT body FROM block_body WHERE hash = ?")
            guard let bodyRow = try Row.fetchOne(body, arguments: [SQLiteRecords.blob(blockHash)]) else {
                throw StoreError.corruptRecord(table: table, detail: "blob \(hash) names block \(blockHash), whose body is missing")
            }
            let block = try SQLiteRecords.decode(Block.self, from: bodyRow.bytes(at: 0, table: "block_body"), table: "block_body")
            let published = PublishedBlob(hash: hash, position: position, index: index)
            guard let blob = StoredBlob(published, in: block, height: height) else {
                throw StoreError.corruptRecord(
                    table: table, detail: "block \(blockHash) holds no blob \(hash) at transaction \(position), blob \(index)")
            }
            return blob
        }
    }

    public func blobLocations(after: BlobLocation?, limit: Int) throws(StoreError) -> [BlobLocation] {
        try read { db in
            let table = "blob_index"
            let columns = "hash, block_hash, height, position, blob_index"
            let order = "ORDER BY hash, height, position, blob_index LIMIT ?"
            let rows: RowCursor
            if let after {
                let statement = try db.cachedStatement(
                    sql: "SELECT \(columns) FROM blob_index WHERE (hash, height, position, blob_index) > (?, ?, ?, ?) \(order)")
                rows = try Row.fetchCursor(statement, arguments: [
                    SQLiteRecords.blob(after.hash), SQLiteRecords.integer(after.height), after.position, after.index, max(0, limit),
                ])
            } else {
                rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT \(columns) FROM blob_index \(order)"), arguments: [max(0, limit)])
            }
            var locations: [BlobLocation] = []
            while let row = try rows.next() {
                let hash = try row.hash(at: 0, table: table)
                guard let position = Int(exactly: try row.int64(at: 3, table: table)),
                    let index = Int(exactly: try row.int64(at: 4, table: table))
                else { throw StoreError.corruptRecord(table: table, detail: "a position of blob \(hash) does not fit an Int") }
                locations.append(BlobLocation(
                    hash: hash, blockHash: try row.hash(at: 1, table: table),
                    height: UInt64(bitPattern: try row.int64(at: 2, table: table)), position: position, index: index))
            }
            return locations
        }
    }

    // MARK: Supply figures

    public func supply(of hash: Hash32) throws(StoreError) -> BlockSupply? {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT minted, burnt FROM block_undo WHERE hash = ?")
            guard let row = try Row.fetchOne(statement, arguments: [SQLiteRecords.blob(hash)]) else { return nil }
            return try SQLiteRecords.supply(row, at: 0, block: hash)
        }
    }

    public func activeSupply() throws(StoreError) -> ActiveChainSupply {
        try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT active_chain.height, active_chain.hash, block_undo.hash, block_undo.minted, block_undo.burnt
                FROM active_chain LEFT JOIN block_undo ON block_undo.hash = active_chain.hash
                ORDER BY active_chain.height
                """)
            let rows = try Row.fetchCursor(statement)
            var total = BlockSupply.zero
            var withoutFigures: [Hash32] = []
            while let row = try rows.next() {
                let hash = try row.hash(at: 1, table: "active_chain")
                guard !row.hasNull(atIndex: 2) else {
                    let height = try row.int64(at: 0, table: "active_chain")
                    throw StoreError.corruptRecord(table: "block_undo", detail: "active block \(hash) at height \(height) has no undo record")
                }
                guard let figures = try SQLiteRecords.supply(row, at: 3, block: hash) else {
                    withoutFigures.append(hash)
                    continue
                }
                guard let minted = total.minted.adding(figures.minted), let burnt = total.burnt.adding(figures.burnt) else {
                    throw StoreError.corruptRecord(table: "block_undo", detail: "the active chain's supply figures overflow 128 bits at block \(hash)")
                }
                total = BlockSupply(minted: minted, burnt: burnt)
            }
            return ActiveChainSupply(recorded: total, blocksWithoutFigures: withoutFigures)
        }
    }

    // MARK: Helpers shared with the writes

    /// Runs `body` in a read transaction, errors mapped to `StoreError`.
    func read<Value>(_ body: (Database) throws -> Value) throws(StoreError) -> Value {
        try Self.mapErrors(path: databasePath) { try pool.read(body) }
    }

    /// Runs `body` in one write transaction, rolled back if it throws; errors mapped to `StoreError`.
    func write<Value>(_ body: (Database) throws -> Value) throws(StoreError) -> Value {
        try Self.mapErrors(path: databasePath) { try pool.write(body) }
    }

    static func fetchIndexEntry(_ db: Database, _ hash: Hash32) throws -> BlockIndexEntry? {
        let statement = try db.cachedStatement(
            sql: "SELECT \(SQLiteRecords.indexColumns) FROM block_index WHERE hash = ?"
        )
        return try Row.fetchOne(statement, arguments: [SQLiteRecords.blob(hash)]).map(SQLiteRecords.indexEntry)
    }

    static func fetchTip(_ db: Database) throws -> ChainTip? {
        let statement = try db.cachedStatement(sql: "SELECT hash, height, utxo_set_hash FROM chain_tip WHERE id = 1")
        guard let row = try Row.fetchOne(statement) else { return nil }
        return ChainTip(
            hash: try row.hash(at: 0, table: "chain_tip"),
            height: UInt64(bitPattern: try row.int64(at: 1, table: "chain_tip")),
            utxoSetHash: try row.hash(at: 2, table: "chain_tip")
        )
    }

    static func fetchActiveHash(_ db: Database, height: UInt64) throws -> Hash32? {
        let statement = try db.cachedStatement(sql: "SELECT hash FROM active_chain WHERE height = ?")
        return try Row.fetchOne(statement, arguments: [SQLiteRecords.integer(height)])
            .map { row throws(StoreError) in try row.hash(at: 0, table: "active_chain") }
    }

    static func fetchUTXO(_ db: Database, _ outpoint: OutPoint) throws -> UTXO? {
        let statement = try db.cachedStatement(
            sql: "SELECT \(SQLiteRecords.utxoColumns) FROM utxo WHERE txid = ? AND output_index = ?"
        )
        return try Row.fetchOne(statement, arguments: SQLiteRecords.outpointArguments(outpoint)).map(SQLiteRecords.utxo)
    }

    static func fetchUTXOs(_ db: Database, _ outpoints: [OutPoint]) throws -> [OutPoint: UTXOEntry] {
        var found: [OutPoint: UTXOEntry] = [:]
        found.reserveCapacity(outpoints.count)
        // In key order, each lookup finds its page near the last one's, in the cache.
        for outpoint in outpoints.sorted(by: OutPoint.storageOrder) {
            if let utxo = try fetchUTXO(db, outpoint) { found[outpoint] = utxo.entry }
        }
        return found
    }

    /// Runs `body`, turning GRDB's and SQLite's errors into `StoreError`s (ours pass through).
    static func mapErrors<Value>(path: String, _ body: () throws -> Value) throws(StoreError) -> Value {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: throw .notADatabase(path: path)
            case .SQLITE_CORRUPT: throw .damagedDatabase(path: path, detail: error.message ?? "\(error)")
            default: throw .sqlite(code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)")
            }
        } catch {
            throw .sqlite(code: -1, message: "\(error)")
        }
    }

    // MARK: Private

    private func indexEntries(where condition: String, _ arguments: StatementArguments) throws(StoreError) -> [BlockIndexEntry] {
        try read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(SQLiteRecords.indexColumns) FROM block_index WHERE \(condition) ORDER BY hash"
            )
            return try Row.fetchAll(statement, arguments: arguments).map(SQLiteRecords.indexEntry)
        }
    }

    private func utxoPage(lock: Lock?, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let lock {
            conditions.append("lock = ?")
            arguments += [Data(lock.encoded)]
        }
        if let after {
            conditions.append("(txid, output_index) > (?, ?)")
            arguments += SQLiteRecords.outpointArguments(after)
        }
        arguments += [max(0, limit)]
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(SQLiteRecords.utxoColumns) FROM utxo \(filter) ORDER BY txid, output_index LIMIT ?"
        return try read { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(SQLiteRecords.utxo)
        }
    }
}
