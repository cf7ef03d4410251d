import EmberCore
import EmberCrypto
import EmberLayer2

/// Why the operator's layer-1 side could not do a round; each is logged and the round tried again.
public enum PlasmaLayer1Error: Error, Hashable, Sendable, CustomStringConvertible {
    case node(NodeAPIError)
    case wrongNetwork(node: NetworkID, expected: NetworkID)
    /// Layer 1 holds a commit of a block this store never sealed: the store is not this chain's latest.
    case storeBehindLayer1(committed: UInt64, lastSealed: UInt64)

    public var description: String {
        switch self {
        case .node(let error):
            "the node: \(error)"
        case .wrongNetwork(let node, let expected):
            "the node runs \(node), the operator \(expected)"
        case .storeBehindLayer1(let committed, let lastSealed):
            "layer 1 holds a commit of block \(committed) but this store's last block is \(lastSealed): run the operator on its own data folder"
        }
    }
}
