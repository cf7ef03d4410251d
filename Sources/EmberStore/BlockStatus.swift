/// What is known about an indexed block, as flags.
///
/// `bodyStored` and `connected` follow the store's own tables and are set only by the store
/// (`storeBody`, `connect`, `disconnect`); the caller sets the others.
public struct BlockStatus: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The header passed the context-free and contextual header checks.
    public static let headerValid = BlockStatus(rawValue: 1 << 0)
    /// The block's body is stored.
    public static let bodyStored = BlockStatus(rawValue: 1 << 1)
    /// The block is connected: on the active chain, its outputs in the UTXO set.
    public static let connected = BlockStatus(rawValue: 1 << 2)
    /// The block failed validation; it and its descendants are never connected.
    public static let invalid = BlockStatus(rawValue: 1 << 3)

    /// The flags the store keeps in step with its tables; callers cannot set or clear them.
    public static let managedByStore: BlockStatus = [.bodyStored, .connected]
}
