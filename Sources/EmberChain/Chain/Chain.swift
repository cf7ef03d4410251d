import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// The one owner of the chain: it accepts blocks from any source, validates them through
/// EmberConsensus, keeps side branches within `maxForkDepth`, picks the tip with the most work and
/// reorganises by disconnecting with undo data and connecting the new branch, one store transaction per
/// block. Followers learn what happened from `subscribe()`.
public actor Chain {
    /// How deep below the tip a side branch may fork and still be kept: cheap low-difficulty branches
    /// forking far back cannot fill the disk.
    public static let defaultMaxForkDepth: UInt64 = 1_000
    /// Side branches are pruned whenever the tip crosses a multiple of this height.
    static let pruneInterval: UInt64 = 100

    public nonisolated let params: ConsensusParams
    public nonisolated let store: any ChainStore
    public let maxForkDepth: UInt64

    var index: [Hash32: IndexedBlock] = [:]
    /// The active chain: `active[h]` is the hash of the block at height h.
    var active: [Hash32] = []
    var utxoSetHash: UTXOSetHash
    var orphans = OrphanBlockPool()
    /// The hash of `bestHeader`, kept as headers are indexed and blocks marked invalid.
    var bestHeaderHash = Hash32.zero
    /// Blocks refused only for a timestamp ahead of our clock, retried by `retryFutureBlocks(nowMs:)`.
    var futureBlocks = FutureBlockPool()
    /// Headers found invalid that never reached the store (tier 1 or 2 failed, or a parent is
    /// invalid), bounded.
    var invalidHeaders = InvalidHashMemory()
    /// Index entries `indexHeader` made that the store has not received yet.
    var pendingIndexWrites: [IndexedBlock] = []
    /// Minted and burnt coin on the active chain, kept up to date on every connect and disconnect.
    public internal(set) var supply = SupplyTotals.zero
    private var subscribers: [Int: AsyncStream<ChainEvent>.Continuation] = [:]
    private var nextSubscriber = 0

    /// Opens the chain in `store`, connecting genesis into an empty one.
    public init(params: ConsensusParams, store: any ChainStore, maxForkDepth: UInt64 = Chain.defaultMaxForkDepth) async throws(ChainError) {
        self.params = params
        self.store = store
        self.maxForkDepth = maxForkDepth
        let genesis = params.genesisBlock
        do {
            if let tip = try store.tip() {
                for entry in try store.allIndexEntries() { index[entry.hash] = IndexedBlock(entry) }
                utxoSetHash = UTXOSetHash(tip.utxoSetHash)
                var cursor: Hash32? = tip.hash
                var hashes = [Hash32]()
                while let hash = cursor {
                    guard let entry = index[hash] else { throw ChainError.inconsistentStore("block \(hash) of the active chain is not indexed") }
                    hashes.append(hash)
                    cursor = entry.height == 0 ? nil : entry.parent
                }
                active = hashes.reversed()
                guard active.first == genesis.hash else {
                    throw ChainError.inconsistentStore("the active chain starts at \(active.first?.hex ?? "nothing"), not at this network's genesis")
                }
                // Before the reorganisation below, which adds and subtracts block figures.
                supply = try Self.storedSupply(store: store, params: params)
            } else {
                utxoSetHash = .empty
                try connectGenesis(genesis)
            }
            recomputeBestHeader()
            // A process stopped between storing a block and connecting it leaves a stored branch with
            // more work than the tip: finish the job now.
            if let best = bestCandidate(), best != active.last, let entry = index[best], entry.rank > tipEntry.rank {
                _ = try reorganise(to: best)
            }
        } catch {
            throw ChainError(wrapping: error)
        }
    }

    /// Active blocks whose figures are derived and stored per store transaction, when a database from
    /// before schema 3 is opened for the first time.
    static let supplyBackfillBatch = 256

    /// The supply of the stored active chain: the sum of the figures stored with the undo data. Blocks
    /// connected before the store kept figures get them now, derived once with the pre-v2 formula
    /// (exact for them) and stored, so the next start reads figures only.
    private static func storedSupply(store: any ChainStore, params: ConsensusParams) throws -> SupplyTotals {
        let stored = try store.activeSupply()
        var totals = SupplyTotals(stored.recorded)
        var batch = [Hash32: BlockSupply]()
        for hash in stored.blocksWithoutFigures {
            guard let block = try store.block(hash) else { throw ChainError.inconsistentStore("the body of active block \(hash) is missing") }
            guard let undo = try store.undo(for: hash) else { throw ChainError.inconsistentStore("the undo data of active block \(hash) is missing") }
            let figures = try SupplyTotals.preV2Figures(of: block, spent: undo, params: params)
            totals = try totals.adding(figures)
            batch[hash] = figures
            if batch.count >= supplyBackfillBatch {
                try store.recordSupply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.recordSupply(batch)
        return totals
    }

    private func connectGenesis(_ genesis: Block) throws {
        let hash = genesis.hash
        let work = try Work.cumulative(parentWork: 0, adding: genesis.header.target)
        let entry = IndexedBlock(hash: hash, header: genesis.header, cumulativeWork: work, status: .headerValid)
        try store.insertIndexEntries([entry.storeEntry])
        try store.storeBody(genesis)
        let coinbase = genesis.transactions[0]
        let txid = coinbase.txid
        var hashAfter = UTXOSetHash.empty
        let created = coinbase.outputs.enumerated().map { offset, output in
            let outpoint = OutPoint(txid: txid, index: UInt32(offset))
            hashAfter.insert(outpoint, output)
            return UTXO(outpoint: outpoint, entry: UnspentOutput(output: output, height: 0, isCoinbase: true))
        }
        guard let activity = AddressActivity.all(in: genesis, txids: [txid], spent: []) else {
            throw ChainError.inconsistentStore("the genesis outputs overflow")
        }
        // Genesis mints nothing the supply counts: its outputs are the initial allocation.
        try store.connect(BlockConnection(
            blockHash: hash, height: 0, created: created, spent: [], txids: [txid], blobs: PublishedBlob.all(in: genesis),
            addressActivity: activity, utxoSetHash: hashAfter.hash,
            supply: .zero))
        var connected = entry
        connected.status.formUnion([.bodyStored, .connected])
        index[hash] = connected
        active = [hash]
        utxoSetHash = hashAfter
    }

    // MARK: Reading

    /// The active chain's tip.
    public var tip: ChainTipSummary {
        let entry = tipEntry
        return ChainTipSummary(
            hash: entry.hash, height: entry.height, header: entry.header, cumulativeWork: entry.cumulativeWork,
            utxoSetHash: utxoSetHash.hash)
    }

    var tipEntry: IndexedBlock {
        // `active` always holds at least genesis, and every active hash is indexed.
        index[active[active.count - 1]]!
    }

    /// The hash of the active block at `height`, or nil above the tip.
    public func activeHash(atHeight height: UInt64) -> Hash32? {
        height < UInt64(active.count) ? active[Int(height)] : nil
    }

    /// The header of any indexed block.
    public func header(of hash: Hash32) -> BlockHeader? { index[hash]?.header }

    /// Whether `hash` is on the active chain.
    public func isActive(_ hash: Hash32) -> Bool {
        guard let entry = index[hash], entry.height < UInt64(active.count) else { return false }
        return active[Int(entry.height)] == hash
    }

    /// How many blocks wait for a parent.
    public var orphanCount: Int { orphans.count }

    // MARK: Following

    /// A stream of everything that happens to the active chain from now on.
    public func subscribe() -> AsyncStream<ChainEvent> {
        let (stream, continuation) = AsyncStream<ChainEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    private func unsubscribe(_ id: Int) { subscribers[id] = nil }

    func publish(_ event: ChainEvent) {
        for continuation in subscribers.values { continuation.yield(event) }
    }
}

extension Chain {
    /// The stored UTXO set as the consensus rules read it.
    public nonisolated var utxoView: StoreUTXOView { StoreUTXOView(store: store) }
}

/// The store's UTXO set as a consensus `UTXOView`; a read that fails counts as a missing output, so a
/// failing disk can reject a transaction but never make an invalid one pass.
public struct StoreUTXOView: UTXOView, Sendable {
    public let store: any ChainStore

    public func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? {
        (try? store.utxo(at: outpoint)) ?? nil
    }
}
