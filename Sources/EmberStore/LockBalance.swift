import EmberCore

/// The unspent total locked to one lock, as the API reports an address's balance.
public struct LockBalance: Hashable, Sendable {
    /// The sum of the unspent outputs' amounts.
    public var amount: Amount
    /// How many unspent outputs make it up.
    public var outputCount: Int

    public init(amount: Amount, outputCount: Int) {
        self.amount = amount
        self.outputCount = outputCount
    }
}
