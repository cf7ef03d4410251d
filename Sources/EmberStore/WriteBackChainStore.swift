import EmberCore
import EmberCrypto
import Synchronization

/// A `ChainStore` over an `SQLiteChainStore` that holds connected blocks in memory and writes several
/// of them in one SQLite transaction: `ember chain import` always, a node while it catches up
/// (`setMaxPendingBlocks`; with a batch of one it writes each block as it connects).
///
/// Why: UTXO keys are hashes, so every block dirties pages all over the UTXO set and transaction index,
/// and SQLite writes each dirty page to the log once per transaction. Connecting a batch of blocks in
/// one transaction writes a page once per batch instead of once per block.
///
/// What changes (docs/storage.md): a block is durable once `flush()` returns, or once a later connect
/// has filled a batch, not when `connect` returns. A kill loses the blocks not yet flushed and leaves
/// the database at the last flushed block, consistent. Reads through this store see the pending blocks
/// (UTXO lookups and the tip from memory, every other read after a flush), so they are never stale;
/// readers that open the database directly see the last flushed block. A failed flush discards the
/// whole batch, so its owner must stop using the chain built on it (the import exits).
public final class WriteBackChainStore: ChainStore {
    public let base: SQLiteChainStore
    /// A batch is written when it holds this many created and spent outputs, which bounds the memory
    /// it holds, or `maxPendingBlocks` blocks.
    public let maxPendingOutputs: Int
    private let state: Mutex<Pending>

    /// The blocks connected since the last flush, and their net effect on the UTXO set.
    private struct Pending {
        /// A batch is written when it holds this many blocks.
        var maxBlocks: Int
        var connections: [BlockConnection] = []
        /// Outputs the pending blocks created and left unspent.
        var created: [OutPoint: UTXOEntry] = [:]
        /// Outputs from before the pending blocks that they spent.
        var spent: Set<OutPoint> = []
        var outputCount = 0
    }

    public init(base: SQLiteChainStore, maxPendingBlocks: Int = 16, maxPendingOutputs: Int = 200_000) {
        self.base = base
        state = Mutex(Pending(maxBlocks: max(1, maxPendingBlocks)))
        self.maxPendingOutputs = max(1, maxPendingOutputs)
    }

    /// The blocks a batch holds before it is written; 1 writes every block as it connects.
    public var maxPendingBlocks: Int { state.withLock { $0.maxBlocks } }

    /// Sets the batch size; pending blocks that already fill the new size are written at once.
    public func setMaxPendingBlocks(_ blocks: Int) throws(StoreError) {
        try state.withLock { (pending) throws(StoreError) in
            pending.maxBlocks = max(1, blocks)
            if pending.connections.count >= pending.maxBlocks { try Self.flush(&pending, to: base) }
        }
    }

    public var identity: ChainIdentity { base.identity }

    /// How many connected blocks are not yet written.
    public var pendingBlockCount: Int { state.withLock { $0.connections.count } }

    /// Writes the pending blocks in one transaction; when it returns they survive a kill.
    public func flush() throws(StoreError) {
        try state.withLock { (pending) throws(StoreError) in try Self.flush(&pending, to: base) }
    }

    // MARK: Connecting

    public func connect(_ connection: BlockConnection) throws(StoreError) {
        try state.withLock { (pending) throws(StoreError) in
            // The checks SQLite would make at once that need no UTXO reads; the rest run at the flush.
            let tip: ChainTip?
            if let pendingTip = pending.connections.last?.newTip { tip = pendingTip } else { tip = try base.tip() }
            try connection.checkExtends(tip: tip, entry: try base.indexEntry(for: connection.blockHash), hasBody: true)
            for utxo in connection.spent where pending.created.removeValue(forKey: utxo.outpoint) == nil {
                pending.spent.insert(utxo.outpoint)
            }
            for utxo in connection.created { pending.created[utxo.outpoint] = utxo.entry }
            pending.connections.append(connection)
            pending.outputCount += connection.spent.count + connection.created.count
            if pending.connections.count >= pending.maxBlocks || pending.outputCount >= maxPendingOutputs {
                try Self.flush(&pending, to: base)
            }
        }
    }

    public func disconnect(_ disconnection: BlockDisconnection) throws(StoreError) {
        try flushedBase().disconnect(disconnection)
    }

    // MARK: Reads the pending blocks answer

    public func tip() throws(StoreError) -> ChainTip? {
        if let tip = state.withLock({ $0.connections.last?.newTip }) { return tip }
        return try base.tip()
    }

