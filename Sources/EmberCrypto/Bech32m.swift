/// Bech32m (BIP-350): a human-readable part, the separator `1`, data in 5-bit values and a 6-character
/// checksum that catches any 4 substituted characters and, unlike Bech32, inserted or deleted `q`s.
///
/// Decoding takes untrusted input: every failure is a `Bech32mError`, never a crash.
public enum Bech32m {
    /// BIP-173 bound on the whole string: it keeps the checksum's detection guarantees and bounds parsing work.
    public static let maxLength = 90
    /// Characters taken by the checksum at the end of the data part.
    public static let checksumLength = 6

    static let alphabet: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    static let separator = UInt8(ascii: "1")
    /// The constant that distinguishes Bech32m from Bech32 (BIP-350, "Bech32m").
    static let checksumConstant: UInt32 = 0x2bc8_30a3
    static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

    /// The 5-bit value of each lower-case ASCII byte, or nil for bytes outside the alphabet.
    static let valueOfCharacter: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 128)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// A string split at its separator, lower-cased, with the checksum not yet verified.
    struct Parts: Sendable {
        /// Lower-case ASCII bytes before the separator.
        var humanReadablePart: [UInt8]
        /// 5-bit values after the separator, checksum included.
        var valuesWithChecksum: [UInt8]

        var humanReadablePartString: String { String(decoding: humanReadablePart, as: UTF8.self) }
        var values: [UInt8] { Array(valuesWithChecksum.dropLast(Bech32m.checksumLength)) }
        var checksumMatches: Bool {
            Bech32m.polymod(Bech32m.expand(humanReadablePart) + valuesWithChecksum) == Bech32m.checksumConstant
        }
    }

    /// Encodes 5-bit `values` under `humanReadablePart`, in lower case.
    ///
    /// The inputs come from this program, not from users, so invalid ones are programming errors:
    /// the human-readable part must be 1...83 printable ASCII characters without upper case, every value
    /// below 32, and the result at most `maxLength` characters.
    public static func encode(humanReadablePart: String, values: [UInt8]) -> String {
        let prefix = Array(humanReadablePart.utf8)
        precondition(!prefix.isEmpty && prefix.allSatisfy { (33...126).contains($0) && !isUpper($0) },
                     "Bech32m human-readable part must be non-empty printable lower-case ASCII")
        precondition(values.allSatisfy { $0 < 32 }, "Bech32m values are 5-bit")
        precondition(prefix.count + 1 + values.count + checksumLength <= maxLength, "Bech32m string too long")

        let checksumInput = expand(prefix) + values + [UInt8](repeating: 0, count: checksumLength)
        let checksum = polymod(checksumInput) ^ checksumConstant
        var out = prefix
        out.append(separator)
        out.append(contentsOf: values.map { alphabet[Int($0)] })
        for index in 0..<checksumLength {
            let shift = UInt32(5 * (checksumLength - 1 - index))
            out.append(alphabet[Int((checksum >> shift) & 31)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a Bech32m string into its lower-cased human-readable part and 5-bit data values
    /// (checksum removed).
    public static func decode(_ string: String) throws(Bech32mError) -> (humanReadablePart: String, values: [UInt8]) {
        let parts = try split(string)
        guard parts.checksumMatches else { throw .checksumMismatch }
        return (parts.humanReadablePartString, parts.values)
    }

    /// Checks everything but the checksum, so callers can report a wrong prefix before a mistyped string.
    static func split(_ string: String) throws(Bech32mError) -> Parts {
        var bytes = [UInt8]()
        bytes.reserveCapacity(maxLength)
        for (offset, scalar) in string.unicodeScalars.enumerated() {
            // Stops reading at the bound; only the error message counts the rest.
            guard offset < maxLength else { throw .tooLong(length: string.unicodeScalars.count) }
            guard (33...126).contains(scalar.value) else {
                throw .characterOutOfRange(scalar, position: offset + 1)
            }
            bytes.append(UInt8(scalar.value))
        }
        let hasLower = bytes.contains(where: isLower)
        let hasUpper = bytes.contains(where: isUpper)
        guard !(hasLower && hasUpper) else { throw .mixedCase }
        let lowered = hasUpper ? bytes.map { isUpper($0) ? $0 + 32 : $0 } : bytes

        guard let separatorIndex = lowered.lastIndex(of: separator) else { throw .missingSeparator }
        guard separatorIndex > 0 else { throw .emptyHumanReadablePart }
        let dataStart = separatorIndex + 1
        guard lowered.count - dataStart >= checksumLength else { throw .checksumTooShort }

        var values = [UInt8]()
        values.reserveCapacity(lowered.count - dataStart)
        for index in dataStart..<lowered.count {
            guard let value = valueOfCharacter[Int(lowered[index])] else {
                throw .characterNotInAlphabet(Character(Unicode.Scalar(bytes[index])), position: index + 1)
            }
            values.append(value)
        }
        return Parts(humanReadablePart: Array(lowered[..<separatorIndex]), valuesWithChecksum: values)
    }

    /// Regroups bytes into 5-bit values, padding the last group with zero bits.
    public static func fiveBitValues(fromBytes bytes: [UInt8]) -> [UInt8] {
        var values = [UInt8]()
        values.reserveCapacity((bytes.count * 8 + 4) / 5)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            accumulator = (accumulator << 8 | UInt32(byte)) & 0xfff
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                values.append(UInt8((accumulator >> UInt32(bitCount)) & 31))
            }
        }
        if bitCount > 0 {
            values.append(UInt8((accumulator << UInt32(5 - bitCount)) & 31))
        }
        return values
    }

    /// Regroups 5-bit values into bytes; the bits left over must be fewer than five and all zero,
    /// so that every byte string has exactly one encoding.
    public static func bytes(fromFiveBitValues values: [UInt8]) throws(Bech32mError) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 5 / 8)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for value in values {
            // Values from `decode` are below 32; masking keeps stray callers from corrupting other bits.
            accumulator = (accumulator << 5 | UInt32(value & 31)) & 0xfff
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                bytes.append(UInt8((accumulator >> UInt32(bitCount)) & 0xff))
            }
        }
        guard bitCount < 5 else { throw .excessPadding }
        guard accumulator & ((1 << UInt32(bitCount)) - 1) == 0 else { throw .nonZeroPadding }
        return bytes
    }

    static func expand(_ humanReadablePart: [UInt8]) -> [UInt8] {
        humanReadablePart.map { $0 >> 5 } + [0] + humanReadablePart.map { $0 & 31 }
    }

    static func polymod(_ values: [UInt8]) -> UInt32 {
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for (bit, term) in generator.enumerated() where (top >> UInt32(bit)) & 1 == 1 {
                checksum ^= term
            }
        }
        return checksum
    }

    private static func isLower(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isUpper(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
}
