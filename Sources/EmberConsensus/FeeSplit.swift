import EmberCore

/// How a block's transaction fees divide between its miner and the burn (DESIGN.md section 9).
///
/// Burning half of every fee, PoW or PoLW, stops a miner from filling its own blocks with
/// transactions that pay it back its own fees for free.
public struct FeeSplit: Hashable, Sendable {
    /// ⌊fees / 2⌋, added to the coinbase's output 0.
    public let miner: Amount
    /// The rest, which no output may pay.
    public let burnt: Amount

    public init(totalFees: Amount) {
        let miner = Amount(units: totalFees.units / 2)
        self.miner = miner
        self.burnt = Amount(units: totalFees.units - miner.units)
    }
}
