/// The including heights at which a covenant verdict holds: `validFrom ..< validBelow`, with no end
/// when `validBelow` is nil (docs/mempool.md, "Heights and new tips").
///
/// Apart from the height, a rule's verdict is fixed by the transaction and the outputs it spends and
/// reads (an outpoint's content is fixed by its txid, and no VM input depends on the height), so a
/// transaction that passed at one height passes at every height of its range and at no other. The
/// mempool keeps the range of each entry and, on a new tip, only compares the next height with it.
public struct ValidHeights: Hashable, Sendable {
    /// The lowest including height at which the verdict holds.
    public var validFrom: UInt64
    /// The first including height at which it no longer holds; nil when it holds for ever.
    public var validBelow: UInt64?

    /// Every height: what a rule without a deadline, window or clock holds for.
    public static let unbounded = ValidHeights()

    public init(validFrom: UInt64 = 0, validBelow: UInt64? = nil) {
        self.validFrom = validFrom
        self.validBelow = validBelow
    }

    /// Whether no height bounds the verdict.
    public var isUnbounded: Bool { self == .unbounded }

    /// Whether the verdict holds for a block at `height`.
    public func contains(_ height: UInt64) -> Bool {
        height >= validFrom && validBelow.map { height < $0 } ?? true
    }

    /// The heights at which both verdicts hold (empty ranges stay empty: `validFrom ≥ validBelow`).
    public func intersection(_ other: ValidHeights) -> ValidHeights {
        let below: UInt64? = switch (validBelow, other.validBelow) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b): b
        }
        return ValidHeights(validFrom: max(validFrom, other.validFrom), validBelow: below)
    }
}
