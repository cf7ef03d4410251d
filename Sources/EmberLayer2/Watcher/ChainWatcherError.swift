import EmberCrypto

/// Why a watcher stopped following the node; each says what to do.
public enum ChainWatcherError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The node runs another network than the client's.
    case wrongNetwork(node: NetworkID, expected: NetworkID)
    /// The followed chain and the node's share no block within the depth a client walks back.
    case reorganisationTooDeep(limit: Int, cursor: ChainCursor)
    /// The node does not know a block the client followed, so the fork point cannot be found through it.
    case unknownFollowedBlock(ChainCursor)
    /// The node's answer was unusable.
    case node(NodeAPIError)

    public var description: String {
        switch self {
        case .wrongNetwork(let node, let expected):
            "the node runs \(node), but this client follows \(expected)"
        case .reorganisationTooDeep(let limit, let cursor):
            "no common block with the node within \(limit) blocks below \(cursor); the client's state needs rebuilding"
        case .unknownFollowedBlock(let cursor):
            "the node does not know block \(cursor) that this client followed; point the client at a node that saw it"
        case .node(let error):
            error.description
        }
    }
}
