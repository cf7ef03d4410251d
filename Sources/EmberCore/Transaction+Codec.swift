import EmberCrypto

extension Transaction: CanonicalCodable {
    public static let codecName = "transaction"

    public func encode(to writer: inout ByteWriter) {
        encodeTxidPart(to: &writer)
        writer.writeList(witnesses)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Transaction {
        try reader.withLimit(maxSize) { reader throws(DecodingError) in
            let version = try reader.readUInt8(field: "version")
            guard version == Self.version else {
                throw DecodingError(.unsupportedVersion(version), at: "version")
            }
            let inputs = try reader.readList(of: Input.self, limit: maxInputs, field: "inputs")
            let outputs = try reader.readList(of: Output.self, limit: maxOutputs, field: "outputs")
            let witnesses = try reader.readList(of: Witness.self, limit: maxWitnesses, field: "witnesses")
            return Transaction(inputs: inputs, outputs: outputs, witnesses: witnesses)
        }
    }

    /// Writes what the txid covers: everything up to, not including, the witness list.
    private func encodeTxidPart(to writer: inout ByteWriter) {
        writer.writeUInt8(Self.version)
        writer.writeList(inputs)
        writer.writeList(outputs)
    }
}

extension Transaction {
    /// The identifiers and size of a transaction, computed from one encoding.
    public struct Digests: Hashable, Sendable {
        /// `H(version ‖ inputs ‖ outputs)`: what inputs and signatures refer to; no witness changes it.
        public var txid: Hash32
        /// `H(all bytes)`: the Merkle leaf, committing to the witnesses too.
        public var fullHash: Hash32
        /// The length of the encoding in bytes.
        public var size: Int

        public init(txid: Hash32, fullHash: Hash32, size: Int) {
            self.txid = txid
            self.fullHash = fullHash
            self.size = size
        }
    }

    /// The txid, full hash and size, encoding the transaction once.
    public var digests: Digests {
        var writer = ByteWriter()
        encodeTxidPart(to: &writer)
        let txidPartSize = writer.count
        writer.writeList(witnesses)
        let bytes = writer.bytes
        return bytes.withUnsafeBytes { all in
            Digests(
                txid: Blake3.hash(UnsafeRawBufferPointer(rebasing: all[..<txidPartSize])),
                fullHash: Blake3.hash(all),
                size: all.count
            )
        }
    }

    /// `H(version ‖ inputs ‖ outputs)`; encodes only that part. Use `digests` when more is needed.
    public var txid: Hash32 {
        var writer = ByteWriter()
        encodeTxidPart(to: &writer)
        return Blake3.hash(writer.bytes)
    }

    /// `H(all bytes)`, the transaction's Merkle leaf.
    public var fullHash: Hash32 { Blake3.hash(encoded) }

    /// The length of the encoding in bytes.
    public var size: Int { encoded.count }
}
