import EmberNode

/// Where a sponsored transaction is built: the height of the block meant to include it (the node's tip + 1),
/// the funding key's confirmed outputs, and the time (funding outputs locked until later are not spent).
public struct SponsorshipContext: Hashable, Sendable {
    public var height: UInt64
    public var funding: [WalletOutput]
    public var nowMs: UInt64

    public init(height: UInt64, funding: [WalletOutput], nowMs: UInt64) {
        self.height = height
        self.funding = funding
        self.nowMs = nowMs
    }
}
