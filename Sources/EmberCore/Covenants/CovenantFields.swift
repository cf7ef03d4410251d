import EmberCrypto

// Field codecs shared by the covenant lock bodies (DESIGN.md sections 15 to 18).

extension ByteReader {
    /// Reads a 32-byte public key as lock bodies carry it.
    mutating func readKey(field: String) throws(DecodingError) -> RawPublicKey {
        try RawPublicKey.decode(from: &self, field: field)
    }

    /// Reads an amount: a minimal varint of at most 128 bits.
    mutating func readAmount(field: String) throws(DecodingError) -> Amount {
        Amount(units: try readVarint(field: field))
    }

    /// Reads a u8 flag; only 0 and 1 are canonical, any other byte is an error naming the field.
    mutating func readFlag(field: String) throws(DecodingError) -> Bool {
        let byte = try readUInt8(field: field)
        guard byte <= 1 else { throw DecodingError(.unknownTag(byte), at: field) }
        return byte == 1
    }
}

extension ByteWriter {
    /// Writes the 32 bytes of a public key.
    mutating func writeKey(_ key: RawPublicKey) {
        key.encode(to: &self)
    }

    /// Writes an amount as a minimal varint.
    mutating func writeAmount(_ amount: Amount) {
        writeVarint(amount.units)
    }

    /// Writes a flag as one byte, 1 for true.
    mutating func writeFlag(_ flag: Bool) {
        writeUInt8(flag ? 1 : 0)
    }
}
