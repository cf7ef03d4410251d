import EmberCore

/// What one layer-1 block (or a reorganisation) changes in the wallet, written with the cursor at once.
public struct LayerOneChange: Sendable {
    /// Set when blocks from this height on left the active chain: what they brought is forgotten.
    public var disconnectedFrom: UInt64?
    public var blocks: [CommittedBlock] = []
    public var bond: PlasmaCoinTransactions.ChainOutput?
    public var watched: [WatchedOutput] = []
    public var spent: [OutPoint] = []
    public var coins: [WalletCoin] = []

    public init() {}
}
