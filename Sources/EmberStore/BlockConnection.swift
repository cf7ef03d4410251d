import EmberCore
import EmberCrypto

/// Everything that changes when a block joins the active chain, applied by `ChainStore.connect` as
/// one transaction.
///
/// The chain actor builds it while validating the block against the UTXO view. `created` and `spent`
/// are the block's net effect: an output created and spent within the block appears in neither.
public struct BlockConnection: Hashable, Sendable {
    /// The connected block, the new tip; its index entry and body must be stored.
    public var blockHash: Hash32
    /// Its height: the current tip's plus one (0 for genesis).
    public var height: UInt64
    /// The outputs the block creates that are still unspent after it, added to the UTXO set.
    public var created: [UTXO]
    /// The outputs from before the block that it spends, with the entries they held, in the order the
    /// block spends them; removed from the UTXO set and kept as the block's undo data.
    public var spent: [UTXO]
    /// The block's txids in block order, for the transaction index.
    public var txids: [Hash32]
    /// The blobs its transactions publish (`PublishedBlob.all(in:)`), for the blob index.
    public var blobs: [PublishedBlob]
    /// What each transaction paid to and took from each lock (`AddressActivity.all(in:txids:spent:)`),
    /// for the address history index.
    public var addressActivity: [AddressActivity]
    /// The UTXO-set hash after the block.
    public var utxoSetHash: Hash32
    /// What the block minted and burnt, kept with its undo data; nil leaves the figures unknown, as
    /// for a block connected before the store kept them, and the chain then derives them from the
    /// block with the pre-v2 formula (exact only for a block that spends no covenant output).
    public var supply: BlockSupply?

    public init(
        blockHash: Hash32,
        height: UInt64,
        created: [UTXO],
        spent: [UTXO],
        txids: [Hash32],
        blobs: [PublishedBlob],
        addressActivity: [AddressActivity],
        utxoSetHash: Hash32,
        supply: BlockSupply?
    ) {
        self.blockHash = blockHash
        self.height = height
        self.created = created
        self.spent = spent
        self.txids = txids
        self.blobs = blobs
        self.addressActivity = addressActivity
        self.utxoSetHash = utxoSetHash
        self.supply = supply
    }

    /// The tip the store has once this block is connected.
    public var newTip: ChainTip { ChainTip(hash: blockHash, height: height, utxoSetHash: utxoSetHash) }
}
