import EmberCrypto

/// The solver daemon's decision about a task, by taskId, so a pass does not weigh (and run) it again.
public struct TaskDecision: Hashable, Sendable {
    public enum Verdict: String, Hashable, Sendable {
        /// The daemon ran it and committed.
        case taken
        /// Outside the daemon's limits, or its run cannot be solved or defended; the reason says which.
        case refused
    }

    public var taskId: Hash32
    public var verdict: Verdict
    public var reason: String
    public var height: UInt64

    public init(taskId: Hash32, verdict: Verdict, reason: String, height: UInt64) {
        self.taskId = taskId
        self.verdict = verdict
        self.reason = reason
        self.height = height
    }
}
