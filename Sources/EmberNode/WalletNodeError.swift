import EmberCrypto

/// Why a request to the node failed, phrased for the wallet's user.
public enum WalletNodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No HTTP answer: the node is not running, not at this address, or too slow.
    case unreachable(url: String, reason: String)
    /// The node answered with an error (4xx or 5xx) and, when it gave them, its reason and detail.
    case refused(status: Int, error: String?, detail: String?)
    /// The node answered with something this wallet cannot read.
    case badResponse(path: String, reason: String)
    /// The node runs another network than the wallet's.
    case wrongNetwork(url: String, node: NetworkID, wallet: NetworkID)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "cannot reach the node at \(url): \(reason) — is `ember devnet` running? (choose another with --node)"
        case .refused(let status, let error, let detail):
            "the node refused the request (HTTP \(status))"
                + (error.map { ": \($0)" } ?? "") + (detail.map { ": \($0)" } ?? "")
        case .badResponse(let path, let reason):
            "the node's answer to \(path) cannot be read: \(reason)"
        case .wrongNetwork(let url, let node, let wallet):
            "the node at \(url) runs \(node), but the wallet is for \(wallet)"
        }
    }
}
