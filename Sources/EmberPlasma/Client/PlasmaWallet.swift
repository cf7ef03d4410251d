import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import GRDB

/// A Plasma client's state for one child chain in one SQLite file (WAL, `synchronous = FULL`): the
/// chain's committed blocks seen on layer 1, its bond, the coins held or watched with their full
/// history (one piece of evidence per child block from `firstBlock` on: a move with its inclusion proof
/// or the compressed non-inclusion proof, as docs/plasma.md "What to keep" asks), the moves signed and
/// not yet included, the exits and challenges of its coins, the actions sent, and the layer-1 cursor.
///
/// Each write is one transaction, so a crash leaves the file as before or after it, never between.
/// Opening a file of another chain, network or program fails and leaves it as it was.
public final class PlasmaWallet: Sendable {
    public static let formatName = "ember-plasma-wallet"
    public static let schemaVersion = "1"

    public let path: String
    public let chainId: Hash32
    public let network: NetworkID
    private let pool: DatabasePool

    public init(path: String, chainId: Hash32, network: NetworkID) throws(PlasmaWalletError) {
        self.path = path
        self.chainId = chainId
        self.network = network
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
        let found = try write { db -> [String: String]? in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if tables.isEmpty {
                try Self.createTables(db)
                for (key, value) in [("format", Self.formatName), ("version", Self.schemaVersion), ("chainId", chainId.hex), ("network", "\(network)")] {
                    try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
                }
            }
            guard tables.isEmpty || tables.contains("meta") else { return nil }
            return Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM meta").map { ($0["key"] as String, $0["value"] as String) }) { a, _ in a }
        }
        guard let found, found["format"] == Self.formatName else { throw .notAWallet(path: path) }
        guard found["version"] == Self.schemaVersion else { throw .damaged(path: path, reason: "schema version \(found["version"] ?? "none")") }
        guard found["chainId"] == chainId.hex, found["network"] == "\(network)" else {
            throw .otherChain(path: path, chainId: found["chainId"] ?? "?", network: found["network"] ?? "?")
        }
    }

