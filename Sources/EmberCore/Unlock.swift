/// What an input offers to meet the lock of the output it spends (DESIGN.md sections 4 and 15 to 19).
///
/// On the wire: a tag byte, then the body the tag defines. The signatures and proofs that go with it
/// travel in the transaction's witness list, outside the txid. Tags 1 to 3 spend the layer-2 covenants;
/// they decode here, and consensus decides whether they are active.
public enum Unlock: Hashable, Sendable {
    /// The public key that hashes to a `Lock.pubKeyHash` (tag 0); its signature is the input's witness.
    case publicKey(RawPublicKey)
    /// A spend of a channel lock (tag 1): `mode u8 | firstOutput varint | maxSteps u32`.
    case channel(CovenantUnlock)
    /// A spend of a Plasma lock (tag 2): `mode u8 | firstOutput varint`, then `recipient 32` in bounty modes.
    case plasma(CovenantUnlock)
    /// A spend of a Truebit lock (tag 3): `mode u8 | firstOutput varint`.
    case truebit(CovenantUnlock)

    /// The wire tag of each case.
    public enum Tag {
        public static let publicKey: UInt8 = 0
        public static let channel: UInt8 = 1
        public static let plasma: UInt8 = 2
        public static let truebit: UInt8 = 3
    }

    /// The wire tag of this case.
    public var tag: UInt8 {
        switch self {
        case .publicKey: Tag.publicKey
        case .channel: Tag.channel
        case .plasma: Tag.plasma
        case .truebit: Tag.truebit
        }
    }

    /// The covenant body of tags 1 to 3; nil for a public key.
    public var covenant: CovenantUnlock? {
        switch self {
        case .publicKey: nil
        case .channel(let body), .plasma(let body), .truebit(let body): body
        }
    }
}

extension Unlock: CanonicalCodable {
    public static let codecName = "unlock"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt8(tag)
        switch self {
        case .publicKey(let key): key.encode(to: &writer)
        case .channel(let body): body.encode(to: &writer, layout: .channel)
        case .plasma(let body): body.encode(to: &writer, layout: .plasma)
        case .truebit(let body): body.encode(to: &writer, layout: .truebit)
        }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Unlock {
        let tag = try reader.readUInt8(field: "tag")
        switch tag {
        case Tag.publicKey: return .publicKey(try RawPublicKey.decode(from: &reader, field: "publicKey"))
        case Tag.channel: return .channel(try covenant(from: &reader, layout: .channel, field: "channel"))
        case Tag.plasma: return .plasma(try covenant(from: &reader, layout: .plasma, field: "plasma"))
        case Tag.truebit: return .truebit(try covenant(from: &reader, layout: .truebit, field: "truebit"))
        default: throw DecodingError(.unknownTag(tag), at: "tag")
        }
    }

    private static func covenant(
        from reader: inout ByteReader,
        layout: CovenantUnlock.Layout,
        field: String
    ) throws(DecodingError) -> CovenantUnlock {
        do throws(DecodingError) {
            return try CovenantUnlock.decode(from: &reader, layout: layout)
        } catch {
            throw error.prefixed(by: .field(field))
        }
    }
}
