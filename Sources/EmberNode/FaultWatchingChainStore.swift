import EmberCore
import EmberCrypto
import EmberStore

/// The node's view of its store: every call passes to `base`, and a failure that means the database no
/// longer holds what the chain in memory holds is recorded in `faults`, which stops the node
/// (DESIGN.md section 1). That is every failed write, and every read the disk failed (SQLite errors,
/// damaged or undecodable records). A read refused for the caller's sake (an unknown block, the active
/// chain moving during a paged read) is the caller's business and stops nothing.
final class FaultWatchingChainStore: ChainStore {
    let base: any ChainStore
    let faults: StoreFaults

    init(base: any ChainStore, faults: StoreFaults) {
        self.base = base
        self.faults = faults
    }

    var identity: ChainIdentity { base.identity }

    func indexEntry(for hash: Hash32) throws(StoreError) -> BlockIndexEntry? {
        try read("reading the chain (indexEntry)") { () throws(StoreError) in try base.indexEntry(for: hash) }
    }

    func children(of parent: Hash32) throws(StoreError) -> [BlockIndexEntry] {
        try read("reading the chain (children)") { () throws(StoreError) in try base.children(of: parent) }
    }

    func indexEntries(atHeight height: UInt64) throws(StoreError) -> [BlockIndexEntry] {
        try read("reading the chain (indexEntries)") { () throws(StoreError) in try base.indexEntries(atHeight: height) }
    }

    func allIndexEntries() throws(StoreError) -> [BlockIndexEntry] {
        try read("reading the chain (allIndexEntries)") { () throws(StoreError) in try base.allIndexEntries() }
    }

    func block(_ hash: Hash32) throws(StoreError) -> Block? {
        try read("reading the chain (block)") { () throws(StoreError) in try base.block(hash) }
    }

    func tip() throws(StoreError) -> ChainTip? {
        try read("reading the chain (tip)") { () throws(StoreError) in try base.tip() }
    }

    func activeHash(atHeight height: UInt64) throws(StoreError) -> Hash32? {
        try read("reading the chain (activeHash)") { () throws(StoreError) in try base.activeHash(atHeight: height) }
    }

    func activeBlocks(from height: UInt64, limit: Int) throws(StoreError) -> [Block] {
        try read("reading the chain (activeBlocks)") { () throws(StoreError) in try base.activeBlocks(from: height, limit: limit) }
    }

    func utxo(at outpoint: OutPoint) throws(StoreError) -> UTXOEntry? {
        try read("reading the chain (utxo)") { () throws(StoreError) in try base.utxo(at: outpoint) }
    }

    func utxos(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry] {
        try read("reading the chain (utxos)") { () throws(StoreError) in try base.utxos(at: outpoints) }
    }

    func utxos(lockedBy lock: Lock, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        try read("reading the chain (utxos)") { () throws(StoreError) in try base.utxos(lockedBy: lock, after: after, limit: limit) }
    }

    func balance(of lock: Lock) throws(StoreError) -> LockBalance {
        try read("reading the chain (balance)") { () throws(StoreError) in try base.balance(of: lock) }
    }

    func utxoSet(after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        try read("reading the chain (utxoSet)") { () throws(StoreError) in try base.utxoSet(after: after, limit: limit) }
    }

    func undo(for hash: Hash32) throws(StoreError) -> [UTXO]? {
        try read("reading the chain (undo)") { () throws(StoreError) in try base.undo(for: hash) }
    }

    func transactionLocation(of txid: Hash32) throws(StoreError) -> TransactionLocation? {
        try read("reading the chain (transactionLocation)") { () throws(StoreError) in try base.transactionLocation(of: txid) }
    }

    func blob(_ hash: Hash32) throws(StoreError) -> StoredBlob? {
        try read("reading the chain (blob)") { () throws(StoreError) in try base.blob(hash) }
    }

    func history(of lock: Lock, limit: Int) throws(StoreError) -> [LockHistoryEntry] {
        try read("reading the chain (history)") { () throws(StoreError) in try base.history(of: lock, limit: limit) }
    }

    func blobLocations(after: BlobLocation?, limit: Int) throws(StoreError) -> [BlobLocation] {
        try read("reading the chain (blobLocations)") { () throws(StoreError) in try base.blobLocations(after: after, limit: limit) }
    }

    func supply(of hash: Hash32) throws(StoreError) -> BlockSupply? {
        try read("reading the chain (supply)") { () throws(StoreError) in try base.supply(of: hash) }
    }

    func activeSupply() throws(StoreError) -> ActiveChainSupply {
        try read("reading the chain (activeSupply)") { () throws(StoreError) in try base.activeSupply() }
    }

    func insertIndexEntries(_ entries: [BlockIndexEntry]) throws(StoreError) {
        try write("indexing block headers") { () throws(StoreError) in try base.insertIndexEntries(entries) }
    }

    func updateStatus(of hash: Hash32, inserting: BlockStatus, removing: BlockStatus) throws(StoreError) {
        try write("updating the status of block \(hash)") { () throws(StoreError) in try base.updateStatus(of: hash, inserting: inserting, removing: removing) }
    }

    func pruneSideBranches(below height: UInt64) throws(StoreError) -> Int {
        try write("pruning side branches") { () throws(StoreError) in try base.pruneSideBranches(below: height) }
    }

    func storeBody(_ block: Block) throws(StoreError) {
        try write("storing the body of block \(block.hash)") { () throws(StoreError) in try base.storeBody(block) }
    }

    func recordSupply(_ figures: [Hash32: BlockSupply]) throws(StoreError) {
        try write("recording supply figures") { () throws(StoreError) in try base.recordSupply(figures) }
    }

    func connect(_ connection: BlockConnection) throws(StoreError) {
        try write("connecting block \(connection.blockHash)") { () throws(StoreError) in try base.connect(connection) }
    }

    func disconnect(_ disconnection: BlockDisconnection) throws(StoreError) {
        try write("disconnecting block \(disconnection.blockHash)") { () throws(StoreError) in try base.disconnect(disconnection) }
    }

    // MARK: Private

    private func write<T>(_ operation: @autoclosure () -> String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            faults.record(.store(error, operation: operation()))
            throw error
        }
    }

    private func read<T>(_ operation: @autoclosure () -> String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            if error.isDiskFailure { faults.record(.store(error, operation: operation())) }
            throw error
        }
    }
}

extension StoreError {
    /// Whether the disk failed or holds damaged data, as opposed to a request the store refused.
    var isDiskFailure: Bool {
        switch self {
        case .sqlite, .corruptRecord, .damagedDatabase, .notADatabase, .folderUnavailable: true
        default: false
        }
    }
}
