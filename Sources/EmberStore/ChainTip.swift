import EmberCrypto

/// The last block of the active chain, with the hash of the UTXO set it leaves.
public struct ChainTip: Hashable, Sendable, CustomStringConvertible {
    /// The tip's block hash.
    public var hash: Hash32
    /// The tip's height.
    public var height: UInt64
    /// The UTXO-set hash after the tip (DESIGN.md section 13), an integrity check of the local store.
    public var utxoSetHash: Hash32

    public init(hash: Hash32, height: UInt64, utxoSetHash: Hash32) {
        self.hash = hash
        self.height = height
        self.utxoSetHash = utxoSetHash
    }

    public var description: String { "\(hash) at height \(height)" }
}
