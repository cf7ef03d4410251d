import EmberCrypto

/// Where the operator's chain stands: what `GET /v1/plasma/status` answers.
public struct OperatorStatus: Hashable, Sendable {
    public let chainId: Hash32
    public let network: NetworkID
    /// The last sealed block; nil before the first.
    public let latestBlock: SealedBlock?
    /// Accepted moves waiting for the next block.
    public let pendingCount: Int
    public let isFrozen: Bool
}
