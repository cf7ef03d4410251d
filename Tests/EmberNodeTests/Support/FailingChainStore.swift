import EmberCore
import EmberCrypto
import EmberStore

/// A store that behaves like `base` until told to fail: then every connect from `failingFromHeight` up
/// throws an SQLite I/O error, as a full or failing disk would; with `failingUTXOReads`, so does every
/// read of unspent outputs by outpoint.
final class FailingChainStore: ChainStore {
    static let injected = StoreError.sqlite(code: 10, message: "disk I/O error (injected by the test)")

    let base: any ChainStore
    let failingFromHeight: UInt64
    let failingUTXOReads: Bool

    init(base: any ChainStore, failingFromHeight: UInt64, failingUTXOReads: Bool = false) {
        self.base = base
        self.failingFromHeight = failingFromHeight
        self.failingUTXOReads = failingUTXOReads
    }

    var identity: ChainIdentity { base.identity }

    func connect(_ connection: BlockConnection) throws(StoreError) {
        guard connection.height < failingFromHeight else { throw Self.injected }
        try base.connect(connection)
    }

    func indexEntry(for hash: Hash32) throws(StoreError) -> BlockIndexEntry? { try base.indexEntry(for: hash) }
    func children(of parent: Hash32) throws(StoreError) -> [BlockIndexEntry] { try base.children(of: parent) }
    func indexEntries(atHeight height: UInt64) throws(StoreError) -> [BlockIndexEntry] { try base.indexEntries(atHeight: height) }
    func allIndexEntries() throws(StoreError) -> [BlockIndexEntry] { try base.allIndexEntries() }
    func block(_ hash: Hash32) throws(StoreError) -> Block? { try base.block(hash) }
    func tip() throws(StoreError) -> ChainTip? { try base.tip() }
    func activeHash(atHeight height: UInt64) throws(StoreError) -> Hash32? { try base.activeHash(atHeight: height) }
    func activeBlocks(from height: UInt64, limit: Int) throws(StoreError) -> [Block] { try base.activeBlocks(from: height, limit: limit) }
    func utxo(at outpoint: OutPoint) throws(StoreError) -> UTXOEntry? {
        guard !failingUTXOReads else { throw Self.injected }
        return try base.utxo(at: outpoint)
    }
    func utxos(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry] {
        guard !failingUTXOReads else { throw Self.injected }
        return try base.utxos(at: outpoints)
    }
    func utxos(lockedBy lock: Lock, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] { try base.utxos(lockedBy: lock, after: after, limit: limit) }
    func balance(of lock: Lock) throws(StoreError) -> LockBalance { try base.balance(of: lock) }
    func utxoSet(after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] { try base.utxoSet(after: after, limit: limit) }
    func undo(for hash: Hash32) throws(StoreError) -> [UTXO]? { try base.undo(for: hash) }
    func transactionLocation(of txid: Hash32) throws(StoreError) -> TransactionLocation? { try base.transactionLocation(of: txid) }
    func blob(_ hash: Hash32) throws(StoreError) -> StoredBlob? { try base.blob(hash) }
    func history(of lock: Lock, limit: Int) throws(StoreError) -> [LockHistoryEntry] { try base.history(of: lock, limit: limit) }
    func blobLocations(after: BlobLocation?, limit: Int) throws(StoreError) -> [BlobLocation] { try base.blobLocations(after: after, limit: limit) }
    func supply(of hash: Hash32) throws(StoreError) -> BlockSupply? { try base.supply(of: hash) }
    func activeSupply() throws(StoreError) -> ActiveChainSupply { try base.activeSupply() }
    func insertIndexEntries(_ entries: [BlockIndexEntry]) throws(StoreError) { try base.insertIndexEntries(entries) }
    func updateStatus(of hash: Hash32, inserting: BlockStatus, removing: BlockStatus) throws(StoreError) { try base.updateStatus(of: hash, inserting: inserting, removing: removing) }
    func pruneSideBranches(below height: UInt64) throws(StoreError) -> Int { try base.pruneSideBranches(below: height) }
    func storeBody(_ block: Block) throws(StoreError) { try base.storeBody(block) }
    func recordSupply(_ figures: [Hash32: BlockSupply]) throws(StoreError) { try base.recordSupply(figures) }
    func disconnect(_ disconnection: BlockDisconnection) throws(StoreError) { try base.disconnect(disconnection) }
}
