import EmberCrypto
import Foundation
import GRDB

/// The verifier daemon's verdicts on solutions.
extension TruebitStore {
    /// Stores the verdict on a solution (replacing an earlier one).
    public func save(_ verdict: SolutionVerdict) throws(TruebitStoreError) {
        let path = self.path
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO verdict (solution_id, agrees, own_state, height) VALUES (?, ?, ?, ?)",
                arguments: [
                    Data(verdict.solutionId.bytes), verdict.agrees ? 1 : 0, Data(verdict.ownState.bytes),
                    try StoredValue.stored(verdict.height, "the verdict's height", path: path),
                ])
        }
    }

    /// The verdict on the solution `solutionId`, nil when it was not checked yet.
    public func verdict(solutionId: Hash32) throws(TruebitStoreError) -> SolutionVerdict? {
        let path = self.path
        return try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT agrees, own_state, height FROM verdict WHERE solution_id = ?", arguments: [Data(solutionId.bytes)])
            else { return nil }
            let what = "the verdict on solution \(solutionId.hex)"
            guard let agrees = Int64.fromDatabaseValue(row["agrees"]), agrees == 0 || agrees == 1 else {
                throw StoredValue.damaged(what, "is neither agreement nor disagreement", path: path)
            }
            return SolutionVerdict(
                solutionId: solutionId, agrees: agrees == 1, ownState: try StoredValue.hash(row["own_state"], "the state of \(what)", path: path),
                height: try StoredValue.integer(row["height"], "the height of \(what)", path: path))
        }
    }
}
