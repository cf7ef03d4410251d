import EmberCrypto

/// Where a transaction of the active chain is: its block and its position in that block.
public struct TransactionLocation: Hashable, Sendable {
    /// The hash of the block holding the transaction.
    public var blockHash: Hash32
    /// The transaction's index in the block's transaction list (0 is the coinbase).
    public var position: Int

    public init(blockHash: Hash32, position: Int) {
        self.blockHash = blockHash
        self.position = position
    }
}
