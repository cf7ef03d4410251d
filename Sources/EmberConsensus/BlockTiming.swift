import BigInt
import EmberCore

/// How often a network makes blocks: `chainCount` chains, each with one block per `blockTimeMs`.
///
/// Converts between a target and the network hash rate that meets it in that time (DESIGN.md section 6).
public struct BlockTiming: Hashable, Sendable {
    /// C: 1 on every Ember network; 16 reproduces the published Alephium numbers.
    public let chainCount: UInt64
    /// T: the intended time between blocks of one chain, in milliseconds.
    public let blockTimeMs: UInt64

    /// Fails when either number is 0, which would leave a hash rate undefined.
    public init(chainCount: UInt64, blockTimeMs: UInt64) throws(ConsensusParamsError) {
        guard chainCount > 0 else { throw .chainCountZero }
        guard blockTimeMs > 0 else { throw .blockTimeZero }
        self.chainCount = chainCount
        self.blockTimeMs = blockTimeMs
    }

    /// `1000 · C²`: hash rates are per second, and each of C chains sees 1/C of C times the blocks.
    private var hashRateScale: BigUInt { 1000 * BigUInt(chainCount) * BigUInt(chainCount) }

    /// `targetFromHashRate(HR, T) = min(2^256 − 1, ⌊2^256 / max(1, ⌊HR · T / (1000 · C²)⌋)⌋)`, rounded.
    public func target(forHashRate hashRate: BigUInt) -> CompactTarget {
        let hashesPerBlock = Swift.max(1, hashRate * BigUInt(blockTimeMs) / hashRateScale)
        let value = Swift.min(Work.hashSpace - 1, Work.hashSpace / hashesPerBlock)
        return CompactTarget(roundingBelow2To256: value)
    }

    /// `hashRate(t, T) = max(1, ⌊difficulty(t) · 1000 · C² / T⌋)` in hashes per second.
    public func hashRate(of target: CompactTarget) throws(TargetRejection) -> BigUInt {
        hashRate(ofTargetValue: try target.checkedValue())
    }

    /// The hash rate for a target value already checked to be non-zero.
    func hashRate(ofTargetValue target: BigUInt) -> BigUInt {
        Swift.max(1, Work.weight(ofValue: target) * hashRateScale / BigUInt(blockTimeMs))
    }
}
