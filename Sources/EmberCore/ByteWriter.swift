import EmberCrypto

/// Appends the canonical encoding of values to a growing byte array: fixed-width integers big-endian,
/// varints minimal LEB128, byte strings and lists prefixed with their varint count.
///
/// Writing never fails. It does not check the format's limits either: a value built outside the codec
/// with, say, 300 bytes of output data encodes to bytes that every decoder rejects.
public struct ByteWriter: Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer; `capacity` avoids regrowing when the final size is known or estimated.
    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    public var count: Int { bytes.count }

    /// Writes one byte.
    public mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    /// Writes `value` big-endian in 4 bytes.
    public mutating func writeUInt32(_ value: UInt32) {
        writeBigEndian(value)
    }

    /// Writes `value` big-endian in 8 bytes.
    public mutating func writeUInt64(_ value: UInt64) {
        writeBigEndian(value)
    }

    /// Writes `value` as a minimal unsigned LEB128 varint.
    public mutating func writeVarint(_ value: UInt128) {
        Varint.write(value, to: &bytes)
    }

    /// Writes a list or byte-string count as a varint.
    public mutating func writeCount(_ count: Int) {
        writeVarint(UInt128(UInt(bitPattern: count)))
    }

    /// Writes `raw` as it is, without a length prefix (fixed-size fields).
    public mutating func writeRawBytes<Bytes: Sequence>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Writes the 32 digest bytes of `hash`.
    public mutating func writeHash(_ hash: Hash32) {
        bytes.append(contentsOf: hash.bytes)
    }

    /// Writes a byte string: its length as a varint, then the bytes.
    public mutating func writeByteString(_ string: [UInt8]) {
        writeCount(string.count)
        bytes.append(contentsOf: string)
    }

    /// Writes the canonical encoding of `value`.
    public mutating func write(_ value: some CanonicalEncodable) {
        value.encode(to: &self)
    }

    /// Writes a list: its count as a varint, then each element.
    public mutating func writeList(_ list: [some CanonicalEncodable]) {
        writeCount(list.count)
        for element in list { element.encode(to: &self) }
    }

    private mutating func writeBigEndian(_ value: some FixedWidthInteger) {
        for shift in stride(from: value.bitWidth - 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}
