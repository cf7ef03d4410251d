import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// What the layer-1 side keeps in the operator's store: the commit columns of `block` are the
/// committer's durable queue (a sealed block whose `commit_txid` is NULL waits for its commit), and the
/// watcher's cursor lives in `meta`.
extension OperatorStore {
    /// The oldest sealed block no commit is recorded for; nil when every block is committed.
    public func firstUncommittedBlock() throws(OperatorStoreError) -> SealedBlock? {
        let path = self.path
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM block WHERE commit_txid IS NULL ORDER BY number LIMIT 1")
                .map { try Self.sealedBlock($0, path: path) }
        }
    }

    /// The highest block with a recorded commit; 0 when none.
    public func lastCommittedBlockNumber() throws(OperatorStoreError) -> UInt64 {
        let path = self.path
        return try read { db in
            try Self.loadedInteger(
                try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM block WHERE commit_txid IS NOT NULL") ?? 0, "the last committed block",
                path: path)
        }
    }

    /// Forgets the commits recorded for blocks from `number` on: a reorganisation took them off layer 1,
    /// so they wait in the queue again.
    public func clearCommits(from number: UInt64) throws(OperatorStoreError) {
        guard let stored = Int64(exactly: number) else { return }
        try write { db in
            try db.execute(sql: "UPDATE block SET commit_txid = NULL, commit_height = NULL WHERE number >= ? AND commit_txid IS NOT NULL", arguments: [stored])
        }
    }

    /// The last final layer-1 block the watcher handled (height and hash); nil before the first.
    public func layer1Cursor() throws(OperatorStoreError) -> (height: UInt64, hash: Hash32)? {
        let path = self.path
        return try read { db -> (height: UInt64, hash: Hash32)? in
            guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'layer1Cursor'") else { return nil }
            let parts = text.split(separator: ":")
            guard parts.count == 2, let height = UInt64(parts[0]), let hash = Hash32(hex: String(parts[1])) else {
                throw OperatorStoreError.damaged(path: path, reason: "the layer-1 cursor '\(text.prefix(100))' is not HEIGHT:HASH")
            }
            return (height, hash)
        }
    }

    /// Records the last final layer-1 block the watcher handled.
    public func saveLayer1Cursor(height: UInt64, hash: Hash32) throws(OperatorStoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('layer1Cursor', ?)", arguments: ["\(height):\(hash.hex)"])
        }
    }
}
