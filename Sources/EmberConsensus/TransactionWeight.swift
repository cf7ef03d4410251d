import EmberCore

/// A transaction's weight (DESIGN.md section 15): its size plus, for each input that runs the VM, one
/// unit per 64 declared steps and a fixed `runWeight` for the pages a run may set up (an addition to
/// §15, which priced steps alone; see docs/covenants.md). Known in tier 3 before any program runs.
/// Blocks are bounded by weight and fees are priced by it.
extension ConsensusParams {
    /// `size + Σ over inputs that run (maxSteps > 0) of (⌈maxSteps / 64⌉ + runWeight)`.
    public func weight(of transaction: Transaction, size: Int) -> Int {
        var runs = 0
        for input in transaction.inputs {
            guard let unlock = input.unlock.covenant, unlock.maxSteps > 0 else { continue }
            runs += Int((UInt64(unlock.maxSteps) + layer2.stepsPerWeightUnit - 1) / layer2.stepsPerWeightUnit) + layer2.runWeight
        }
        return size + runs
    }

    /// The heaviest transaction: half a block, so one transaction can never fill a block alone and a
    /// template always has room for its coinbase.
    public var maxTransactionWeight: Int { maxBlockWeight / 2 }

    /// The smallest fee a transaction of `weight` pays: `minFeeRate × weight`.
    public func minimumFee(weight: Int) -> Amount {
        Amount(units: minFeeRate.units * UInt128(weight))
    }
}
