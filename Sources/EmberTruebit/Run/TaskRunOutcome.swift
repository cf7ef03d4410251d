import EmberVM

/// How a task's run ended within its maxSteps.
public enum TaskRunOutcome: Hashable, Sendable, CustomStringConvertible {
    /// The program halted (`ecall` 93) with this exit code.
    case halted(exitCode: UInt32)
    /// The machine trapped; the cause is nil only for a code this version does not know.
    case trapped(TrapCause?)
    /// Still running after maxSteps instructions: no solution of the task can be right.
    case ranOutOfSteps

    /// Whether the run stopped (halted or trapped), so every later index is its stopped state.
    public var stopped: Bool {
        if case .ranOutOfSteps = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .halted(let exitCode): "halted with exit code \(exitCode)"
        case .trapped(let cause): "trapped (\(cause.map(\.description) ?? "unknown cause"))"
        case .ranOutOfSteps: "did not halt within maxSteps"
        }
    }
}