    public func utxo(at outpoint: OutPoint) throws(StoreError) -> UTXOEntry? {
        try utxos(at: [outpoint])[outpoint]
    }

    public func utxos(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry] {
        try state.withLock { (pending) throws(StoreError) in
            var found: [OutPoint: UTXOEntry] = [:]
            var stored: [OutPoint] = []
            for outpoint in outpoints {
                if let entry = pending.created[outpoint] {
                    found[outpoint] = entry
                } else if !pending.spent.contains(outpoint) {
                    stored.append(outpoint)
                }
            }
            // Read under the lock, so a flush cannot move outputs between memory and disk meanwhile.
            for (outpoint, entry) in try base.utxosOnWritingConnection(at: stored) { found[outpoint] = entry }
            return found
        }
    }

    // MARK: Everything else, after a flush

    public func insertIndexEntries(_ entries: [BlockIndexEntry]) throws(StoreError) {
        try base.insertIndexEntries(entries)
    }

    public func updateStatus(of hash: Hash32, inserting: BlockStatus, removing: BlockStatus) throws(StoreError) {
        try flushedBase().updateStatus(of: hash, inserting: inserting, removing: removing)
    }

    public func storeBody(_ block: Block) throws(StoreError) {
        try base.storeBody(block)
    }

    public func indexEntry(for hash: Hash32) throws(StoreError) -> BlockIndexEntry? {
        try flushedBase().indexEntry(for: hash)
    }

    public func children(of parent: Hash32) throws(StoreError) -> [BlockIndexEntry] {
        try flushedBase().children(of: parent)
    }

    public func indexEntries(atHeight height: UInt64) throws(StoreError) -> [BlockIndexEntry] {
        try flushedBase().indexEntries(atHeight: height)
    }

    public func allIndexEntries() throws(StoreError) -> [BlockIndexEntry] {
        try flushedBase().allIndexEntries()
    }

    public func pruneSideBranches(below height: UInt64) throws(StoreError) -> Int {
        try flushedBase().pruneSideBranches(below: height)
    }

    public func block(_ hash: Hash32) throws(StoreError) -> Block? {
        try base.block(hash)
    }

    public func activeHash(atHeight height: UInt64) throws(StoreError) -> Hash32? {
        try flushedBase().activeHash(atHeight: height)
    }

    public func activeBlocks(from height: UInt64, limit: Int) throws(StoreError) -> [Block] {
        try flushedBase().activeBlocks(from: height, limit: limit)
    }

    public func utxos(lockedBy lock: Lock, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        try flushedBase().utxos(lockedBy: lock, after: after, limit: limit)
    }

    public func balance(of lock: Lock) throws(StoreError) -> LockBalance {
        try flushedBase().balance(of: lock)
    }

    public func utxoSet(after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        try flushedBase().utxoSet(after: after, limit: limit)
    }

    public func undo(for hash: Hash32) throws(StoreError) -> [UTXO]? {
        try flushedBase().undo(for: hash)
    }

    public func transactionLocation(of txid: Hash32) throws(StoreError) -> TransactionLocation? {
        try flushedBase().transactionLocation(of: txid)
    }

    public func blob(_ hash: Hash32) throws(StoreError) -> StoredBlob? {
        try flushedBase().blob(hash)
    }

    public func blobLocations(after: BlobLocation?, limit: Int) throws(StoreError) -> [BlobLocation] {
        try flushedBase().blobLocations(after: after, limit: limit)
    }

    public func history(of lock: Lock, limit: Int) throws(StoreError) -> [LockHistoryEntry] {
        try flushedBase().history(of: lock, limit: limit)
    }

    public func supply(of hash: Hash32) throws(StoreError) -> BlockSupply? {
        try flushedBase().supply(of: hash)
    }

    public func activeSupply() throws(StoreError) -> ActiveChainSupply {
        try flushedBase().activeSupply()
    }

    public func recordSupply(_ figures: [Hash32: BlockSupply]) throws(StoreError) {
        try flushedBase().recordSupply(figures)
    }

    // MARK: Private

    /// The base store, once it holds every pending block.
    private func flushedBase() throws(StoreError) -> SQLiteChainStore {
        try flush()
        return base
    }

    private static func flush(_ pending: inout Pending, to base: SQLiteChainStore) throws(StoreError) {
        guard !pending.connections.isEmpty else { return }
        // Emptied first: a failed transaction wrote nothing, and the batch is not tried again.
        let connections = pending.connections
        pending = Pending(maxBlocks: pending.maxBlocks)
        try base.connect(connections)
    }
}
