import BigInt
import EmberCore

/// The work a target stands for, which chains are weighed by (DESIGN.md sections 6 and 11).
public enum Work {
    /// 2^256: one more than the largest hash, the numerator of every difficulty.
    static let hashSpace = BigUInt(1) << 256

    /// `weight(t) = difficulty(t) = ⌊2^256 / t⌋`: the expected number of hashes to meet target `t`.
    public static func weight(of target: CompactTarget) throws(TargetRejection) -> BigUInt {
        weight(ofValue: try target.checkedValue())
    }

    /// The chain work after appending a block with `target` to a chain of work `parentWork`.
    public static func cumulative(
        parentWork: BigUInt, adding target: CompactTarget
    ) throws(TargetRejection) -> BigUInt {
        parentWork + (try weight(of: target))
    }

    /// `⌊2^256 / t⌋` for a target value already checked to be non-zero.
    static func weight(ofValue target: BigUInt) -> BigUInt {
        precondition(target > 0, "a checked target is never zero")
        return hashSpace / target
    }
}
