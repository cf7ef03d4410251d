import EmberCrypto

/// The last block a client has seen on the node's active chain: where its watcher resumes.
public struct ChainCursor: Hashable, Sendable, CustomStringConvertible {
    public var height: UInt64
    public var hash: Hash32

    public init(height: UInt64, hash: Hash32) {
        self.height = height
        self.hash = hash
    }

    public var description: String { "\(hash) at height \(height)" }
}
