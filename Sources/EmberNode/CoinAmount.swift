import EmberCore

/// Amounts as people type and read them: decimal EMB with up to 18 decimals (1 EMB = 10^18 units).
///
/// Parsing is exact integer arithmetic on the digits, never floating point, so every amount that can
/// be typed maps to exactly one number of units.
public enum CoinAmount {
    /// Digits after the point that EMB has: one unit is 10^-18 EMB.
    public static let maxDecimals = 18
    /// Bounds the text a parser walks; the largest 128-bit amount in EMB takes 40 characters.
    public static let maxTextLength = 64

    /// Why a text is not an amount of EMB, phrased for the person who typed it.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(length: Int)
        case negative(String)
        case notDecimal(String)
        case tooManyDecimals(String, found: Int)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .empty:
                "the amount is empty; write it in EMB, such as 12.5"
            case .tooLong(let length):
                "the amount is \(length) characters long; at most \(CoinAmount.maxTextLength) are accepted"
            case .negative(let text):
                "the amount '\(text)' is negative; write a positive number of EMB"
            case .notDecimal(let text):
                "the amount '\(text)' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"
            case .tooManyDecimals(let text, let found):
                "the amount '\(text)' has \(found) decimals; EMB has at most \(CoinAmount.maxDecimals)"
            case .tooLarge(let text):
                "the amount '\(text)' is too large to be an amount of EMB"
            }
        }
    }

    /// The units of a decimal EMB text such as `"1"`, `"0.5"` or `"1.000000000000000001"`.
    ///
    /// Accepts digits with an optional point followed by 1 to 18 digits; no sign, exponent, grouping
    /// or surrounding spaces.
    public static func parse(_ text: String) throws(ParseError) -> Amount {
        guard !text.isEmpty else { throw .empty }
        let characters = Array(text.utf8)
        guard characters.count <= maxTextLength else { throw .tooLong(length: characters.count) }
        if characters.first == UInt8(ascii: "-") { throw .negative(text) }

        let parts = characters.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : []
        let isDigit = { (character: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) }
        guard !whole.isEmpty, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
              parts.count == 1 || !fraction.isEmpty
        else { throw .notDecimal(text) }
        guard fraction.count <= maxDecimals else { throw .tooManyDecimals(text, found: fraction.count) }

        let paddedFraction = Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: maxDecimals - fraction.count)
        var units: UInt128 = 0
        for digit in whole + paddedFraction {
            let (shifted, overflowByShift) = units.multipliedReportingOverflow(by: 10)
            let (next, overflowByDigit) = shifted.addingReportingOverflow(UInt128(digit - UInt8(ascii: "0")))
            guard !overflowByShift, !overflowByDigit else { throw .tooLarge(text) }
            units = next
        }
        return Amount(units: units)
    }

    /// A whole number of units written in decimal digits only (no sign), as the API and `--fee-rate`
    /// carry them; nil for anything else or more than 128 bits.
    public static func parseUnits(_ text: String) -> Amount? {
        // `UInt128(_:)` alone would also accept a sign.
        guard !text.isEmpty, text.utf8.count <= 39, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let units = UInt128(text)
        else { return nil }
        return Amount(units: units)
    }

    /// The amount in EMB without trailing zeros: `"1"`, `"0.5"`, `"0.000000000000000001"`.
    public static func format(_ amount: Amount) -> String {
        let whole = amount.units / Amount.unitsPerCoin
        let fraction = amount.units % Amount.unitsPerCoin
        guard fraction != 0 else { return String(whole) }
        let digits = String(fraction)
        let padded = String(repeating: "0", count: maxDecimals - digits.count) + digits
        let trimmed = padded.reversed().drop(while: { $0 == "0" }).reversed()
        return "\(whole).\(String(trimmed))"
    }

    /// The amount in EMB followed by the unit, for messages: `"1.5 EMB"`.
    public static func formatWithUnit(_ amount: Amount) -> String {
        format(amount) + " EMB"
    }
}
