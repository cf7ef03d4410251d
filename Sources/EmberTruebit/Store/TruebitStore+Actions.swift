import EmberCrypto
import Foundation
import GRDB

/// The actions a daemon sent, so a pass sends each once and again only after some blocks without effect.
extension TruebitStore {
    /// Records that `txid` was sent for the action `key` at tip height `height` (replacing an earlier send).
    public func recordAction(_ key: String, txid: Hash32, height: UInt64) throws(TruebitStoreError) {
        let path = self.path
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO action (key, txid, height) VALUES (?, ?, ?)",
                arguments: [key, Data(txid.bytes), try StoredValue.stored(height, "the action's height", path: path)])
        }
    }

    /// The last send of the action `key`, nil when it was never sent.
    public func action(_ key: String) throws(TruebitStoreError) -> SentAction? {
        let path = self.path
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT txid, height FROM action WHERE key = ?", arguments: [key]) else { return nil }
            return SentAction(
                key: key, txid: try StoredValue.hash(row["txid"], "the txid of action \(key)", path: path),
                height: try StoredValue.integer(row["height"], "the height of action \(key)", path: path))
        }
    }
}
