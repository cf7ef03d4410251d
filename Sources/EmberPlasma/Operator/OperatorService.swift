import Dispatch
import EmberCore
import EmberCrypto
import Foundation
import Logging
import ServiceLifecycle

/// The Plasma operator's core (docs/plasma-operator.md): admits signed moves into the pending set,
/// seals the pending set into a child block every `blockInterval`, and serves blocks and proofs.
///
/// The store is the truth: admission checks each move against a snapshot of it and stores the accepted
/// ones in one transaction that checks the snapshot again, so several requests may be admitted at once
/// without a lock here. Seals run one at a time (this actor chains them). A restart is reopening the
/// store: pending moves are still there and block numbers go on from the last sealed block.
public actor OperatorService: Service {
    /// How the operator runs.
    public struct Configuration: Sendable {
        /// The time between two seals; a seal with nothing pending makes no block.
        public var blockInterval: Duration
        /// Bounds the work (the tree build) and the memory of one block; the rest waits for the next one.
        public var maxMovesPerBlock: Int
        /// Moves the recently built blocks may hold together in memory for serving proofs.
        public var maxCachedMoves: Int

        public init(blockInterval: Duration = .seconds(5), maxMovesPerBlock: Int = 250_000, maxCachedMoves: Int = 500_000) {
            self.blockInterval = blockInterval
            self.maxMovesPerBlock = max(1, maxMovesPerBlock)
            self.maxCachedMoves = maxCachedMoves
        }
    }

    public nonisolated let store: OperatorStore
    public nonisolated let configuration: Configuration
    nonisolated let logger: Logger
    nonisolated let onSealed: @Sendable (SealedBlock) async -> Void
    nonisolated let cache: BlockCache
    /// The last seal started; the next one waits for it.
    private var lastSeal: Task<SealedBlock?, any Error>?

    /// An operator over `store`. `onSealed` is called with each block once it is stored, in block order
    /// and before the next seal starts: a layer-1 committer that has to wait for a layer-1 block should
    /// queue the block and return.
    public init(
        store: OperatorStore, configuration: Configuration = Configuration(), logger: Logger,
        onSealed: @escaping @Sendable (SealedBlock) async -> Void = { _ in }
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.onSealed = onSealed
        cache = BlockCache(maxMoves: configuration.maxCachedMoves)
    }

    public nonisolated var chainId: Hash32 { store.chainId }
    public nonisolated var network: NetworkID { store.network }

    // MARK: - Deposits and admission

    /// Registers deposits final on layer 1 (see `OperatorStore.registerDeposits`), all or none.
    public nonisolated func registerDeposits(_ deposits: [OperatorStore.Deposit]) async throws {
        try await Self.offCooperativePool { [store] in try store.registerDeposits(deposits) }
    }

    /// Marks the chain frozen (a fraud proof spent its bond): no move is admitted and no block sealed.
    public nonisolated func freeze() async throws {
        try await Self.offCooperativePool { [store] in try store.freeze() }
    }

    /// Judges `moves` and stores the accepted ones; returns once they are durably stored, a verdict per
    /// move in order. Runs to its end even if the caller is cancelled, so an answer never lies about
    /// what was stored.
    public nonisolated func submit(_ moves: [ChildTransaction]) async throws -> [AdmissionVerdict] {
        try await Self.offCooperativePool { [self] in try admit(moves) }
    }

    /// Admission on the calling thread: snapshot, judge (signatures on every core), store, and re-judge
    /// the few moves that the chain overtook between the snapshot and the store.
    nonisolated func admit(_ moves: [ChildTransaction]) throws -> [AdmissionVerdict] {
        guard !moves.isEmpty else { return [] }
        let view = try store.chainView(for: moves.lazy.map(\.coinId))
        var verdicts = OperatorAdmission.judge(moves, view: view, network: network)
        let toStore = verdicts.indices.filter { verdicts[$0] == .accepted }
        let overtaken = try store.addPending(toStore.map { moves[$0] }).map { toStore[$0] }
        guard !overtaken.isEmpty else { return verdicts }
        let fresh = try store.chainView(for: overtaken.map { moves[$0].coinId })
        for index in overtaken {
            let (move, coin) = (moves[index], fresh.coins[moves[index].coinId])
            if !fresh.isFrozen, OperatorAdmission.isResend(move, coin: coin) {
                // The same bytes, sent in another request at the same time, were stored first.
                verdicts[index] = .alreadyAccepted
                continue
            }
            let rejection = OperatorAdmission.checkState(move, coin: coin, nextBlock: fresh.nextBlock, isFrozen: fresh.isFrozen)
            // Nothing else stops an insert that passed the first snapshot: a move of the coin came first.
            verdicts[index] = .refused(rejection ?? .alreadyMovedThisBlock(move.coinId))
        }
        return verdicts
    }

    // MARK: - Sealing

    /// Seals the pending moves (oldest first, up to `maxMovesPerBlock`) into the next block and stores it;
    /// nil when nothing is pending or the chain is frozen. Then calls `onSealed`.
    @discardableResult
    public func sealBlock() async throws -> SealedBlock? {
        let previous = lastSeal
        let seal = Task { [self] () async throws -> SealedBlock? in
            _ = await previous?.result
            let sealed = try await Self.offCooperativePool { [self] in try sealNow() }
            if let sealed { await onSealed(sealed) }
            return sealed
        }
        lastSeal = seal
        return try await seal.value
    }

    /// One seal on the calling thread; the caller makes sure no other runs meanwhile.
    nonisolated func sealNow() throws -> SealedBlock? {
        if try store.isFrozen() { return nil }
        let moves = try store.pendingMoves(limit: configuration.maxMovesPerBlock)
        guard !moves.isEmpty else { return nil }
        let last = try store.lastBlockNumber()
        guard last < UInt64(Int64.max) else { throw OperatorStoreError.sealConflict(reason: "the chain has reached block 2^63 − 1") }
        // The pending table holds one move per coin, so the block cannot refuse them.
        let block = try ChildBlock(number: last + 1, transactions: moves)
        let sealed = try store.storeSealed(block, sealedAt: Date())
        cache.insert(block)
        logger.info("sealed a child block", metadata: [
            "number": "\(sealed.number)", "root": "\(sealed.root)", "moves": "\(sealed.transactionCount)",
        ])
        return sealed
    }

    /// Seals every `blockInterval` until cancelled or asked to shut down (the `Service` a ServiceGroup
    /// runs). A seal that fails (a full disk) is logged and tried again at the next interval: the moves
    /// stay pending.
    public func run() async throws {
        let interval = configuration.blockInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    try await self.sealBlock()
                } catch {
                    self.logger.error("sealing a child block failed; the moves stay pending", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    // MARK: - Reading

    /// Where the chain stands.
    public nonisolated func status() async throws -> OperatorStatus {
        try await Self.offCooperativePool { [store] in
            OperatorStatus(
                chainId: store.chainId, network: store.network, latestBlock: try store.latestBlock(), pendingCount: try store.pendingCount(),
                isFrozen: try store.isFrozen())
        }
    }

    /// Sealed block `number` as stored; nil when there is none.
    public nonisolated func sealedBlock(_ number: UInt64) async throws -> SealedBlock? {
        try await Self.offCooperativePool { [store] in try store.block(number) }
    }

    /// A page of block `number`'s moves in coin-id order (see `OperatorStore.moves(inBlock:after:limit:)`).
    public nonisolated func moves(inBlock number: UInt64, after: Hash32?, limit: Int) async throws -> [ChildTransaction] {
        try await Self.offCooperativePool { [store] in try store.moves(inBlock: number, after: after, limit: limit) }
    }

    /// The coin with this id; nil when no deposit of it is registered.
    public nonisolated func coin(_ coinId: Hash32) async throws -> KnownCoin? {
        try await Self.offCooperativePool { [store] in try store.coin(coinId) }
    }

    /// Sealed block `number` with its built tree; nil when there is none. Built from the store when it
    /// is not among the recent blocks kept in memory, and checked against the stored root.
    public nonisolated func childBlock(_ number: UInt64) async throws -> (SealedBlock, ChildBlock)? {
        try await Self.offCooperativePool { [self] in try loadChildBlock(number) }
    }

    nonisolated func loadChildBlock(_ number: UInt64) throws -> (SealedBlock, ChildBlock)? {
        guard let sealed = try store.block(number) else { return nil }
        if let cached = cache.block(number) { return (sealed, cached) }
        let block = try ChildBlock(number: number, transactions: try store.moves(inBlock: number))
        guard block.root == sealed.root else {
            throw OperatorStoreError.damaged(path: store.path, reason: "block \(number)'s moves make root \(block.root), not the stored \(sealed.root)")
        }
        cache.insert(block)
        return (sealed, block)
    }

    /// The evidence for `coin` in block `number`: its move with the proof of inclusion, or the proof of
    /// non-inclusion; nil when there is no such block.
    public nonisolated func proof(of coin: Hash32, inBlock number: UInt64) async throws -> (SealedBlock, CoinProof)? {
        try await Self.offCooperativePool { [self] in
            try loadChildBlock(number).map { sealed, block in (sealed, block.proof(for: coin)) }
        }
    }

    /// The evidence for `coin` in each block from `from` (at least 1) on, at most `maxBlocks` blocks.
    public nonisolated func history(of coin: Hash32, from: UInt64, maxBlocks: Int) async throws -> CoinHistoryPage {
        try await Self.offCooperativePool { [self] in
            let latest = try store.lastBlockNumber()
            let first = max(from, 1)
            var entries = [CoinHistoryPage.Entry]()
            var number = first
            while number <= latest, entries.count < maxBlocks {
                guard let (sealed, block) = try loadChildBlock(number) else { break }
                entries.append(CoinHistoryPage.Entry(block: sealed, proof: block.proof(for: coin)))
                number += 1
            }
            return CoinHistoryPage(from: first, entries: entries, latestBlock: latest)
        }
    }

    // MARK: - Threads

    /// Runs blocking work (SQLite with its fsync, signature checks across cores, tree builds) on a
    /// Dispatch thread, so Swift's cooperative threads, one per core, stay free for the HTTP server.
    /// The work is not cancelled with the caller: a batch is stored entirely or not at all.
    static func offCooperativePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
