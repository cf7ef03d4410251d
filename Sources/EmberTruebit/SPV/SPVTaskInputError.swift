import EmberConsensus

/// Why headers cannot make an SPV input.
public enum SPVTaskInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The program checks a chain of at least one header.
    case noHeaders
    /// More headers than fit in one input blob.
    case tooManyHeaders(limit: Int, found: Int)
    /// The maximum target is not a canonical, non-zero compact target.
    case invalidMaximumTarget(TargetRejection)

    public var description: String {
        switch self {
        case .noHeaders:
            "an SPV input needs at least one header"
        case .tooManyHeaders(let limit, let found):
            "\(found) headers do not fit in one input blob; at most \(limit) do: split the chain into several tasks"
        case .invalidMaximumTarget(let rejection):
            "the maximum target cannot bound the headers: \(rejection)"
        }
    }
}
