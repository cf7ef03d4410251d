import EmberCore

/// A confirmed unspent output of the wallet's address, as the node reports it.
public struct WalletOutput: Hashable, Sendable {
    public let outpoint: OutPoint
    public let amount: Amount
    /// Milliseconds since the Unix epoch before which it cannot be spent; 0 means none.
    public let lockTime: UInt64
    /// The height of the block that created it.
    public let height: UInt64
    public let isCoinbase: Bool

    public init(outpoint: OutPoint, amount: Amount, lockTime: UInt64 = 0, height: UInt64 = 0, isCoinbase: Bool = false) {
        self.outpoint = outpoint
        self.amount = amount
        self.lockTime = lockTime
        self.height = height
        self.isCoinbase = isCoinbase
    }

    /// Whether a transaction in a block at `nowMs` may spend it.
    public func isSpendable(atMs nowMs: UInt64) -> Bool { lockTime <= nowMs }
}
