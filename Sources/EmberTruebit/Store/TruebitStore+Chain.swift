import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import GRDB

/// The daemon's view of the chain: every Truebit output seen and how it was spent.
extension TruebitStore {
    /// Applies one block's change and stores the cursor after it, in one transaction (a crash between the
    /// two would otherwise replay or skip the block).
    public func apply(_ change: TruebitChainChange, cursor: ChainCursor?) throws(TruebitStoreError) {
        let path = self.path
        try write { db in
            if let height = change.disconnectedFrom {
                let from = try StoredValue.stored(height, "the disconnected height", path: path)
                try db.execute(sql: "DELETE FROM chain_output WHERE height >= ?", arguments: [from])
                try db.execute(
                    sql: "UPDATE chain_output SET spent_height = NULL, spent_txid = NULL, spent_mode = NULL WHERE spent_height >= ?",
                    arguments: [from])
            }
            for record in change.created { try Self.insert(record, in: db, path: path) }
            for spent in change.spent {
                try db.execute(
                    sql: "UPDATE chain_output SET spent_height = ?, spent_txid = ?, spent_mode = ? WHERE outpoint = ?",
                    arguments: [
                        try StoredValue.stored(spent.spend.height, "a spend's height", path: path), Data(spent.spend.txid.bytes),
                        Int64(spent.spend.mode), StoredValue.stored(spent.outpoint),
                    ])
            }
            try Self.saveCursor(cursor, in: db, path: path)
        }
    }

    private static func insert(_ record: TruebitChainRecord, in db: Database, path: String) throws {
        guard let subject = record.subject else {
            throw TruebitStoreError.database(path: path, reason: "output \(record.outpoint.txid):\(record.outpoint.index) is not a Truebit output")
        }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO chain_output
                    (outpoint, tag, subject, output, height, post_txid, points, side, spent_height, spent_txid, spent_mode)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                StoredValue.stored(record.outpoint), Int64(record.output.lock.tag), Data(subject.bytes), Data(record.output.encoded),
                try StoredValue.stored(record.height, "a record's height", path: path), record.postTxid.map { Data($0.bytes) },
                record.points.map(StoredValue.stored), record.side?.rawValue,
                try record.spend.map { spend throws in try StoredValue.stored(spend.height, "a spend's height", path: path) },
                record.spend.map { Data($0.txid.bytes) }, record.spend.map { Int64($0.mode) },
            ])
    }

    /// The record of `outpoint`, nil when the daemon never saw it (or a reorganisation removed it).
    public func record(_ outpoint: OutPoint) throws(TruebitStoreError) -> TruebitChainRecord? {
        try records(where: "outpoint = ?", [StoredValue.stored(outpoint)]).first
    }

    /// The records with lock tag `tag`, only the unspent ones unless `includeSpent`, by height then outpoint.
    public func records(tag: UInt8, includeSpent: Bool = false) throws(TruebitStoreError) -> [TruebitChainRecord] {
        try records(where: includeSpent ? "tag = ?" : "tag = ? AND spent_height IS NULL", [Int64(tag)])
    }

    /// Every record of one task (tasks and commits, by taskId) or one solution (the solution, its games,
    /// markers and results, by solutionId), spent or not, by height then outpoint.
    public func records(subject: Hash32) throws(TruebitStoreError) -> [TruebitChainRecord] {
        try records(where: "subject = ?", [Data(subject.bytes)])
    }

    /// Forgets records spent below `height` (deeper than any reorganisation the daemon follows): their
    /// story is over, and what the daemon keeps of its own lives in its other tables.
    public func forgetSpent(below height: UInt64) throws(TruebitStoreError) {
        let path = self.path
        try write { db in
            try db.execute(
                sql: "DELETE FROM chain_output WHERE spent_height < ?", arguments: [try StoredValue.stored(height, "a height", path: path)])
        }
    }

    private func records(where condition: String, _ arguments: StatementArguments) throws(TruebitStoreError) -> [TruebitChainRecord] {
        let path = self.path
        return try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT outpoint, tag, output, height, post_txid, points, side, spent_height, spent_txid, spent_mode
                    FROM chain_output WHERE \(condition) ORDER BY height, outpoint
                    """,
                arguments: arguments)
            return try rows.map { row in try Self.record(row, path: path) }
        }
    }

    private static func record(_ row: Row, path: String) throws -> TruebitChainRecord {
        let outpoint = try StoredValue.outpoint(row["outpoint"], "a record's outpoint", path: path)
        let what = "record \(outpoint.txid):\(outpoint.index)"
        let output = try StoredValue.output(row["output"], "the output of \(what)", path: path)
        guard let tag = Int64.fromDatabaseValue(row["tag"]), tag == Int64(output.lock.tag), TruebitChainRecord.recordedTags.contains(output.lock.tag)
        else {
            throw StoredValue.damaged(what, "has a tag that is not its output's Truebit lock tag", path: path)
        }
        var spend: TruebitChainRecord.Spend? = nil
        if let height = try StoredValue.optionalInteger(row["spent_height"], "the spend height of \(what)", path: path) {
            guard let mode = Int64.fromDatabaseValue(row["spent_mode"]), let byte = UInt8(exactly: mode) else {
                throw StoredValue.damaged(what, "has a spend without a mode", path: path)
            }
            spend = .init(height: height, txid: try StoredValue.hash(row["spent_txid"], "the spending txid of \(what)", path: path), mode: byte)
        }
        let sideValue: DatabaseValue = row["side"]
        let side: TruebitChainRecord.GameSide? =
            sideValue.isNull ? nil : try StoredValue.enumeration(sideValue, "the side of \(what)", path: path)
        return TruebitChainRecord(
            outpoint: outpoint, output: output, height: try StoredValue.integer(row["height"], "the height of \(what)", path: path),
            postTxid: try StoredValue.optionalHash(row["post_txid"], "the post txid of \(what)", path: path),
            points: try StoredValue.points(row["points"], "the points of \(what)", path: path),
            side: side, spend: spend)
    }
}
