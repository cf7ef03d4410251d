import EmberCrypto

/// Reads canonical encodings from untrusted bytes, never past the end of the data or the size limit
/// in force.
///
/// Every read checks the remaining bytes first and reports a `DecodingError` naming the field, so a
/// hostile or damaged input can only produce an error. Counts are checked against their limit and
/// against the bytes left before anything is allocated for them.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var position: Int
    /// Reads stop here: the end of the data, or earlier when a size limit is in force.
    private var end: Int
    /// The size limit that set `end`, or nil when `end` is the end of the data.
    private var activeLimit: Int?

    /// A reader of `bytes` from the start, with no limit beyond their end.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
        activeLimit = nil
    }

    /// The number of bytes that can still be read under the limit in force.
    public var remainingCount: Int { end - position }

    /// Whether every byte of the data has been read.
    public var isAtEnd: Bool { position == bytes.count }

    /// Runs `body` with reads confined to the next `limit` bytes (a value's own maximum size).
    public mutating func withLimit<Value>(
        _ limit: Int,
        _ body: (inout ByteReader) throws(DecodingError) -> Value
    ) throws(DecodingError) -> Value {
        let limit = max(0, limit)
        guard limit < remainingCount else { return try body(&self) }
        let (outerEnd, outerLimit) = (end, activeLimit)
        end = position + limit
        activeLimit = limit
        defer { (end, activeLimit) = (outerEnd, outerLimit) }
        return try body(&self)
    }

    /// Fails with `trailingBytes` unless every byte of the data has been read.
    public func expectEnd() throws(DecodingError) {
        guard isAtEnd else { throw DecodingError(.trailingBytes(count: bytes.count - position)) }
    }

    /// Reads one byte.
    public mutating func readUInt8(field: String?) throws(DecodingError) -> UInt8 {
        guard position < end else { throw outOfBytes(field) }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a 4-byte big-endian integer.
    public mutating func readUInt32(field: String?) throws(DecodingError) -> UInt32 {
        try readBigEndian(UInt32.self, field: field)
    }

    /// Reads an 8-byte big-endian integer.
    public mutating func readUInt64(field: String?) throws(DecodingError) -> UInt64 {
        try readBigEndian(UInt64.self, field: field)
    }

    /// Reads exactly `count` bytes with no length prefix (fixed-size fields).
    public mutating func readRawBytes(count: Int, field: String?) throws(DecodingError) -> [UInt8] {
        guard count >= 0, count <= remainingCount else { throw outOfBytes(field) }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Reads a 32-byte digest.
    public mutating func readHash(field: String?) throws(DecodingError) -> Hash32 {
        guard Hash32.byteCount <= remainingCount,
            let hash = Hash32(bytes[position..<position + Hash32.byteCount])
        else { throw outOfBytes(field) }
        position += Hash32.byteCount
        return hash
    }

    /// Reads a minimal unsigned LEB128 varint of at most 128 bits.
    public mutating func readVarint(field: String?) throws(DecodingError) -> UInt128 {
        try Varint.read(from: &self, field: field)
    }

    /// Reads a varint that must fit in `Integer` (an error says `varintTooLarge` otherwise).
    public mutating func readVarint<Integer: FixedWidthInteger & UnsignedInteger>(
        as type: Integer.Type,
        field: String?
    ) throws(DecodingError) -> Integer {
        let value = try readVarint(field: field)
        guard let fitted = Integer(exactly: value) else {
            throw DecodingError(.varintTooLarge(maxBits: Integer.bitWidth), at: field)
        }
        return fitted
    }

    /// Reads a list or byte-string count: at most `limit`, and at most the bytes left, since every
    /// element takes at least one byte.
    public mutating func readCount(limit: Int, field: String?) throws(DecodingError) -> Int {
        let count = try readVarint(field: field)
        guard count <= UInt128(UInt(bitPattern: max(0, limit))) else {
            throw DecodingError(.countOverLimit(count: count, limit: limit), at: field)
        }
        let fitted = Int(truncatingIfNeeded: count)
        guard fitted <= remainingCount else { throw outOfBytes(field) }
        return fitted
    }

    /// Reads a byte string (varint length, then the bytes) of at most `limit` bytes.
    public mutating func readByteString(limit: Int, field: String?) throws(DecodingError) -> [UInt8] {
        let count = try readCount(limit: limit, field: field)
        return try readRawBytes(count: count, field: field)
    }

    /// Decodes a nested value, naming it `field` in errors.
    public mutating func read<Value: CanonicalDecodable>(
        _ type: Value.Type,
        field: String
    ) throws(DecodingError) -> Value {
        do throws(DecodingError) {
            return try Value.decode(from: &self)
        } catch {
            throw error.prefixed(by: .field(field))
        }
    }

    /// Reads a list (varint count, then the elements) of at most `limit` elements.
    public mutating func readList<Element>(
        limit: Int,
        field: String,
        element readElement: (inout ByteReader) throws(DecodingError) -> Element
    ) throws(DecodingError) -> [Element] {
        let count = try readCount(limit: limit, field: field)
        var list = [Element]()
        list.reserveCapacity(count)
        for index in 0..<count {
            do throws(DecodingError) {
                list.append(try readElement(&self))
            } catch {
                throw error.prefixed(by: .index(index)).prefixed(by: .field(field))
            }
        }
        return list
    }

    /// Reads a list of canonically decodable values of at most `limit` elements.
    public mutating func readList<Element: CanonicalDecodable>(
        of type: Element.Type,
        limit: Int,
        field: String
    ) throws(DecodingError) -> [Element] {
        try readList(limit: limit, field: field) { reader throws(DecodingError) in
            try Element.decode(from: &reader)
        }
    }

    private mutating func readBigEndian<Integer: FixedWidthInteger>(
        _ type: Integer.Type,
        field: String?
    ) throws(DecodingError) -> Integer {
        let size = Integer.bitWidth / 8
        guard size <= remainingCount else { throw outOfBytes(field) }
        var value: Integer = 0
        for byte in bytes[position..<position + size] {
            value = value << 8 | Integer(byte)
        }
        position += size
        return value
    }

    /// The error for a read that needs more bytes than `end` allows: the data ended, or the limit did.
    private func outOfBytes(_ field: String?) -> DecodingError {
        if let limit = activeLimit {
            DecodingError(.sizeOverLimit(limit: limit), at: field)
        } else {
            DecodingError(.truncated, at: field)
        }
    }
}
