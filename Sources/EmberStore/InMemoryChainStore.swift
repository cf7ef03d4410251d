import EmberCore
import EmberCrypto
import Synchronization

/// A `ChainStore` in memory, for tests of the layers above: the same behaviour as
/// `SQLiteChainStore`, nothing on disk.
///
/// Lookups by lock or parent scan everything, which is fine at test sizes. A connect or disconnect
/// works on a copy of the state and keeps it only if every step succeeds, so a failure changes nothing.
public final class InMemoryChainStore: ChainStore {
    public let identity: ChainIdentity
    private let state = Mutex(State())

    private struct State {
        var index: [Hash32: BlockIndexEntry] = [:]
        var bodies: [Hash32: Block] = [:]
        /// The active chain's block hashes; the position is the height.
        var activeChain: [Hash32] = []
        var tip: ChainTip?
        var utxos: [OutPoint: UTXOEntry] = [:]
        var undo: [Hash32: [UTXO]] = [:]
        /// The supply figures kept with the undo data, for the connected blocks that have them.
        var supply: [Hash32: BlockSupply] = [:]
        var transactions: [Hash32: TransactionLocation] = [:]
        /// Each blob hash's places on the active chain, lowest block first.
        var blobs: [Hash32: [(height: UInt64, blockHash: Hash32, blob: PublishedBlob)]] = [:]
        /// Each active block's address activity.
        var addressActivity: [Hash32: [AddressActivity]] = [:]
    }

    /// An empty store for the chain `identity`.
    public init(identity: ChainIdentity) {
        self.identity = identity
    }

    // MARK: Block index

    public func insertIndexEntries(_ entries: [BlockIndexEntry]) throws(StoreError) {
        for entry in entries { try entry.status.checkSettableByCaller() }
        state.withLock { state in
            for entry in entries where state.index[entry.hash] == nil {
                state.index[entry.hash] = entry
            }
        }
    }

    public func indexEntry(for hash: Hash32) throws(StoreError) -> BlockIndexEntry? {
        state.withLock { $0.index[hash] }
    }

    public func children(of parent: Hash32) throws(StoreError) -> [BlockIndexEntry] {
        state.withLock { state in
            state.index.values.filter { $0.header.parent == parent }.sorted { $0.hash < $1.hash }
        }
    }

    public func indexEntries(atHeight height: UInt64) throws(StoreError) -> [BlockIndexEntry] {
        state.withLock { state in
            state.index.values.filter { $0.height == height }.sorted { $0.hash < $1.hash }
        }
    }

    public func allIndexEntries() throws(StoreError) -> [BlockIndexEntry] {
        state.withLock { state in
            state.index.values.sorted { ($0.height, $0.hash) < ($1.height, $1.hash) }
        }
    }

    public func updateStatus(of hash: Hash32, inserting: BlockStatus, removing: BlockStatus) throws(StoreError) {
        try inserting.union(removing).checkSettableByCaller()
        try state.withLock { (state) throws(StoreError) in
            guard var entry = state.index[hash] else { throw .unknownBlock(hash) }
            entry.status = entry.status.union(inserting).subtracting(removing)
            state.index[hash] = entry
        }
    }

    public func pruneSideBranches(below height: UInt64) throws(StoreError) -> Int {
        state.withLock { state in
            let active = Set(state.activeChain)
            let pruned = state.index.values.filter { $0.height < height && !active.contains($0.hash) }
            for entry in pruned {
                state.index[entry.hash] = nil
                state.bodies[entry.hash] = nil
                state.undo[entry.hash] = nil
                state.supply[entry.hash] = nil
            }
            return pruned.count
        }
    }

    // MARK: Block bodies

    public func storeBody(_ block: Block) throws(StoreError) {
        let hash = block.hash
        try state.withLock { (state) throws(StoreError) in
            guard state.index[hash] != nil else { throw .unknownBlock(hash) }
            if state.bodies[hash] == nil { state.bodies[hash] = block }
            state.index[hash]?.status.insert(.bodyStored)
        }
    }

    public func block(_ hash: Hash32) throws(StoreError) -> Block? {
        state.withLock { $0.bodies[hash] }
    }

    // MARK: Active chain

    public func tip() throws(StoreError) -> ChainTip? {
        state.withLock { $0.tip }
    }

    public func activeHash(atHeight height: UInt64) throws(StoreError) -> Hash32? {
        state.withLock { state in
            height < UInt64(state.activeChain.count) ? state.activeChain[Int(height)] : nil
        }
    }

