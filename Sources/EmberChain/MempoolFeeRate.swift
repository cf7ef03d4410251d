import EmberCore

/// A fee per byte, kept as the exact fraction `fee / size` and compared by cross-multiplication, so
/// two rates compare the same on every machine and no rounding lets one transaction look better
/// than another that pays exactly as much.
public struct FeeRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The fee paid, in units.
    public let fee: Amount
    /// The bytes it pays for; at least 1.
    public let size: Int

    /// The rate `fee / size`; a size below 1 counts as 1, so no rate divides by zero.
    public init(fee: Amount, size: Int) {
        self.fee = fee
        self.size = max(1, size)
    }

    /// The lowest possible rate: nothing paid.
    public static let zero = FeeRate(fee: .zero, size: 1)

    /// `fee × other.size`, as a 256-bit product so it cannot overflow for any fee and size.
    private func crossProduct(with other: FeeRate) -> (high: UInt128, low: UInt128) {
        fee.units.multipliedFullWidth(by: UInt128(other.size))
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
        var (a, b) = (fee.units, UInt128(size))
        while b != 0 { (a, b) = (b, a % b) }
        hasher.combine(fee.units / a)
        hasher.combine(UInt128(size) / a)
    }

    /// Units per byte, with three decimals (rounded down).
    public var description: String {
        let bytes = UInt128(size)
        let whole = fee.units / bytes
        let thousandths = (fee.units % bytes) * 1_000 / bytes
        let padded = String(repeating: "0", count: 3 - String(thousandths).count) + String(thousandths)
        return "\(whole).\(padded) units/byte"
    }
}
