import EmberCore

/// What one block brings to a daemon's view of the chain, stored with the cursor after it in one
/// transaction: the Truebit outputs it created and the recorded outputs it spent, or, for a block that left
/// the chain in a reorganisation, the height from which everything is forgotten.
public struct TruebitChainChange: Hashable, Sendable {
    public var created: [TruebitChainRecord]
    public var spent: [SpentOutput]
    /// Set for a disconnected block: records created at or above it are removed and spends at or above it
    /// undone (blocks leave the chain from the tip down, so this is exact).
    public var disconnectedFrom: UInt64?

    /// A recorded output's spend; a spend of an output the daemon never recorded changes nothing.
    public struct SpentOutput: Hashable, Sendable {
        public var outpoint: OutPoint
        public var spend: TruebitChainRecord.Spend

        public init(outpoint: OutPoint, spend: TruebitChainRecord.Spend) {
            self.outpoint = outpoint
            self.spend = spend
        }
    }

    public init(created: [TruebitChainRecord] = [], spent: [SpentOutput] = [], disconnectedFrom: UInt64? = nil) {
        self.created = created
        self.spent = spent
        self.disconnectedFrom = disconnectedFrom
    }
}
