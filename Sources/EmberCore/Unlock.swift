/// What an input offers to meet the lock of the output it spends (DESIGN.md section 4).
///
/// On the wire: a tag byte, then the body the tag defines. The signatures and proofs that go with it
/// travel in the transaction's witness list, outside the txid.
public enum Unlock: Hashable, Sendable {
    /// The public key that hashes to a `Lock.pubKeyHash` (tag 0); its signature is the input's witness.
    case publicKey(RawPublicKey)

    /// The wire tag of each case.
    public enum Tag {
        public static let publicKey: UInt8 = 0
    }
}

extension Unlock: CanonicalCodable {
    public static let codecName = "unlock"

    public func encode(to writer: inout ByteWriter) {
        switch self {
        case .publicKey(let key):
            writer.writeUInt8(Tag.publicKey)
            key.encode(to: &writer)
        }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Unlock {
        let tag = try reader.readUInt8(field: "tag")
        switch tag {
        case Tag.publicKey: return .publicKey(try RawPublicKey.decode(from: &reader, field: "publicKey"))
        default: throw DecodingError(.unknownTag(tag), at: "tag")
        }
    }
}
