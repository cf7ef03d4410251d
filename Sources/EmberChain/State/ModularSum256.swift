import EmberCrypto

/// A residue modulo 2^256 − 189 in four 64-bit words, most significant first: the arithmetic of the
/// UTXO-set hash without an arbitrary-precision integer, which cost an allocation or more per
/// output connected.
struct ModularSum256: Hashable, Sendable {
    /// 2^256 − modulus: adding it and dropping the carry subtracts the modulus.
    static let complement: UInt64 = 189

    private(set) var words: (UInt64, UInt64, UInt64, UInt64)

    static let zero = ModularSum256(reduced: (0, 0, 0, 0))

    private init(reduced words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The residue of a 256-bit big-endian value.
    init(reducing value: (UInt64, UInt64, UInt64, UInt64)) {
        // A 256-bit value is below twice the modulus, so one subtraction is enough.
        words = Self.isAtLeastModulus(value) ? Self.wrappingAdd(value, (0, 0, 0, Self.complement)).sum : value
    }

    static func == (left: ModularSum256, right: ModularSum256) -> Bool { left.words == right.words }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// `self + other` modulo 2^256 − 189.
    func adding(_ other: ModularSum256) -> ModularSum256 {
        let (sum, carry) = Self.wrappingAdd(words, other.words)
        // Both terms are below the modulus: past 2^256 or at the modulus, take it off once.
        guard carry || Self.isAtLeastModulus(sum) else { return ModularSum256(reduced: sum) }
        return ModularSum256(reduced: Self.wrappingAdd(sum, (0, 0, 0, Self.complement)).sum)
    }

    /// `self − other` modulo 2^256 − 189.
    func subtracting(_ other: ModularSum256) -> ModularSum256 {
        let (difference, borrow) = Self.wrappingSubtract(words, other.words)
        // Below zero: adding the modulus is adding 2^256, which the wrap did, less 189.
        guard borrow else { return ModularSum256(reduced: difference) }
        return ModularSum256(reduced: Self.wrappingSubtract(difference, (0, 0, 0, Self.complement)).difference)
    }

    private static func isAtLeastModulus(_ value: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
        value.0 == .max && value.1 == .max && value.2 == .max && value.3 >= 0 &- complement
    }

    private static func wrappingAdd(
        _ left: (UInt64, UInt64, UInt64, UInt64), _ right: (UInt64, UInt64, UInt64, UInt64)
    ) -> (sum: (UInt64, UInt64, UInt64, UInt64), carry: Bool) {
        let (w3, c3) = left.3.addingReportingOverflow(right.3)
        let (w2, c2) = addWithCarry(left.2, right.2, c3)
        let (w1, c1) = addWithCarry(left.1, right.1, c2)
        let (w0, c0) = addWithCarry(left.0, right.0, c1)
        return ((w0, w1, w2, w3), c0)
    }

    private static func wrappingSubtract(
        _ left: (UInt64, UInt64, UInt64, UInt64), _ right: (UInt64, UInt64, UInt64, UInt64)
    ) -> (difference: (UInt64, UInt64, UInt64, UInt64), borrow: Bool) {
        let (w3, b3) = left.3.subtractingReportingOverflow(right.3)
        let (w2, b2) = subtractWithBorrow(left.2, right.2, b3)
        let (w1, b1) = subtractWithBorrow(left.1, right.1, b2)
        let (w0, b0) = subtractWithBorrow(left.0, right.0, b1)
        return ((w0, w1, w2, w3), b0)
    }

    private static func addWithCarry(_ left: UInt64, _ right: UInt64, _ carry: Bool) -> (UInt64, Bool) {
        let (partial, first) = left.addingReportingOverflow(right)
        let (total, second) = partial.addingReportingOverflow(carry ? 1 : 0)
        return (total, first || second)
    }

    private static func subtractWithBorrow(_ left: UInt64, _ right: UInt64, _ borrow: Bool) -> (UInt64, Bool) {
        let (partial, first) = left.subtractingReportingOverflow(right)
        let (total, second) = partial.subtractingReportingOverflow(borrow ? 1 : 0)
        return (total, first || second)
    }
}
