import EmberCore

/// Transactions chosen for a block template: parents before children, best fee rates first.
public struct MempoolSelection: Sendable {
    /// In the order a block must hold them.
    public let transactions: [Transaction]
    /// The sum of their fees.
    public let fees: Amount
    /// The sum of their encoded sizes, in bytes.
    public let size: Int
    /// The sum of their weights: what the block's weight limit counts.
    public let weight: Int
}
