import EmberCore

/// Chosen deadlines and chess clocks (DESIGN.md section 15): a submitter writes the deadline, never
/// the including height, so the transaction stays valid while it waits and across a shallow reorg.
/// All arithmetic is in 64 bits and never traps.
extension Layer2Parameters {
    /// Checks that `window` lies within the network's window bounds.
    public func checkWindow(_ window: UInt64) throws(CovenantRejection) {
        guard window >= UInt64(windowMinimum), window <= UInt64(windowMaximum) else {
            throw .windowOutOfBounds(found: window, minimum: UInt64(windowMinimum), maximum: UInt64(windowMaximum))
        }
    }

    /// Checks a deadline `deadline` chosen for a window of `window` blocks at including height `height`:
    /// `h + W ≤ D ≤ h + 2W`.
    ///
    /// - Returns: every including height at which the same deadline passes: from `D − 2W` (0 when that
    ///   is negative) to `D − W` inclusive, and never a height at which `h + 2W` would pass 2^64.
    @discardableResult
    public func checkChosenDeadline(_ deadline: UInt64, window: UInt64, height: UInt64) throws(CovenantRejection) -> ValidHeights {
        let (earliest, overflowA) = height.addingReportingOverflow(window)
        let (latest, overflowB) = earliest.addingReportingOverflow(window)
        guard !overflowA, !overflowB, deadline >= earliest, deadline <= latest else {
            throw .deadlineOutOfRange(
                deadline: deadline, earliest: overflowA ? .max : earliest, latest: overflowA || overflowB ? .max : latest)
        }
        // Passing means 2W ≤ 2^64 − 1 − h and W ≤ D − h, so none of these traps.
        let twoWindows = window * 2
        let lastHeight = min(deadline - window, UInt64.max - twoWindows)
        let (below, overflowC) = lastHeight.addingReportingOverflow(1)
        return ValidHeights(validFrom: deadline >= twoWindows ? deadline - twoWindows : 0, validBelow: overflowC ? nil : below)
    }

    /// Checks a move under a chess clock: the mover's clock `clock` started at `createdHeight`, the
    /// move is included at `height` (it needs `height < createdHeight + clock`), and it writes
    /// `written` as the mover's remaining clock (at most `clock − (height − createdHeight)`).
    public func checkClockMove(clock: UInt64, createdHeight: UInt64, height: UInt64, written: UInt64) throws(CovenantRejection) {
        let elapsed = height >= createdHeight ? height - createdHeight : 0
        guard elapsed < clock else { throw .clockExpired(createdHeight: createdHeight, clock: clock, height: height) }
        let remaining = clock - elapsed
        guard written <= remaining else { throw .clockTooLarge(written: written, remaining: remaining) }
    }

    /// Whether a clock of `clock` blocks started at `createdHeight` has run out at `height`.
    public func clockHasRunOut(clock: UInt64, createdHeight: UInt64, height: UInt64) -> Bool {
        let (end, overflow) = createdHeight.addingReportingOverflow(clock)
        return !overflow && height >= end
    }
}
