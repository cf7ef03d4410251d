import EmberCrypto
import EmberLayer2

/// Why headers could not be fetched from a node for an SPV input.
public enum SPVFetchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The node could not be asked, or its answer could not be used.
    case node(NodeAPIError)
    /// The node has no active block at `height`.
    case missingBlock(height: UInt64)
    /// The block at `height` does not build on the block fetched at the height below: the node switched
    /// branches while the headers were fetched.
    case chainChanged(height: UInt64, expectedParent: Hash32, found: Hash32)
    /// The chain has fewer blocks than were asked for.
    case chainTooShort(tipHeight: UInt64, requested: Int)
    /// The headers do not make an input.
    case input(SPVTaskInputError)

    public var description: String {
        switch self {
        case .node(let error):
            error.description
        case .missingBlock(let height):
            "the node has no block at height \(height) on its active chain; ask for heights up to its tip"
        case .chainChanged(let height, let expectedParent, let found):
            "the block at height \(height) builds on \(found), not on \(expectedParent) fetched just before: the node switched branches, fetch again"
        case .chainTooShort(let tipHeight, let requested):
            "the node's tip is at height \(tipHeight): its chain has fewer than the \(requested) blocks asked for"
        case .input(let error):
            error.description
        }
    }
}
