import EmberCore

/// Why a compact target cannot stand in a header (DESIGN.md section 6).
///
/// Every case is the sender's fault: a header carrying such bits is invalid whatever else it holds.
public enum TargetRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The size byte says the value has more bytes than a 256-bit hash can be compared with.
    case sizeTooLarge(maximum: UInt8, found: UInt8)
    /// The bits decode to a value whose one canonical encoding is other bits.
    case nonCanonical(expected: CompactTarget, found: CompactTarget)
    /// The value is 0, which no hash can meet.
    case zero(found: CompactTarget)
    /// The value is above the network's maximum target, so the work would be too cheap.
    case aboveMaximum(maximum: CompactTarget, found: CompactTarget)

    public var description: String {
        switch self {
        case .sizeTooLarge(let maximum, let found):
            "compact target size byte \(found) is above the maximum \(maximum)"
        case .nonCanonical(let expected, let found):
            "compact target \(found) is not canonical; the same value encodes as \(expected)"
        case .zero(let found):
            "compact target \(found) has value 0, which no block hash can meet"
        case .aboveMaximum(let maximum, let found):
            "compact target \(found) is above the network's maximum target \(maximum)"
        }
    }
}
