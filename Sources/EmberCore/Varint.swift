/// Unsigned LEB128 in its minimal form, at most 128 bits (DESIGN.md section 2).
///
/// Seven bits per byte, least significant group first, high bit set on every byte but the last. The last
/// byte is never zero unless it is the only one, so each value has exactly one encoding.
public enum Varint {
    /// The longest encoding: 19 groups of 7 bits hold 128 bits (the last group only 2 of them).
    public static let maxByteCount = 19

    /// The number of bytes `value` encodes to (1 to 19).
    public static func encodedSize(of value: UInt128) -> Int {
        let significantBits = UInt128.bitWidth - value.leadingZeroBitCount
        return max(1, (significantBits + 6) / 7)
    }

    /// The minimal encoding of `value`.
    public static func encoded(_ value: UInt128) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeVarint(value)
        return writer.bytes
    }

    /// Reads one varint from `reader`; `field` names it in errors.
    /// The minimal varint at the start of `bytes` and its length in bytes; nil when it is missing,
    /// truncated, non-minimal or too large (the coinbase's height prefix is read this way).
    public static func decodePrefix(of bytes: [UInt8]) -> (value: UInt128, length: Int)? {
        var reader = ByteReader(bytes)
        guard let value = try? read(from: &reader, field: nil) else { return nil }
        return (value, reader.position)
    }

    static func read(from reader: inout ByteReader, field: String?) throws(DecodingError) -> UInt128 {
        var value: UInt128 = 0
        var shift = 0
        while true {
            let byte = try reader.readUInt8(field: field)
            let group = UInt128(byte & 0x7f)
            // The 19th group holds the top 2 of the 128 bits and must be the last.
            if shift == 7 * (maxByteCount - 1), byte & 0x80 != 0 || group > 0b11 {
                throw DecodingError(.varintTooLarge(maxBits: 128), at: field)
            }
            value |= group << shift
            if byte & 0x80 == 0 {
                if byte == 0, shift > 0 { throw DecodingError(.nonMinimalVarint, at: field) }
                return value
            }
            shift += 7
        }
    }

    static func write(_ value: UInt128, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }
}