    public func activeBlocks(from height: UInt64, limit: Int) throws(StoreError) -> [Block] {
        try state.withLock { (state) throws(StoreError) in
            let start = Int(min(height, UInt64(state.activeChain.count)))
            let end = min(state.activeChain.count, start + max(0, limit))
            var blocks: [Block] = []
            for hash in state.activeChain[start..<end] {
                guard let block = state.bodies[hash] else {
                    throw .corruptRecord(table: "bodies", detail: "active block \(hash) has no body")
                }
                blocks.append(block)
            }
            return blocks
        }
    }

    // MARK: UTXO set

    public func utxo(at outpoint: OutPoint) throws(StoreError) -> UTXOEntry? {
        state.withLock { $0.utxos[outpoint] }
    }

    public func utxos(at outpoints: [OutPoint]) throws(StoreError) -> [OutPoint: UTXOEntry] {
        state.withLock { state in
            var found: [OutPoint: UTXOEntry] = [:]
            for outpoint in outpoints {
                if let entry = state.utxos[outpoint] { found[outpoint] = entry }
            }
            return found
        }
    }

    public func utxos(lockedBy lock: Lock, after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        state.withLock { state in
            Self.page(of: state.utxos, after: after, limit: limit) { $0.output.lock == lock }
        }
    }

    public func balance(of lock: Lock) throws(StoreError) -> LockBalance {
        let amounts = state.withLock { state in
            state.utxos.values.filter { $0.output.lock == lock }.map(\.output.amount)
        }
        guard let total = amounts.checkedSum() else {
            throw .corruptRecord(table: "utxos", detail: "the balance of \(lock) overflows 128 bits")
        }
        return LockBalance(amount: total, outputCount: amounts.count)
    }

    public func utxoSet(after: OutPoint?, limit: Int) throws(StoreError) -> [UTXO] {
        state.withLock { state in
            Self.page(of: state.utxos, after: after, limit: limit) { _ in true }
        }
    }

    // MARK: Undo data and transaction index

    public func undo(for hash: Hash32) throws(StoreError) -> [UTXO]? {
        state.withLock { $0.undo[hash] }
    }

    public func transactionLocation(of txid: Hash32) throws(StoreError) -> TransactionLocation? {
        state.withLock { $0.transactions[txid] }
    }

    public func blob(_ hash: Hash32) throws(StoreError) -> StoredBlob? {
        try state.withLock { (state) throws(StoreError) in
            guard let first = state.blobs[hash]?.first else { return nil }
            guard let block = state.bodies[first.blockHash], let blob = StoredBlob(first.blob, in: block, height: first.height) else {
                throw .corruptRecord(table: "blobs", detail: "block \(first.blockHash) does not hold blob \(hash)")
            }
            return blob
        }
    }

    public func history(of lock: Lock, limit: Int) throws(StoreError) -> [LockHistoryEntry] {
        try state.withLock { (state) throws(StoreError) in
            var entries = [LockHistoryEntry]()
            for (height, hash) in state.activeChain.enumerated().reversed() where entries.count < limit {
                guard let header = state.index[hash]?.header else {
                    throw .corruptRecord(table: "index", detail: "active block \(hash) has no index entry")
                }
                for activity in (state.addressActivity[hash] ?? []).reversed() where activity.lock == lock && entries.count < limit {
                    entries.append(LockHistoryEntry(
                        height: UInt64(height), blockHash: hash, timestamp: header.timestamp, activity: activity))
                }
            }
            return entries
        }
    }

    public func blobLocations(after: BlobLocation?, limit: Int) throws(StoreError) -> [BlobLocation] {
        state.withLock { state in
            state.blobs.values.joined()
                .map { BlobLocation(hash: $0.blob.hash, blockHash: $0.blockHash, height: $0.height, position: $0.blob.position, index: $0.blob.index) }
                .filter { location in after.map { BlobLocation.indexOrder($0, location) } ?? true }
                .sorted(by: BlobLocation.indexOrder)
                .prefix(max(0, limit))
                .map { $0 }
        }
    }

    // MARK: Supply figures

    public func supply(of hash: Hash32) throws(StoreError) -> BlockSupply? {
        state.withLock { $0.supply[hash] }
    }

