import BigInt
import EmberCore
import EmberCrypto

/// The active chain's tip as followers see it.
public struct ChainTipSummary: Hashable, Sendable {
    public let hash: Hash32
    public let height: UInt64
    public let header: BlockHeader
    /// Cumulative work up to and including the tip.
    public let cumulativeWork: BigUInt
    /// The UTXO-set hash after the tip.
    public let utxoSetHash: Hash32
}
