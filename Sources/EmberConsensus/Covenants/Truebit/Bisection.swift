/// The 16-ary bisection of a Truebit verification game (DESIGN.md section 18, docs/truebit.md): over a
/// disputed span of steps [lo, hi] with d = hi − lo ≥ 2 and k = min(16, d) parts, the solver posts the
/// state hashes at pᵢ = lo + ⌊i · d / k⌋ for i = 1 … k − 1, and the challenger names one part
/// j ∈ 1 … k, [p_{j−1}, p_j] with p₀ = lo and p_k = hi, on which play continues.
///
/// Pure and total: every input gives an answer or a rejection, and no product overflows (i · d is
/// computed in 128 bits, since d may be as large as 2^64 − 1).
public enum Bisection {
    /// The most parts a span is cut into.
    public static let maxParts: UInt64 = 16

    /// How many parts the span [lo, hi] is cut into: min(16, hi − lo); nil when hi − lo < 2 (one step
    /// left, settled by a one-step proof, or an empty or reversed span).
    public static func partCount(lo: UInt64, hi: UInt64) -> UInt64? {
        guard hi > lo, hi - lo >= 2 else { return nil }
        return min(maxParts, hi - lo)
    }

    /// The k − 1 inner points p₁ … p_{k−1} of [lo, hi], strictly increasing and strictly inside it;
    /// nil when the span cannot be bisected (`partCount` is nil).
    public static func points(lo: UInt64, hi: UInt64) -> [UInt64]? {
        guard let parts = partCount(lo: lo, hi: hi) else { return nil }
        return (1..<parts).map { point(lo: lo, span: hi - lo, index: $0, parts: parts) }
    }

    /// Part `j` (1 … k) of [lo, hi]: the span play continues on when the challenger names it; nil when
    /// the span cannot be bisected or `j` is not a part.
    public static func part(_ j: UInt64, lo: UInt64, hi: UInt64) -> (lo: UInt64, hi: UInt64)? {
        guard let parts = partCount(lo: lo, hi: hi), j >= 1, j <= parts else { return nil }
        let start = j == 1 ? lo : point(lo: lo, span: hi - lo, index: j - 1, parts: parts)
        let end = j == parts ? hi : point(lo: lo, span: hi - lo, index: j, parts: parts)
        return (start, end)
    }

    /// The most bisection rounds a run of `steps` steps can take: ⌈log₁₆(steps)⌉ (0 for one step or none).
    public static func maxRounds(steps: UInt64) -> Int {
        var rounds = 0
        var reach: UInt64 = 1
        while reach < steps {
            let (next, overflow) = reach.multipliedReportingOverflow(by: maxParts)
            rounds += 1
            if overflow { break }
            reach = next
        }
        return rounds
    }

    /// lo + ⌊index · span / parts⌋, with index < parts ≤ 16: below lo + span, so it fits in 64 bits.
    private static func point(lo: UInt64, span: UInt64, index: UInt64, parts: UInt64) -> UInt64 {
        let product = UInt128(index) * UInt128(span)
        return lo + UInt64(product / UInt128(parts))
    }
}