    public func activeSupply() throws(StoreError) -> ActiveChainSupply {
        try state.withLock { (state) throws(StoreError) in
            var total = BlockSupply.zero
            var withoutFigures: [Hash32] = []
            for hash in state.activeChain {
                guard state.undo[hash] != nil else { throw .corruptRecord(table: "undo", detail: "active block \(hash) has no undo data") }
                guard let figures = state.supply[hash] else {
                    withoutFigures.append(hash)
                    continue
                }
                guard let minted = total.minted.adding(figures.minted), let burnt = total.burnt.adding(figures.burnt) else {
                    throw .corruptRecord(table: "supply", detail: "the active chain's supply figures overflow 128 bits at block \(hash)")
                }
                total = BlockSupply(minted: minted, burnt: burnt)
            }
            return ActiveChainSupply(recorded: total, blocksWithoutFigures: withoutFigures)
        }
    }

    public func recordSupply(_ figures: [Hash32: BlockSupply]) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            for hash in figures.keys {
                guard state.undo[hash] != nil else { throw .notConnected(hash) }
                guard state.supply[hash] == nil else { throw .supplyAlreadyRecorded(hash) }
            }
            state.supply.merge(figures) { _, new in new }
        }
    }

    // MARK: Connecting and disconnecting

    public func connect(_ connection: BlockConnection) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            try connection.checkExtends(
                tip: state.tip,
                entry: state.index[connection.blockHash],
                hasBody: state.bodies[connection.blockHash] != nil
            )
            var next = state
            for spent in connection.spent {
                guard next.utxos.removeValue(forKey: spent.outpoint) != nil else { throw .missingUTXO(spent.outpoint) }
            }
            for created in connection.created {
                guard next.utxos.updateValue(created.entry, forKey: created.outpoint) == nil else {
                    throw .duplicateUTXO(created.outpoint)
                }
            }
            next.undo[connection.blockHash] = connection.spent
            next.supply[connection.blockHash] = connection.supply
            for (position, txid) in connection.txids.enumerated() {
                let location = TransactionLocation(blockHash: connection.blockHash, position: position)
                guard next.transactions.updateValue(location, forKey: txid) == nil else {
                    throw .duplicateTransaction(txid)
                }
            }
            for blob in connection.blobs {
                // Blocks connect in height order, so appending keeps each list lowest block first.
                next.blobs[blob.hash, default: []].append((connection.height, connection.blockHash, blob))
            }
            next.addressActivity[connection.blockHash] = connection.addressActivity
            next.activeChain.append(connection.blockHash)
            next.tip = connection.newTip
            next.index[connection.blockHash]?.status.insert(.connected)
            state = next
        }
    }

    public func disconnect(_ disconnection: BlockDisconnection) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            try disconnection.checkIsTip(state.tip)
            var next = state
            for outpoint in disconnection.created {
                guard next.utxos.removeValue(forKey: outpoint) != nil else { throw .missingUTXO(outpoint) }
            }
            for restored in disconnection.restored {
                guard next.utxos.updateValue(restored.entry, forKey: restored.outpoint) == nil else {
                    throw .duplicateUTXO(restored.outpoint)
                }
            }
            for txid in disconnection.txids {
                guard next.transactions[txid]?.blockHash == disconnection.blockHash else {
                    throw .missingTransaction(txid)
                }
                next.transactions[txid] = nil
            }
            for (hash, places) in next.blobs where places.contains(where: { $0.blockHash == disconnection.blockHash }) {
                let kept = places.filter { $0.blockHash != disconnection.blockHash }
                next.blobs[hash] = kept.isEmpty ? nil : kept
            }
            next.undo[disconnection.blockHash] = nil
            next.supply[disconnection.blockHash] = nil
            next.addressActivity[disconnection.blockHash] = nil
            next.activeChain.removeLast()
            next.tip = next.activeChain.last.map {
                ChainTip(hash: $0, height: disconnection.height - 1, utxoSetHash: disconnection.utxoSetHash)
            }
            next.index[disconnection.blockHash]?.status.remove(.connected)
            state = next
        }
    }

    /// Up to `limit` entries matching `isIncluded`, in outpoint order, after `after`.
    private static func page(
        of utxos: [OutPoint: UTXOEntry],
        after: OutPoint?,
        limit: Int,
        where isIncluded: (UTXOEntry) -> Bool
    ) -> [UTXO] {
        let selected = utxos.filter { outpoint, entry in
            isIncluded(entry) && after.map { Self.precedes($0, outpoint) } ?? true
        }
        return selected
            .map { UTXO(outpoint: $0.key, entry: $0.value) }
            .sorted { Self.precedes($0.outpoint, $1.outpoint) }
            .prefix(max(0, limit))
            .map { $0 }
    }

    /// The listing order SQLite gives the UTXO key: txid bytes, then index.
    private static func precedes(_ lhs: OutPoint, _ rhs: OutPoint) -> Bool {
        (lhs.txid, lhs.index) < (rhs.txid, rhs.index)
    }
}
