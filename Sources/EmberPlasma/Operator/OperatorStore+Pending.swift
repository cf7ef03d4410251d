import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// Accepted moves waiting for the next block: one row per coin (the unique coin id is the rule that a
/// coin moves at most once per block), in the order they were accepted.
extension OperatorStore {
    /// Stores `moves`, already judged acceptable against an earlier snapshot, in one transaction, and
    /// returns the indices of those that were not stored because the chain changed since that snapshot
    /// (a block sealed the coin's latest entry away, another request moved it first, or a freeze).
    ///
    /// Each insert checks again, inside the transaction, that the coin's latest entry is still the move's
    /// parent and that no move of the coin is pending; the owner key changes only with the latest entry,
    /// so the signature checked against the snapshot is still the right one.
    public func addPending(_ moves: [ChildTransaction]) throws(OperatorStoreError) -> [Int] {
        guard !moves.isEmpty else { return [] }
        var parents = [Int64]()
        parents.reserveCapacity(moves.count)
        for move in moves { parents.append(try storedInteger(move.parentBlock, "a parent block")) }
        return try write { db -> [Int] in
            if try Self.isFrozen(db) { return Array(moves.indices) }
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO pending (coin_id, tx)
                SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM coin WHERE coin_id = ?1 AND latest_block = ?3)
                """)
            var notStored = [Int]()
            for (index, move) in moves.enumerated() {
                insert.setUncheckedArguments([Data(move.coinId.bytes), Data(move.encoded), parents[index]])
                try insert.execute()
                if db.changesCount == 0 { notStored.append(index) }
            }
            return notStored
        }
    }

    /// Up to `limit` pending moves, oldest first.
    public func pendingMoves(limit: Int) throws(OperatorStoreError) -> [ChildTransaction] {
        let path = self.path
        return try read { db in
            try Data.fetchAll(db, sql: "SELECT tx FROM pending ORDER BY seq LIMIT ?", arguments: [max(0, limit)])
                .map { data throws in try Self.loadedMove(data, path: path) }
        }
    }

    /// The number of moves waiting for the next block.
    public func pendingCount() throws(OperatorStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending") ?? 0 }
    }
}
