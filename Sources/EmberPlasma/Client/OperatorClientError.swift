/// Why the operator gave no usable answer.
public enum OperatorClientError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreachable(operator: String, reason: String)
    case refused(path: String, status: Int, message: String?)
    case badAnswer(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "the Plasma operator at \(url) is not reachable (\(reason)); the client keeps watching layer 1 and exits coins whose blocks stay unserved"
        case .refused(let path, let status, let message): "the operator refused \(path) with \(status)\(message.map { ": \($0)" } ?? "")"
        case .badAnswer(let path, let reason): "the operator's answer to \(path) is unusable: \(reason)"
        }
    }
}
