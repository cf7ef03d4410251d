import EmberCrypto

/// A UTXO transaction: inputs spending earlier outputs, new outputs, and one witness per input
/// (DESIGN.md section 4).
///
/// The codec checks only the format. Whether a transaction is valid (at least one input and output,
/// witness count, amounts, fees, signatures) is EmberConsensus's business.
public struct Transaction: Hashable, Sendable {
    /// The only version this protocol defines; the encoding carries it, the value does not.
    public static let version: UInt8 = 1
    /// Bounds the bytes one transaction can make every node receive, store and hash.
    public static let maxSize = 100_000
    /// Bounds the UTXO lookups and signature checks one transaction can demand.
    public static let maxInputs = 1_024
    /// Bounds the UTXO-set entries one transaction can create.
    public static let maxOutputs = 1_024
    /// Bounds the witness list a decoder walks, to the same scale as the inputs it belongs to.
    public static let maxWitnesses = 1_024

    /// The outputs spent, in order; an empty list only in a coinbase.
    public var inputs: [Input]
    /// The outputs created, in order; an output index counts in this list.
    public var outputs: [Output]
    /// Signatures and proofs, one witness per input in input order; not covered by the txid.
    public var witnesses: [Witness]

    public init(inputs: [Input], outputs: [Output], witnesses: [Witness]) {
        self.inputs = inputs
        self.outputs = outputs
        self.witnesses = witnesses
    }
}
