/// Why the reference will not judge an input.
public enum SPVReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No task can carry an input larger than one blob.
    case inputTooLarge(limit: Int, found: Int)

    public var description: String {
        switch self {
        case .inputTooLarge(let limit, let found):
            "an SPV input of \(found) bytes is larger than a task's input blob (\(limit) bytes)"
        }
    }
}
