import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// The solver daemon's own records: its solutions (salts first) and its decisions on tasks.
extension TruebitStore {
    /// The most output bytes a reveal carries.
    static let maxOutputBytes = 65_536
    /// The largest output proof (docs/truebit.md, "The output proof").
    static let maxOutputProofBytes = 892

    /// Stores `solution` (replacing the attempt at the same task output): call it with the salt and result
    /// before the commit is broadcast, and again whenever the commit is rebuilt or the status changes.
    public func save(_ solution: SolverSolution) throws(TruebitStoreError) {
        let path = self.path
        guard solution.output.count <= Self.maxOutputBytes, solution.outputProof.count <= Self.maxOutputProofBytes else {
            throw .database(path: path, reason: "an output of \(solution.output.count) bytes or a proof of \(solution.outputProof.count) is over a reveal's limits")
        }
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO solution
                        (task_outpoint, task_id, salt, final_fields, output, output_proof, commit_txid, status, updated_height)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    StoredValue.stored(solution.taskOutpoint), Data(solution.taskId.bytes), Data(solution.salt.bytes),
                    Data(solution.finalState.encodedFields()), Data(solution.output), Data(solution.outputProof),
                    solution.commitTxid.map { Data($0.bytes) }, solution.status.rawValue,
                    try StoredValue.stored(solution.updatedHeight, "the solution's height", path: path),
                ])
        }
    }

    /// Every solution of the daemon, oldest first.
    public func solutions() throws(TruebitStoreError) -> [SolverSolution] {
        let path = self.path
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT task_outpoint, task_id, salt, final_fields, output, output_proof, commit_txid, status, updated_height
                    FROM solution ORDER BY updated_height, task_outpoint
                    """
            ).map { row in try Self.solution(row, path: path) }
        }
    }

    private static func solution(_ row: Row, path: String) throws -> SolverSolution {
        let taskOutpoint = try StoredValue.outpoint(row["task_outpoint"], "a solution's task outpoint", path: path)
        let what = "the solution for task output \(taskOutpoint.txid):\(taskOutpoint.index)"
        return SolverSolution(
            taskId: try StoredValue.hash(row["task_id"], "the taskId of \(what)", path: path),
            taskOutpoint: taskOutpoint,
            salt: try StoredValue.hash(row["salt"], "the salt of \(what)", path: path),
            finalState: try StoredValue.state(row["final_fields"], "the final state fields of \(what)", path: path),
            output: try StoredValue.bytes(row["output"], "the output of \(what)", maxBytes: maxOutputBytes, path: path),
            outputProof: try StoredValue.bytes(row["output_proof"], "the output proof of \(what)", maxBytes: maxOutputProofBytes, path: path),
            commitTxid: try StoredValue.optionalHash(row["commit_txid"], "the commit txid of \(what)", path: path),
            status: try StoredValue.enumeration(row["status"], "the status of \(what)", path: path),
            updatedHeight: try StoredValue.integer(row["updated_height"], "the height of \(what)", path: path))
    }

    /// Stores the decision on a task (replacing an earlier one).
    public func save(_ decision: TaskDecision) throws(TruebitStoreError) {
        let path = self.path
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO decision (task_id, verdict, reason, height) VALUES (?, ?, ?, ?)",
                arguments: [
                    Data(decision.taskId.bytes), decision.verdict.rawValue, decision.reason,
                    try StoredValue.stored(decision.height, "the decision's height", path: path),
                ])
        }
    }

    /// The decision on the task `taskId`, nil when none was made.
    public func decision(taskId: Hash32) throws(TruebitStoreError) -> TaskDecision? {
        let path = self.path
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT verdict, reason, height FROM decision WHERE task_id = ?", arguments: [Data(taskId.bytes)])
            else { return nil }
            let what = "the decision on task \(taskId.hex)"
            return TaskDecision(
                taskId: taskId, verdict: try StoredValue.enumeration(row["verdict"], what, path: path),
                reason: try StoredValue.text(row["reason"], "the reason of \(what)", path: path),
                height: try StoredValue.integer(row["height"], "the height of \(what)", path: path))
        }
    }
}
