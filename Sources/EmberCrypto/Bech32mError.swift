/// Why a string is not valid Bech32m (BIP-350), phrased for the person who typed it.
public enum Bech32mError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than `Bech32m.maxLength` characters.
    case tooLong(length: Int)
    /// A character outside printable ASCII (33...126); `position` counts from 1, as a person does.
    case characterOutOfRange(Unicode.Scalar, position: Int)
    /// Both upper- and lower-case letters; BIP-350 allows one case or the other.
    case mixedCase
    /// No `1` separating the human-readable part from the data.
    case missingSeparator
    /// Nothing before the separator.
    case emptyHumanReadablePart
    /// Fewer than six characters after the separator, so there is no room for the checksum.
    case checksumTooShort
    /// A data character outside the Bech32 alphabet; `position` counts from 1.
    case characterNotInAlphabet(Character, position: Int)
    /// The checksum does not match: the string was mistyped or corrupted.
    case checksumMismatch
    /// Regrouping 5-bit values into bytes left five or more bits over.
    case excessPadding
    /// Regrouping 5-bit values into bytes left bits over that are not zero.
    case nonZeroPadding

    /// What is wrong, without a subject, so callers can say what the string was ("address …").
    public var reason: String {
        switch self {
        case .tooLong(let length):
            "is too long (\(length) characters; at most \(Bech32m.maxLength))"
        case .characterOutOfRange(let scalar, let position):
            "contains a character that cannot appear in it (U+\(hex4(scalar.value)) at position \(position))"
        case .mixedCase:
            "mixes upper- and lower-case letters; type it all in one case"
        case .missingSeparator:
            "has no separator '1' between its prefix and its data"
        case .emptyHumanReadablePart:
            "has no prefix before the separator '1'"
        case .checksumTooShort:
            "is too short to hold its 6-character checksum; it may have been cut off"
        case .characterNotInAlphabet(let character, let position):
            "contains '\(character)' at position \(position), which is never used (the alphabet leaves out 1, b, i and o)"
        case .checksumMismatch:
            "is mistyped (checksum does not match); compare it character by character with the original"
        case .excessPadding, .nonZeroPadding:
            "has invalid padding bits; it was not produced by a correct encoder"
        }
    }

    public var description: String { "Bech32m string " + reason }
}

private func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
