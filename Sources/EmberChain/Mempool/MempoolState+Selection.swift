import EmberCore
import EmberCrypto

/// Choosing transactions for a block template.
extension MempoolState {
    /// The transactions a block should hold, best first by the fee per weight unit of each with its
    /// unselected in-pool ancestors, every parent before its children, within `maxWeight` (never more
    /// than the block weight limit, `params.maxBlockWeight`) and `maxCount`.
    ///
    /// Each package's rate is taken once, before selection starts (Bitcoin Core updates the rates of
    /// descendants as their ancestors are chosen; we trade that refinement for one sort).
    ///
    /// - Parameter blockTimestamp: the template's timestamp; transactions spending outputs locked past
    ///   it are left out, with their descendants.
    public func selectTransactions(maxWeight: Int, maxCount: Int, blockTimestamp: UInt64 = .max) -> MempoolSelection {
        let weightLimit = min(maxWeight, params.maxBlockWeight)
        let candidates = entries.values.sorted { first, second in
            let (firstRate, secondRate) = (first.ancestors.feeRate, second.ancestors.feeRate)
            return firstRate != secondRate ? firstRate > secondRate : first.sequence < second.sequence
        }
        var selected = Set<Hash32>()
        var chosen = [MempoolEntry]()
        var size = 0, weight = 0
        var fees = Amount.zero
        for candidate in candidates where !selected.contains(candidate.txid) {
            guard chosen.count < maxCount else { break }
            let package = ancestorSet(of: candidate.parents).union([candidate.txid])
                .subtracting(selected)
                .compactMap { entries[$0] }
            guard package.allSatisfy({ $0.unlockTimeMs <= blockTimestamp }) else { continue }
            let packageWeight = package.reduce(0) { $0 + $1.weight }
            guard chosen.count + package.count <= maxCount, weight + packageWeight <= weightLimit,
                let packageFees = package.lazy.map(\.fee).checkedSum(),
                let total = fees.adding(packageFees), total <= params.maxAmount
            else { continue }
            for entry in package.sorted(by: { $0.sequence < $1.sequence }) {
                selected.insert(entry.txid)
                chosen.append(entry)
            }
            size += package.reduce(0) { $0 + $1.size }
            weight += packageWeight
            fees = total
        }
        return MempoolSelection(transactions: chosen.map(\.transaction), fees: fees, size: size, weight: weight)
    }
}
