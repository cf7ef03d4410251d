/// A value with one canonical binary encoding (DESIGN.md section 2).
public protocol CanonicalEncodable: Sendable {
    /// Appends the value's canonical encoding to `writer`.
    func encode(to writer: inout ByteWriter)
}

/// A value that can be decoded, strictly, from its canonical encoding.
public protocol CanonicalDecodable: Sendable {
    /// The name the outermost component of an error path gets, such as `transaction`.
    static var codecName: String { get }

    /// Reads one value from `reader`, leaving any bytes after it unread.
    static func decode(from reader: inout ByteReader) throws(DecodingError) -> Self
}

/// A value with a canonical encoding that decodes back to the same value.
public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    /// The canonical encoding of the value.
    public var encoded: [UInt8] {
        var writer = ByteWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a value that must span all of `bytes`, which may be at most `limit` bytes long.
    ///
    /// Types with a maximum size of their own (`Transaction.maxSize`, `Block.maxSize`) enforce it as well,
    /// so `limit` can only tighten it.
    public static func decode(from bytes: [UInt8], limit: Int) throws(DecodingError) -> Self {
        do throws(DecodingError) {
            guard bytes.count <= limit else { throw DecodingError(.sizeOverLimit(limit: limit)) }
            var reader = ByteReader(bytes)
            let value = try decode(from: &reader)
            try reader.expectEnd()
            return value
        } catch {
            throw error.prefixed(by: .field(codecName))
        }
    }
}
