/// The height checks every layer-2 rule makes alike (DESIGN.md section 15): a failure names its rule and
/// is nobody's fault (`notAtThisHeight`), and every check returns the heights its verdict holds for.
protocol CovenantHeightChecks {
    /// h: the including block's height.
    var height: UInt64 { get }
    var layer2: Layer2Parameters { get }
}

extension CovenantHeightChecks {
    /// Requires the including height to lie in `heights`; returns them for the verdict.
    @discardableResult
    func requireHeight(_ heights: ValidHeights, rule: String) throws(CovenantRejection) -> ValidHeights {
        guard heights.contains(height) else { throw .notAtThisHeight(rule: rule, height: height, heights: heights) }
        return heights
    }

    /// `h < deadline`.
    func before(_ deadline: UInt64, rule: String) throws(CovenantRejection) -> ValidHeights {
        try requireHeight(ValidHeights(validFrom: 0, validBelow: deadline), rule: rule)
    }

    /// `h ≥ from`.
    func from(_ from: UInt64, rule: String) throws(CovenantRejection) -> ValidHeights {
        try requireHeight(ValidHeights(validFrom: from), rule: rule)
    }

    /// A deadline chosen for `window`: `h + W ≤ deadline ≤ h + 2W`.
    func chosen(_ deadline: UInt64, window: UInt32) throws(CovenantRejection) -> ValidHeights {
        try layer2.checkChosenDeadline(deadline, window: UInt64(window), height: height)
    }

    /// `a + b` in 64 bits, saturating: a saturated height is one no block reaches.
    static func sat(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
