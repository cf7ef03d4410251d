import EmberCrypto

extension BlockHeader: CanonicalCodable {
    public static let codecName = "blockHeader"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt64(nonce.high)
        writer.writeUInt64(nonce.middle)
        writer.writeUInt64(nonce.low)
        writer.writeUInt8(Self.version)
        writer.writeUInt64(height)
        writer.writeHash(parent)
        writer.writeHash(txRoot)
        writer.writeUInt64(timestamp)
        writer.writeUInt32(target.bits)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> BlockHeader {
        let nonce = Nonce(
            high: try reader.readUInt64(field: "nonce"),
            middle: try reader.readUInt64(field: "nonce"),
            low: try reader.readUInt64(field: "nonce")
        )
        let version = try reader.readUInt8(field: "version")
        guard version == Self.version else { throw DecodingError(.unsupportedVersion(version), at: "version") }
        return BlockHeader(
            nonce: nonce,
            height: try reader.readUInt64(field: "height"),
            parent: try reader.readHash(field: "parent"),
            txRoot: try reader.readHash(field: "txRoot"),
            timestamp: try reader.readUInt64(field: "timestamp"),
            target: CompactTarget(bits: try reader.readUInt32(field: "target"))
        )
    }

    /// The 109-byte encoding, the input of the proof-of-work hash.
    public var encoded: [UInt8] {
        var writer = ByteWriter(reservingCapacity: Self.encodedSize)
        encode(to: &writer)
        return writer.bytes
    }
}
