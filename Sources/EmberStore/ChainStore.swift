import EmberCore
import EmberCrypto

/// The storage a node's chain lives in: block index, bodies, active chain, UTXO set, undo data and
/// transaction and blob indexes (DESIGN.md sections 11, 13 and 15).
///
/// Every method is one transaction of its own; `connect` and `disconnect` apply a whole block's changes
/// or none. A store checks what keeps it consistent (a block connected extends the tip, an output spent
/// exists) and reports a misuse as a `StoreError`; it applies no consensus rule. Reads run at any time
/// from any task; one writer, the chain actor, is expected.
public protocol ChainStore: Sendable {
    /// The chain this store holds, checked when it was opened.
    var identity: ChainIdentity { get }

    // MARK: Block index

    /// Adds index entries for blocks not yet indexed, in one transaction; an entry whose hash is
    /// already indexed is left as it is. Entries may not carry `BlockStatus.managedByStore` flags.
    func insertIndexEntries(_ entries: [BlockIndexEntry]) throws(StoreError)

    /// The index entry of `hash`, or nil.
    func indexEntry(for hash: Hash32) throws(StoreError) -> BlockIndexEntry?

    /// The indexed blocks whose parent is `parent`, in hash order.
    func children(of parent: Hash32) throws(StoreError) -> [BlockIndexEntry]

    /// The indexed blocks at `height`, on any branch, in hash order.
    func indexEntries(atHeight height: UInt64) throws(StoreError) -> [BlockIndexEntry]

    /// Every index entry, by height then hash (parents before children): what the chain actor loads
    /// at start.
    func allIndexEntries() throws(StoreError) -> [BlockIndexEntry]

    /// Sets the `inserting` flags and clears the `removing` ones of an indexed block.
    func updateStatus(of hash: Hash32, inserting: BlockStatus, removing: BlockStatus) throws(StoreError)

    /// Deletes the index entries, bodies and undo data of the blocks below `height` that are not on the
    /// active chain; returns how many blocks were deleted.
    func pruneSideBranches(below height: UInt64) throws(StoreError) -> Int

    // MARK: Block bodies

    /// Stores the body of an indexed block (once; a second call changes nothing) and sets its
    /// `bodyStored` flag.
    func storeBody(_ block: Block) throws(StoreError)

    /// The stored block `hash`, or nil when its body is not stored.
    func block(_ hash: Hash32) throws(StoreError) -> Block?

    // MARK: Active chain

    /// The tip of the active chain, or nil before genesis is connected.
    func tip() throws(StoreError) -> ChainTip?

    /// The hash of the active chain's block at `height`, or nil above the tip.
    func activeHash(atHeight height: UInt64) throws(StoreError) -> Hash32?

    /// Up to `limit` blocks of the active chain from `height` up, in height order. To walk the whole
    /// chain without holding it in memory, use `activeBlocks(from:pageSize:)`.
    func activeBlocks(from height: UInt64, limit: Int) throws(StoreError) -> [Block]

    // MARK: UTXO set

    /// The unspent output at `outpoint`, or nil.
    func utxo(at outpoint: OutPoint) throws(StoreError) -> UTXOEntry?

    /// The unspent outputs among `outpoints`, read at one instant; missing ones are absent.
    func utxos(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry]

    /// Up to `limit` unspent outputs locked by `lock`, in outpoint order (txid bytes, then index),
    /// starting after `after` when given (for paging).
    func utxos(lockedBy lock: Lock, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO]

    /// The total and count of the unspent outputs locked by `lock`.
    func balance(of lock: Lock) throws(StoreError) -> LockBalance

    /// Up to `limit` entries of the whole UTXO set, in outpoint order, starting after `after` when given.
    func utxoSet(after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO]

    // MARK: Undo data and transaction index

    /// The entries connected block `hash` spent, in order, or nil when it is not connected.
    func undo(for hash: Hash32) throws(StoreError) -> [UTXO]?

    /// Where transaction `txid` of the active chain is, or nil.
    func transactionLocation(of txid: Hash32) throws(StoreError) -> TransactionLocation?

    /// The blob named `hash` as published on the active chain, or nil. Where several transactions
    /// published the same bytes, the lowest block's (then the first in it) is the answer.
    func blob(_ hash: Hash32) throws(StoreError) -> StoredBlob?

    /// Up to `limit` rows of the blob index in key order (hash, height, position, index), starting
    /// after `after` when given: what `ember chain verify` compares with the active chain's blobs.
    func blobLocations(after: BlobLocation?, limit: Int) throws(StoreError) -> [BlobLocation]

    /// Up to `limit` transactions of the active chain that paid to or took from `lock`, newest first
    /// (by height, then position in the block, both descending).
    func history(of lock: Lock, limit: Int) throws(StoreError) -> [LockHistoryEntry]

    // MARK: Supply figures, kept with the undo data

    /// What connected block `hash` minted and burnt, as stored when it connected; nil when it is not
    /// connected, or was connected before the store kept these figures (schema 2 and older).
    func supply(of hash: Hash32) throws(StoreError) -> BlockSupply?

    /// The active chain's figures summed, and the active blocks without figures, at one instant.
    /// Throws `corruptRecord` when an active block has no undo record or the sums overflow.
    func activeSupply() throws(StoreError) -> ActiveChainSupply

    /// Stores the figures of connected blocks that have none yet (connected before the store kept
    /// them), in one transaction; throws `notConnected` or `supplyAlreadyRecorded` otherwise, and
    /// stores nothing then.
    func recordSupply(_ figures: [Hash32: BlockSupply]) throws(StoreError)

    // MARK: Connecting and disconnecting, each one transaction

    /// Makes `connection.blockHash` the tip: updates the UTXO set, undo data, transaction and blob
    /// indexes, the active chain, the tip and the block's `connected` flag, all or nothing.
    func connect(_ connection: BlockConnection) throws(StoreError)

    /// Undoes the tip: its parent becomes the tip, with the UTXO set, transaction and blob indexes and
    /// flags as they were before the block, all or nothing.
    func disconnect(_ disconnection: BlockDisconnection) throws(StoreError)
}

extension ChainStore {
    /// Every unspent output locked by `lock`, read a page of `pageSize` at a time (so not at one instant:
    /// a connect between pages may move some).
    public func allUTXOs(lockedBy lock: Lock, pageSize: Int = 1_000) throws(StoreError) -> [UTXO] {
        var all = [UTXO]()
        var after: OutPoint?
        while true {
            let page = try utxos(lockedBy: lock, after: after, limit: pageSize)
            all += page
            guard page.count == pageSize, let last = page.last else { return all }
            after = last.outpoint
        }
    }
}
