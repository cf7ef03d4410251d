import EmberCore

/// An unspent output with what validation needs to know of its origin: the store keeps the very type
/// the consensus rules read, so no conversion stands between them.
public typealias UTXOEntry = UnspentOutput
