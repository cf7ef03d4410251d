import BigInt
import EmberCrypto

/// How a chain tip ranks in fork choice (DESIGN.md section 11): a greater rank is the better chain.
///
/// Greater cumulative work wins; at equal work the smaller tip hash, read as an unsigned big-endian
/// integer, wins, so every node picks the same tip without looking at arrival order.
public struct ChainRank: Comparable, Hashable, Sendable {
    /// Σ weight of every block from genesis to the tip.
    public let cumulativeWork: BigUInt
    /// The tip's block hash.
    public let tipHash: Hash32

    public init(cumulativeWork: BigUInt, tipHash: Hash32) {
        self.cumulativeWork = cumulativeWork
        self.tipHash = tipHash
    }

    /// True when `rhs` is the better chain.
    public static func < (lhs: ChainRank, rhs: ChainRank) -> Bool {
        if lhs.cumulativeWork != rhs.cumulativeWork { return lhs.cumulativeWork < rhs.cumulativeWork }
        return rhs.tipHash < lhs.tipHash
    }
}
