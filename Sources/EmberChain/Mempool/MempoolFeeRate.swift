import EmberCore

/// A fee per weight unit (DESIGN.md section 15: size plus one unit per 64 declared VM steps), kept as
/// the exact fraction `fee / weight` and compared by cross-multiplication, so two rates compare the
/// same on every machine and no rounding lets one transaction look better than another that pays
/// exactly as much.
public struct FeeRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The fee paid, in units.
    public let fee: Amount
    /// The weight units it pays for; at least 1.
    public let weight: Int

    /// The rate `fee / weight`; a weight below 1 counts as 1, so no rate divides by zero.
    public init(fee: Amount, weight: Int) {
        self.fee = fee
        self.weight = max(1, weight)
    }

    /// The lowest possible rate: nothing paid.
    public static let zero = FeeRate(fee: .zero, weight: 1)

    /// `fee × other.weight`, as a 256-bit product so it cannot overflow for any fee and weight.
    private func crossProduct(with other: FeeRate) -> (high: UInt128, low: UInt128) {
        fee.units.multipliedFullWidth(by: UInt128(other.weight))
    }

    public static func < (lhs: FeeRate, rhs: FeeRate) -> Bool {
        let left = lhs.crossProduct(with: rhs), right = rhs.crossProduct(with: lhs)
        return left.high != right.high ? left.high < right.high : left.low < right.low
    }

    /// Equal rates, not equal fractions: 2/4 equals 1/2.
    public static func == (lhs: FeeRate, rhs: FeeRate) -> Bool {
        let left = lhs.crossProduct(with: rhs), right = rhs.crossProduct(with: lhs)
        return left.high == right.high && left.low == right.low
    }

    /// Hashes the fraction in lowest terms, so equal rates hash alike.
    public func hash(into hasher: inout Hasher) {
        var (a, b) = (fee.units, UInt128(weight))
        while b != 0 { (a, b) = (b, a % b) }
        hasher.combine(fee.units / a)
        hasher.combine(UInt128(weight) / a)
    }

    /// Units per weight unit, with three decimals (rounded down).
    public var description: String {
        let units = UInt128(weight)
        let whole = fee.units / units
        let thousandths = (fee.units % units) * 1_000 / units
        let padded = String(repeating: "0", count: 3 - String(thousandths).count) + String(thousandths)
        return "\(whole).\(padded) units/weight unit"
    }
}