    private static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE cursor (name TEXT PRIMARY KEY NOT NULL, height INTEGER NOT NULL, hash BLOB NOT NULL);
            CREATE TABLE block (number INTEGER PRIMARY KEY, root BLOB NOT NULL, txid BLOB NOT NULL, idx INTEGER NOT NULL, height INTEGER NOT NULL);
            CREATE TABLE bond (id INTEGER PRIMARY KEY CHECK (id = 1), txid BLOB NOT NULL, idx INTEGER NOT NULL, output BLOB NOT NULL, height INTEGER NOT NULL);
            CREATE TABLE coin (
                coinId BLOB PRIMARY KEY, depositorKey BLOB NOT NULL, amount TEXT NOT NULL, firstBlock INTEGER NOT NULL,
                exitWindow INTEGER NOT NULL, firstInput BLOB NOT NULL, outputIndex INTEGER NOT NULL, outTxid BLOB, outIdx INTEGER,
                outHeight INTEGER NOT NULL, status TEXT NOT NULL, checkedThrough INTEGER NOT NULL, unservedSince INTEGER);
            CREATE TABLE evidence (coinId BLOB NOT NULL, block INTEGER NOT NULL, tx BLOB, proof BLOB NOT NULL, PRIMARY KEY (coinId, block)) WITHOUT ROWID;
            CREATE TABLE pending (coinId BLOB PRIMARY KEY, tx BLOB NOT NULL, afterBlock INTEGER NOT NULL);
            CREATE TABLE watched (txid BLOB NOT NULL, idx INTEGER NOT NULL, coinId BLOB, output BLOB NOT NULL, height INTEGER NOT NULL,
                mine INTEGER NOT NULL, status TEXT NOT NULL, PRIMARY KEY (txid, idx));
            CREATE TABLE action (key TEXT PRIMARY KEY NOT NULL, txid BLOB NOT NULL, height INTEGER NOT NULL);
            """)
    }

    // MARK: - Cursor

    public func cursor() throws(PlasmaWalletError) -> ChainCursor? {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT height, hash FROM cursor WHERE name = 'chain'") }
        guard let row else { return nil }
        guard let hash = Hash32(Array(row["hash"] as Data)), let height = UInt64(exactly: row["height"] as Int64) else {
            throw .damaged(path: path, reason: "the cursor")
        }
        return ChainCursor(height: height, hash: hash)
    }

    // MARK: - Committed blocks and the bond

    /// Applies one layer-1 block's news and the cursor after it in one transaction.
    public func apply(_ change: LayerOneChange, cursor: ChainCursor?) throws(PlasmaWalletError) {
        try write { db in
            if let from = change.disconnectedFrom {
                try db.execute(sql: "DELETE FROM block WHERE height >= ?", arguments: [Self.int(from)])
                try db.execute(sql: "DELETE FROM watched WHERE height >= ?", arguments: [Self.int(from)])
            }
            for block in change.blocks {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO block (number, root, txid, idx, height) VALUES (?, ?, ?, ?, ?)",
                    arguments: [Self.int(block.number), Data(block.root.bytes), Data(block.outpoint.txid.bytes), block.outpoint.index, Self.int(block.height)])
            }
            if let bond = change.bond {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO bond (id, txid, idx, output, height) VALUES (1, ?, ?, ?, ?)",
                    arguments: [Data(bond.outpoint.txid.bytes), bond.outpoint.index, Data(bond.unspent.output.encoded), Self.int(bond.unspent.height)])
            }
            for watched in change.watched { try Self.put(watched, db) }
            for outpoint in change.spent {
                try db.execute(sql: "UPDATE watched SET status = 'spent' WHERE txid = ? AND idx = ?", arguments: [Data(outpoint.txid.bytes), outpoint.index])
            }
            for coin in change.coins { try Self.put(coin, db) }
            if let cursor {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO cursor (name, height, hash) VALUES ('chain', ?, ?)", arguments: [Self.int(cursor.height), Data(cursor.hash.bytes)])
            } else {
                try db.execute(sql: "DELETE FROM cursor WHERE name = 'chain'")
            }
        }
    }

    /// Every committed block seen, by number.
    public func blocks() throws(PlasmaWalletError) -> [UInt64: CommittedBlock] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT number, root, txid, idx, height FROM block") }
        var blocks = [UInt64: CommittedBlock]()
        for row in rows {
            guard let number = UInt64(exactly: row["number"] as Int64), let root = Hash32(Array(row["root"] as Data)),
                  let txid = Hash32(Array(row["txid"] as Data)), let height = UInt64(exactly: row["height"] as Int64)
            else { throw .damaged(path: path, reason: "a committed block") }
            blocks[number] = CommittedBlock(number: number, root: root, outpoint: OutPoint(txid: txid, index: row["idx"]), height: height)
        }
        return blocks
    }

    /// The chain's bond as last seen on layer 1.
    public func bond() throws(PlasmaWalletError) -> PlasmaCoinTransactions.ChainOutput? {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT txid, idx, output, height FROM bond") }
        guard let row else { return nil }
        guard let txid = Hash32(Array(row["txid"] as Data)), let output = try? Output.decode(from: Array(row["output"] as Data), limit: 4_096),
              let height = UInt64(exactly: row["height"] as Int64)
        else { throw .damaged(path: path, reason: "the bond") }
        return .init(outpoint: OutPoint(txid: txid, index: row["idx"]), unspent: UnspentOutput(output: output, height: height, isCoinbase: false))
    }

    // MARK: - Coins and their evidence

    /// Adds or replaces `coin`, with `evidence` added to its history, in one transaction.
    public func save(_ coin: WalletCoin, evidence: [UInt64: CoinProof] = [:]) throws(PlasmaWalletError) {
        try write { db in
            try Self.put(coin, db)
            for (block, proof) in evidence {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO evidence (coinId, block, tx, proof) VALUES (?, ?, ?, ?)",
                    arguments: [Data(coin.coinId.bytes), Self.int(block), proof.move.map { Data($0.encoded) }, Data(proof.proof.encoded)])
            }
        }
    }

    public func coins() throws(PlasmaWalletError) -> [WalletCoin] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT * FROM coin ORDER BY coinId") }
        var coins = [WalletCoin]()
        for row in rows { coins.append(try coin(row)) }
        return coins
    }

    public func coin(_ coinId: Hash32) throws(PlasmaWalletError) -> WalletCoin? {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT * FROM coin WHERE coinId = ?", arguments: [Data(coinId.bytes)]) }
        return try row.map { row throws(PlasmaWalletError) in try coin(row) }
    }

    /// The coin's stored history.
    public func history(of coin: WalletCoin) throws(PlasmaWalletError) -> CoinHistory {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT block, tx, proof FROM evidence WHERE coinId = ?", arguments: [Data(coin.coinId.bytes)])
        }
        var evidence = [UInt64: CoinProof]()
        for row in rows {
            guard let block = UInt64(exactly: row["block"] as Int64),
                  let proof = try? SparseMerkleTree.Proof(decoding: Array(row["proof"] as Data), limit: SparseMerkleTree.Proof.maxByteCount)
            else { throw .damaged(path: path, reason: "evidence of coin \(coin.coinId)") }
            if let bytes = row["tx"] as Data? {
                guard let move = try? ChildTransaction.decode(from: Array(bytes), limit: ChildTransaction.byteCount) else {
                    throw .damaged(path: path, reason: "a move of coin \(coin.coinId)")
                }
                evidence[block] = .moved(move, proof)
            } else {
                evidence[block] = .notMoved(proof)
            }
        }
        return CoinHistory(coinId: coin.coinId, depositorKey: coin.depositorKey, firstBlock: coin.firstBlock, evidence: evidence)
    }

    // MARK: - Pending moves

    /// Stores the wallet's signed move of a coin before it is sent: resent as it is, never signed again.
    public func savePending(_ move: ChildTransaction, afterBlock: UInt64) throws(PlasmaWalletError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO pending (coinId, tx, afterBlock) VALUES (?, ?, ?)",
                arguments: [Data(move.coinId.bytes), Data(move.encoded), Self.int(afterBlock)])
        }
    }

    /// The pending move of each coin, with the latest child block when it was signed.
    public func pending() throws(PlasmaWalletError) -> [Hash32: (move: ChildTransaction, afterBlock: UInt64)] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT tx, afterBlock FROM pending") }
        var pending = [Hash32: (move: ChildTransaction, afterBlock: UInt64)]()
        for row in rows {
            guard let move = try? ChildTransaction.decode(from: Array(row["tx"] as Data), limit: ChildTransaction.byteCount),
                  let after = UInt64(exactly: row["afterBlock"] as Int64)
            else { throw .damaged(path: path, reason: "a pending move") }
            pending[move.coinId] = (move, after)
        }
        return pending
    }

    public func removePending(_ coinId: Hash32) throws(PlasmaWalletError) {
        try write { db in try db.execute(sql: "DELETE FROM pending WHERE coinId = ?", arguments: [Data(coinId.bytes)]) }
    }

    // MARK: - Exits, challenges, markers

    /// Every followed exit, challenge and marker.
    public func watched() throws(PlasmaWalletError) -> [WatchedOutput] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT txid, idx, output, height, mine, status FROM watched ORDER BY height, txid, idx") }
        var outputs = [WatchedOutput]()
        for row in rows {
            guard let txid = Hash32(Array(row["txid"] as Data)), let output = try? Output.decode(from: Array(row["output"] as Data), limit: 4_096),
                  let height = UInt64(exactly: row["height"] as Int64), let status = WatchedOutput.Status(rawValue: row["status"])
            else { throw .damaged(path: path, reason: "a followed output") }
            outputs.append(WatchedOutput(outpoint: OutPoint(txid: txid, index: row["idx"]), output: output, height: height, isMine: row["mine"] as Int64 != 0, status: status))
        }
        return outputs
    }

    // MARK: - Actions sent

    /// The transaction last sent for `key` (an action such as "exit/<coin>") and the tip height then.
    public func action(_ key: String) throws(PlasmaWalletError) -> (txid: Hash32, height: UInt64)? {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT txid, height FROM action WHERE key = ?", arguments: [key]) }
        guard let row else { return nil }
        guard let txid = Hash32(Array(row["txid"] as Data)), let height = UInt64(exactly: row["height"] as Int64) else {
            throw .damaged(path: path, reason: "action \(key)")
        }
        return (txid, height)
    }

    public func recordAction(_ key: String, txid: Hash32, height: UInt64) throws(PlasmaWalletError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO action (key, txid, height) VALUES (?, ?, ?)", arguments: [key, Data(txid.bytes), Self.int(height)])
        }
    }

    // MARK: - Rows

    private static func put(_ coin: WalletCoin, _ db: Database) throws {
        var firstInput = ByteWriter()
        firstInput.write(coin.firstInput)
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO coin (coinId, depositorKey, amount, firstBlock, exitWindow, firstInput, outputIndex, outTxid, outIdx,
                outHeight, status, checkedThrough, unservedSince) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Data(coin.coinId.bytes), Data(coin.depositorKey.bytes), String(coin.amount.units), int(coin.firstBlock), Int64(coin.exitWindow),
                Data(firstInput.bytes), Int64(coin.outputIndex), coin.output.map { Data($0.txid.bytes) }, coin.output.map { Int64($0.index) },
                int(coin.outputHeight), coin.status.rawValue, int(coin.checkedThrough), coin.unservedSince.map(int),
            ])
    }

    private static func put(_ watched: WatchedOutput, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO watched (txid, idx, coinId, output, height, mine, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                Data(watched.outpoint.txid.bytes), watched.outpoint.index, watched.coinId.map { Data($0.bytes) }, Data(watched.output.encoded),
                int(watched.height), watched.isMine ? 1 : 0, watched.status.rawValue,
            ])
    }

    private func coin(_ row: Row) throws(PlasmaWalletError) -> WalletCoin {
        let outTxid = (row["outTxid"] as Data?).flatMap { Hash32(Array($0)) }
        let outIdx = row["outIdx"] as Int64?
        guard let coinId = Hash32(Array(row["coinId"] as Data)), let depositor = RawPublicKey(Array(row["depositorKey"] as Data)),
              let units = UInt128(row["amount"] as String), let firstBlock = UInt64(exactly: row["firstBlock"] as Int64),
              let window = UInt32(exactly: row["exitWindow"] as Int64), let outputIndex = UInt32(exactly: row["outputIndex"] as Int64),
              let firstInput = try? OutPoint.decode(from: Array(row["firstInput"] as Data), limit: 64),
              let outHeight = UInt64(exactly: row["outHeight"] as Int64), let status = WalletCoin.Status(rawValue: row["status"]),
              let checked = UInt64(exactly: row["checkedThrough"] as Int64)
        else { throw .damaged(path: path, reason: "a coin") }
        let output = outTxid.flatMap { txid in outIdx.flatMap { UInt32(exactly: $0) }.map { OutPoint(txid: txid, index: $0) } }
        return WalletCoin(
            coinId: coinId, depositorKey: depositor, amount: Amount(units: units), firstBlock: firstBlock, exitWindow: window, firstInput: firstInput,
            outputIndex: outputIndex, output: output, outputHeight: outHeight, status: status, checkedThrough: checked,
            unservedSince: (row["unservedSince"] as Int64?).flatMap { UInt64(exactly: $0) })
    }

    /// Heights and block numbers are u64; SQLite integers are i64. Numbers from 2^63 on are clamped,
    /// never reached by a real chain.
    private static func int(_ value: UInt64) -> Int64 { Int64(clamping: value) }

    private func read<T>(_ body: (Database) throws -> T) throws(PlasmaWalletError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(PlasmaWalletError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }
}
