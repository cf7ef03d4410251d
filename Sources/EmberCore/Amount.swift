/// A quantity of coin in base units (1 EMB = 10^18 units).
///
/// Every arithmetic operation is checked: an overflow or a negative result is reported, never wrapped.
public struct Amount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let unitsPerCoin: UInt128 = 1_000_000_000_000_000_000
    public static let zero = Amount(units: 0)

    public var units: UInt128

    public init(units: UInt128) { self.units = units }

    /// `coins` whole EMB; nil when that does not fit.
    public init?(coins: UInt128) {
        let (units, overflow) = coins.multipliedReportingOverflow(by: Self.unitsPerCoin)
        guard !overflow else { return nil }
        self.units = units
    }

    /// The sum, or nil on overflow.
    public func adding(_ other: Amount) -> Amount? {
        let (sum, overflow) = units.addingReportingOverflow(other.units)
        return overflow ? nil : Amount(units: sum)
    }

    /// The difference, or nil when `other` is larger.
    public func subtracting(_ other: Amount) -> Amount? {
        other.units > units ? nil : Amount(units: units - other.units)
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.units < rhs.units }

    /// Decimal units, as amounts travel in JSON.
    public var description: String { String(units) }
}

extension Sequence where Element == Amount {
    /// The checked sum of all amounts, or nil on overflow.
    public func checkedSum() -> Amount? {
        var total = Amount.zero
        for amount in self {
            guard let next = total.adding(amount) else { return nil }
            total = next
        }
        return total
    }
}
