import EmberCrypto

/// The condition an output sets on whoever spends it (DESIGN.md section 4).
///
/// On the wire: a tag byte, then the body the tag defines. Layer-2 protocols add cases with new tags;
/// until they do, any other tag is invalid.
public enum Lock: Hashable, Sendable {
    /// Spendable by the Ed25519 key whose Blake3 hash this is (tag 0).
    case pubKeyHash(Hash32)

    /// The wire tag of each case.
    public enum Tag {
        public static let pubKeyHash: UInt8 = 0
    }
}

extension Lock: CanonicalCodable {
    public static let codecName = "lock"

    public func encode(to writer: inout ByteWriter) {
        switch self {
        case .pubKeyHash(let hash):
            writer.writeUInt8(Tag.pubKeyHash)
            writer.writeHash(hash)
        }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Lock {
        let tag = try reader.readUInt8(field: "tag")
        switch tag {
        case Tag.pubKeyHash: return .pubKeyHash(try reader.readHash(field: "pubKeyHash"))
        default: throw DecodingError(.unknownTag(tag), at: "tag")
        }
    }
}
