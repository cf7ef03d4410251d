import EmberCore
import EmberCrypto

/// Everything that changes when the tip leaves the active chain, applied by `ChainStore.disconnect`
/// as one transaction; the parent becomes the tip. The block's entries in the blob index go with it.
public struct BlockDisconnection: Hashable, Sendable {
    /// The block disconnected: the current tip.
    public var blockHash: Hash32
    /// Its height, the current tip's.
    public var height: UInt64
    /// The outpoints the block created (its connection's `created`), removed from the UTXO set.
    public var created: [OutPoint]
    /// The entries the block spent (its undo data), put back into the UTXO set.
    public var restored: [UTXO]
    /// The block's txids, removed from the transaction index.
    public var txids: [Hash32]
    /// The UTXO-set hash once the block is undone: the parent's.
    public var utxoSetHash: Hash32

    public init(
        blockHash: Hash32,
        height: UInt64,
        created: [OutPoint],
        restored: [UTXO],
        txids: [Hash32],
        utxoSetHash: Hash32
    ) {
        self.blockHash = blockHash
        self.height = height
        self.created = created
        self.restored = restored
        self.txids = txids
        self.utxoSetHash = utxoSetHash
    }

    /// The disconnection that undoes `connection`, back to a UTXO set whose hash was
    /// `previousUTXOSetHash`.
    public init(reverting connection: BlockConnection, previousUTXOSetHash: Hash32) {
        self.init(
            blockHash: connection.blockHash,
            height: connection.height,
            created: connection.created.map(\.outpoint),
            restored: connection.spent,
            txids: connection.txids,
            utxoSetHash: previousUTXOSetHash
        )
    }
}
