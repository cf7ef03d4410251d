import EmberCrypto

/// The 32 bytes of an Ed25519 public key as they travel in an unlock.
///
/// The codec does not check that the bytes are a point on the curve; signature verification does.
public struct RawPublicKey: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    // Same size as a digest, so its fixed-size storage serves without an array allocation per key.
    private let storage: Hash32

    /// The key from exactly 32 bytes; nil for any other length.
    public init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard let storage = Hash32(bytes) else { return nil }
        self.storage = storage
    }

    init(storage: Hash32) { self.storage = storage }

    /// The 32 key bytes.
    public var bytes: [UInt8] { storage.bytes }

    /// Lowercase hexadecimal, 64 digits.
    public var description: String { storage.hex }

    /// Writes the 32 key bytes.
    func encode(to writer: inout ByteWriter) {
        writer.writeHash(storage)
    }

    /// Reads 32 key bytes.
    static func decode(from reader: inout ByteReader, field: String) throws(DecodingError) -> RawPublicKey {
        RawPublicKey(storage: try reader.readHash(field: field))
    }
}
