import EmberCore

/// A transaction's weight (DESIGN.md section 15): its size plus one unit per 64 declared VM steps, known
/// in tier 3 before any program runs. Blocks are bounded by weight and fees are priced by it.
extension ConsensusParams {
    /// `size + Σ over inputs ⌈maxSteps / 64⌉`.
    public func weight(of transaction: Transaction, size: Int) -> Int {
        var steps = 0
        for input in transaction.inputs {
            guard let unlock = input.unlock.covenant, unlock.maxSteps > 0 else { continue }
            steps += Int((UInt64(unlock.maxSteps) + layer2.stepsPerWeightUnit - 1) / layer2.stepsPerWeightUnit)
        }
        return size + steps
    }

    /// The smallest fee a transaction of `weight` pays: `minFeeRate × weight`.
    public func minimumFee(weight: Int) -> Amount {
        Amount(units: minFeeRate.units * UInt128(weight))
    }
}
