/// Why a request to a node failed, phrased for the person running the client.
public enum NodeAPIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No HTTP answer: the node is not running, not at this address, or too slow.
    case unreachable(url: String, reason: String)
    /// The node answered with an error status and, when it gave them, its reason and detail.
    case refused(path: String, status: Int, error: String?, detail: String?)
    /// The node answered with something this client cannot trust or read.
    case badResponse(path: String, reason: String)
    /// The client could not form the request.
    case badRequest(String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "cannot reach the node at \(url): \(reason) — is it running? (choose another with --node)"
        case .refused(let path, let status, let error, let detail):
            "the node refused \(path) (HTTP \(status))" + (error.map { ": \($0)" } ?? "") + (detail.map { ": \($0)" } ?? "")
        case .badResponse(let path, let reason):
            "the node's answer to \(path) cannot be used: \(reason)"
        case .badRequest(let reason):
            "cannot send the request: \(reason)"
        }
    }
}
