import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// Sealed blocks: each block's root and its moves, and the coins' latest entries they set.
extension OperatorStore {
    /// Stores `block` as the next block, moves each of its coins' latest entry to it, and removes its
    /// moves from the pending set, in one transaction: a crash leaves either the block with all its
    /// effects or the moves still pending.
    ///
    /// The block must follow the last stored one and each of its moves must still be pending exactly as
    /// it was read; otherwise nothing is written (`sealConflict`).
    @discardableResult
    public func storeSealed(_ block: ChildBlock, sealedAt: Date) throws(OperatorStoreError) -> SealedBlock {
        let (path, number) = (self.path, try storedInteger(block.number, "a block number"))
        let sealedAtMilliseconds = Int64((sealedAt.timeIntervalSince1970 * 1_000).rounded(.down))
        let sealed = SealedBlock(
            number: block.number, root: block.root, sealedAt: Date(timeIntervalSince1970: Double(sealedAtMilliseconds) / 1_000),
            transactionCount: block.transactions.count)
        try write { db in
            let last = try Self.lastBlockNumber(db, path: path)
            guard last < UInt64(Int64.max), last + 1 == block.number else {
                throw OperatorStoreError.sealConflict(reason: "block \(block.number) does not follow the last stored block \(last)")
            }
            try db.execute(
                sql: "INSERT INTO block (number, root, sealed_at_ms, tx_count) VALUES (?, ?, ?, ?)",
                arguments: [number, Data(block.root.bytes), sealedAtMilliseconds, block.transactions.count])
            let insertMove = try db.cachedStatement(sql: "INSERT INTO block_tx (block, coin_id, tx) VALUES (?, ?, ?)")
            let moveCoin = try db.cachedStatement(sql: "UPDATE coin SET latest_block = ?, owner_key = ? WHERE coin_id = ?")
            let removePending = try db.cachedStatement(sql: "DELETE FROM pending WHERE coin_id = ? AND tx = ?")
            for (coin, move) in block.transactions {
                let (coinBytes, moveBytes) = (Data(coin.bytes), Data(move.encoded))
                insertMove.setUncheckedArguments([number, coinBytes, moveBytes])
                try insertMove.execute()
                moveCoin.setUncheckedArguments([number, Data(move.newOwnerKey.bytes), coinBytes])
                try moveCoin.execute()
                guard db.changesCount == 1 else { throw OperatorStoreError.sealConflict(reason: "coin \(coin) has no registered deposit") }
                removePending.setUncheckedArguments([coinBytes, moveBytes])
                try removePending.execute()
                guard db.changesCount == 1 else { throw OperatorStoreError.sealConflict(reason: "the move of coin \(coin) is no longer pending") }
            }
        }
        return sealed
    }

    /// The number of the last sealed block; 0 before the first.
    public func lastBlockNumber() throws(OperatorStoreError) -> UInt64 {
        let path = self.path
        return try read { db in try Self.lastBlockNumber(db, path: path) }
    }

    static func lastBlockNumber(_ db: Database, path: String) throws -> UInt64 {
        try loadedInteger(try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM block") ?? 0, "the last block number", path: path)
    }

    /// The last sealed block; nil before the first.
    public func latestBlock() throws(OperatorStoreError) -> SealedBlock? {
        let path = self.path
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM block ORDER BY number DESC LIMIT 1").map { try Self.sealedBlock($0, path: path) }
        }
    }

    /// Sealed block `number`; nil when there is none.
    public func block(_ number: UInt64) throws(OperatorStoreError) -> SealedBlock? {
        guard let stored = Int64(exactly: number) else { return nil }
        let path = self.path
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM block WHERE number = ?", arguments: [stored]).map { try Self.sealedBlock($0, path: path) }
        }
    }

    /// The moves of block `number` in coin-id order: up to `limit` of them after coin `after` (nil: from
    /// the first). Pages through a large block without holding it all.
    public func moves(inBlock number: UInt64, after: Hash32? = nil, limit: Int = .max) throws(OperatorStoreError) -> [ChildTransaction] {
        guard let stored = Int64(exactly: number) else { return [] }
        let path = self.path
        let limit = Int64(clamping: max(0, limit))
        return try read { db in
            let rows = if let after {
                try Data.fetchAll(
                    db, sql: "SELECT tx FROM block_tx WHERE block = ? AND coin_id > ? ORDER BY coin_id LIMIT ?",
                    arguments: [stored, Data(after.bytes), limit])
            } else {
                try Data.fetchAll(db, sql: "SELECT tx FROM block_tx WHERE block = ? ORDER BY coin_id LIMIT ?", arguments: [stored, limit])
            }
            return try rows.map { data throws in try Self.loadedMove(data, path: path) }
        }
    }

    /// The move of `coin` in block `number`; nil when the block did not move it.
    public func move(of coin: Hash32, inBlock number: UInt64) throws(OperatorStoreError) -> ChildTransaction? {
        guard let stored = Int64(exactly: number) else { return nil }
        let path = self.path
        return try read { db in
            try Data.fetchOne(db, sql: "SELECT tx FROM block_tx WHERE block = ? AND coin_id = ?", arguments: [stored, Data(coin.bytes)])
                .map { data throws in try Self.loadedMove(data, path: path) }
        }
    }

    /// Records that block `number` was committed on layer 1 by `txid` at `height` (the committer's call).
    public func recordCommit(ofBlock number: UInt64, txid: Hash32, height: UInt64) throws(OperatorStoreError) {
        let (stored, storedHeight) = (try storedInteger(number, "a block number"), try storedInteger(height, "a height"))
        let changed = try write { db in
            try db.execute(
                sql: "UPDATE block SET commit_txid = ?, commit_height = ? WHERE number = ?",
                arguments: [Data(txid.bytes), storedHeight, stored])
            return db.changesCount
        }
        guard changed == 1 else { throw .sealConflict(reason: "no block \(number) to record a commit for") }
    }

    static func sealedBlock(_ row: Row, path: String) throws -> SealedBlock {
        let txid = (row["commit_txid"] as Data?).flatMap { Hash32($0) }
        let height = try (row["commit_height"] as Int64?).map { try loadedInteger($0, "a commit height", path: path) }
        return SealedBlock(
            number: try loadedInteger(row["number"], "a block number", path: path), root: try loadedHash(row["root"], "a block root", path: path),
            sealedAt: Date(timeIntervalSince1970: Double(row["sealed_at_ms"] as Int64) / 1_000),
            transactionCount: row["tx_count"], commitTxid: txid, commitHeight: height)
    }
}
