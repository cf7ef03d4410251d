import EmberCrypto

extension Transaction: CanonicalCodable {
    public static let codecName = "transaction"

    public func encode(to writer: inout ByteWriter) {
        encodeTxidPart(to: &writer)
        writer.writeList(witnesses)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Transaction {
        // The version decides the size limit, so it is looked at before the limit is set.
        var probe = reader
        let limit = try probe.readUInt8(field: "version") == version1 ? maxVersion1Size : maxSize
        return try reader.withLimit(limit) { reader throws(DecodingError) in
            let version = try reader.readUInt8(field: "version")
            guard version == version1 || version == version2 else {
                throw DecodingError(.unsupportedVersion(version), at: "version")
            }
            let inputs = try reader.readList(of: Input.self, limit: maxInputs, field: "inputs")
            let reads = version == version2 ? try reader.readList(of: OutPoint.self, limit: maxReads, field: "reads") : []
            let outputs = try reader.readList(of: Output.self, limit: maxOutputs, field: "outputs")
            let blobs = version == version2 ? try readBlobs(from: &reader) : []
            let witnesses = try reader.readList(of: Witness.self, limit: maxWitnesses, field: "witnesses")
            return Transaction(version: version, inputs: inputs, reads: reads, outputs: outputs, blobs: blobs, witnesses: witnesses)
        }
    }

    private static func readBlobs(from reader: inout ByteReader) throws(DecodingError) -> [[UInt8]] {
        try reader.readList(limit: maxBlobs, field: "blobs") { reader throws(DecodingError) in
            try reader.readByteString(limit: maxBlobSize, field: nil)
        }
    }

    /// Writes what the txid covers: everything up to, not including, the witness list. Version 1
    /// writes neither reads nor blobs, so its bytes and txids are those of protocol v1.
    private func encodeTxidPart(to writer: inout ByteWriter) {
        writer.writeUInt8(version)
        writer.writeList(inputs)
        if version != Self.version1 { writer.writeList(reads) }
        writer.writeList(outputs)
        if version != Self.version1 {
            writer.writeCount(blobs.count)
            for blob in blobs { writer.writeByteString(blob) }
        }
    }
}

extension Transaction {
    /// The identifiers and size of a transaction, computed from one encoding.
    public struct Digests: Hashable, Sendable {
        /// `H(version ‖ inputs ‖ outputs)` (v2: `‖ reads` after the inputs and `‖ blobs` after the
        /// outputs): what inputs and signatures refer to; no witness changes it.
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

    /// The txid; encodes only what it covers. Use `digests` when more is needed.
    public var txid: Hash32 {
        var writer = ByteWriter()
        encodeTxidPart(to: &writer)
        return Blake3.hash(writer.bytes)
    }

    /// `H(all bytes)`, the transaction's Merkle leaf.
    public var fullHash: Hash32 { Blake3.hash(encoded) }

    /// The length of the encoding in bytes.
    public var size: Int { encoded.count }

    /// `H(blob)` of each blob, in order: the names covenants give them.
    public var blobHashes: [Hash32] { blobs.map { Blake3.hash($0) } }
}
