import EmberCore
import EmberCrypto

/// A coin the operator knows from its deposit on layer 1, and where its history stands on the child chain.
public struct KnownCoin: Hashable, Sendable {
    public let coinId: Hash32
    /// The key the deposit names: the coin's owner until its first move, and the signer of that move.
    public let depositorKey: RawPublicKey
    /// The deposit's amount, which never changes.
    public let amount: Amount
    /// The first child block that counts for this coin (the deposit's `firstBlock`).
    public let firstBlock: UInt64
    /// The block of the coin's latest history entry: 0 for the deposit, else the block that included its
    /// latest move. The next move must name it as its `parentBlock`.
    public let latestBlock: UInt64
    /// The new owner of that entry: the only key whose signature moves the coin on.
    public let ownerKey: RawPublicKey

    public init(
        coinId: Hash32, depositorKey: RawPublicKey, amount: Amount, firstBlock: UInt64, latestBlock: UInt64, ownerKey: RawPublicKey
    ) {
        self.coinId = coinId
        self.depositorKey = depositorKey
        self.amount = amount
        self.firstBlock = firstBlock
        self.latestBlock = latestBlock
        self.ownerKey = ownerKey
    }
}
