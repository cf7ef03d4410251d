import BigInt
import EmberCore

/// The per-block, DigiShield-style difficulty adjustment of DESIGN.md section 7.
///
/// The next target follows the time the last `window` blocks took, damped by 4 and clamped, so the
/// difficulty tracks hash rate within a few blocks while no single timestamp can move it far.
public struct DifficultyAdjustment: Hashable, Sendable {
    /// N: blocks the span covers; short enough to follow hash-rate swings, long enough to average
    /// out the luck of single blocks.
    public static let window: UInt64 = 17
    /// The span's effect is divided by 4: damping stops the target from oscillating after a swing.
    static let dampingDivisor = BigInt(4)
    /// The target shrinks by at most 16% per block: bounds how fast bursts of early timestamps can
    /// drive the difficulty up.
    static let minimumSpanPercent = BigInt(84)
    /// The target grows by at most 8% per block: stops a miner with late timestamps from collapsing
    /// the difficulty in a few blocks.
    static let maximumSpanPercent = BigInt(108)

    /// T, in milliseconds.
    public let blockTimeMs: UInt64
    /// The network's maximum target: no computed target goes above it.
    public let maxTarget: CompactTarget

    /// Fails for a 0 block time or a maximum target that is not itself a valid target.
    public init(blockTimeMs: UInt64, maxTarget: CompactTarget) throws(ConsensusParamsError) {
        guard blockTimeMs > 0 else { throw .blockTimeZero }
        do {
            _ = try maxTarget.checkedValue()
        } catch {
            throw .invalidMaxTarget(error)
        }
        self.blockTimeMs = blockTimeMs
        self.maxTarget = maxTarget
    }

    /// E = N · T: the milliseconds the window should take.
    public var expectedSpanMs: BigUInt { BigUInt(Self.window) * BigUInt(blockTimeMs) }

    /// The height of the ancestor whose timestamp starts the span, when the span is measured at all.
    ///
    /// Nil while the parent is below height N + 1: such a block keeps its parent's target, and the
    /// genesis timestamp never enters a span.
    public static func spanStartHeight(parentHeight: UInt64) -> UInt64? {
        parentHeight >= window + 1 ? parentHeight - window : nil
    }

    /// The target a block on top of the parent must carry.
    ///
    /// - Parameters:
    ///   - parentTarget: the parent's own target.
    ///   - parentHeight: h, the parent's height.
    ///   - parentTimestampMs: the parent's timestamp.
    ///   - spanStartTimestampMs: the timestamp of the parent's ancestor at height h − N; ignored when
    ///     `spanStartHeight(parentHeight:)` is nil.
    public func nextTarget(
        parentTarget: CompactTarget,
        parentHeight: UInt64,
        parentTimestampMs: UInt64,
        spanStartTimestampMs: UInt64
    ) throws(TargetRejection) -> CompactTarget {
        guard Self.spanStartHeight(parentHeight: parentHeight) != nil else {
            _ = try parentTarget.checkedValue()
            return parentTarget
        }
        let spanMs = BigInt(parentTimestampMs) - BigInt(spanStartTimestampMs)
        return try nextTarget(parentTarget: parentTarget, spanMs: spanMs)
    }

    /// The target after a window that took `spanMs` milliseconds (negative when timestamps went back).
    ///
    /// `c = E + trunc((span − E) / 4)` clamped to `[⌊0.84 E⌋, ⌊1.08 E⌋]`, then `⌊target · c / E⌋`
    /// capped at the maximum target and rounded through the compact form. A result of 0, reachable only from a
    /// parent target of 1, is raised to 1 so the chain keeps a target a hash can meet.
    public func nextTarget(parentTarget: CompactTarget, spanMs: BigInt) throws(TargetRejection) -> CompactTarget {
        let parentValue = try parentTarget.checkedValue()
        let expected = BigInt(expectedSpanMs)
        let damped = expected + (spanMs - expected) / Self.dampingDivisor
        let lowest = expected * Self.minimumSpanPercent / 100
        let highest = expected * Self.maximumSpanPercent / 100
        let clamped = Swift.min(Swift.max(damped, lowest), highest)
        let next = parentValue * clamped.magnitude / expectedSpanMs
        let capped = Swift.max(1, Swift.min(next, maxTarget.value))
        return CompactTarget(roundingBelow2To256: capped)
    }
}
