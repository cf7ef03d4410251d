import EmberCore

/// What a `ChainWatcher` reports, in the order a client must apply it.
public enum ChainEvent: Hashable, Sendable {
    /// A block joined the followed chain at `height`, on top of the previous cursor.
    case blockConnected(Block, height: UInt64)
    /// A block left the followed chain in a reorganisation; the cursor moved to its parent. Blocks
    /// are disconnected from the tip down to the fork point before the new branch is connected.
    case blockDisconnected(Block, height: UInt64)

    public var block: Block {
        switch self {
        case .blockConnected(let block, _), .blockDisconnected(let block, _): block
        }
    }

    public var height: UInt64 {
        switch self {
        case .blockConnected(_, let height), .blockDisconnected(_, let height): height
        }
    }
}
