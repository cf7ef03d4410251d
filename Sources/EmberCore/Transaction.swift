import EmberCrypto

/// A UTXO transaction: inputs spending earlier outputs, new outputs, and one witness per input
/// (DESIGN.md section 4); version 2 adds outputs read without being spent and published blobs (§15).
///
/// The codec checks only the format, with each version's limits. Whether a transaction is valid (at
/// least one input and output, witness count, amounts, fees, signatures, covenants) is
/// EmberConsensus's business.
public struct Transaction: Hashable, Sendable {
    /// Version 1: inputs, outputs and witnesses; every transaction before protocol v2, and every coinbase.
    public static let version1: UInt8 = 1
    /// Version 2 (§15): adds `reads` and `blobs` for layer-2 covenants.
    public static let version2: UInt8 = 2
    /// Bounds the bytes a version-1 transaction can make every node receive, store and hash.
    public static let maxVersion1Size = 100_000
    /// Bounds the bytes any transaction can make every node receive, store and hash (a v2 one's blobs
    /// carry programs and proofs, so it may reach 1 MiB).
    public static let maxSize = 1_024 * 1_024
    /// Most entries in each of the input, output and witness lists (DESIGN.md section 4).
    public static let maxListLength = 1_024
    /// Bounds the UTXO lookups and signature checks one transaction can demand.
    public static let maxInputs = maxListLength
    /// Bounds the UTXO-set entries one transaction can create.
    public static let maxOutputs = maxListLength
    /// Bounds the witness list a decoder walks, to the same scale as the inputs it belongs to.
    public static let maxWitnesses = maxListLength
    /// Bounds the extra UTXO lookups reads add to a transaction.
    public static let maxReads = 16
    /// Bounds the blobs a transaction publishes (programs, inputs, outputs, evidence).
    public static let maxBlobs = 16
    /// Bounds one blob: a program or a piece of evidence, never a bulk data carrier.
    public static let maxBlobSize = 256 * 1_024

    /// 1 or 2; what the encoding, the txid and the size limit follow.
    public var version: UInt8
    /// The outputs spent, in order; an empty list only in a coinbase.
    public var inputs: [Input]
    /// Outputs looked at without being spent (version 2 only; empty in version 1).
    public var reads: [OutPoint]
    /// The outputs created, in order; an output index counts in this list.
    public var outputs: [Output]
    /// Published bytes that covenants name by their hash (version 2 only; empty in version 1).
    public var blobs: [[UInt8]]
    /// Signatures and proofs, one witness per input in input order; not covered by the txid.
    public var witnesses: [Witness]

    /// A version-1 transaction.
    public init(inputs: [Input], outputs: [Output], witnesses: [Witness]) {
        self.init(version: Self.version1, inputs: inputs, reads: [], outputs: outputs, blobs: [], witnesses: witnesses)
    }

    /// A transaction of either version; a version-1 value must have no reads and no blobs, which its
    /// encoding cannot carry (consensus rejects one that does).
    public init(version: UInt8, inputs: [Input], reads: [OutPoint], outputs: [Output], blobs: [[UInt8]], witnesses: [Witness]) {
        self.version = version
        self.inputs = inputs
        self.reads = reads
        self.outputs = outputs
        self.blobs = blobs
        self.witnesses = witnesses
    }

    /// The largest encoding this transaction's version allows.
    public var maxSizeForVersion: Int { version == Self.version1 ? Self.maxVersion1Size : Self.maxSize }
}
