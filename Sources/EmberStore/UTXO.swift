import EmberCore

/// An unspent output together with the outpoint that names it.
public struct UTXO: Hashable, Sendable {
    /// Where the output was created.
    public var outpoint: OutPoint
    /// The output and its origin.
    public var entry: UTXOEntry

    public init(outpoint: OutPoint, entry: UTXOEntry) {
        self.outpoint = outpoint
        self.entry = entry
    }
}
