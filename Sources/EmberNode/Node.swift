import EmberAPI
import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberP2P
import EmberStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A running node: the chain, the mempool, the miner and the API, wired together.
///
/// The chain's events drive everything else: a connected block updates the mempool and refreshes the
/// miner's template; a block the miner solves goes to the chain like any other block.
public actor Node {
    public nonisolated let configuration: NodeConfiguration
    public nonisolated let folder: DataFolder
    public nonisolated let chain: Chain
    /// The store the chain, the API and the miner read and write: the data folder's SQLite store
    /// behind a write-back layer that batches blocks while the node is far behind its peers.
    public nonisolated let chainStore: WriteBackChainStore
    /// The store as the chain, the miner and the network use it: `chainStore` watched for failures
    /// that are ours, each of which stops the node (DESIGN.md section 1).
    nonisolated let store: FaultWatchingChainStore
    /// The first store failure met; the node's loops stop on it.
    nonisolated let faults: StoreFaults
    public nonisolated let mempool: Mempool
    let miner: Miner?
    /// The peer-to-peer network; nil when the node runs alone.
    public nonisolated let network: PeerNetwork?
    let logger: Logger
    /// Called with one line per block connected, for the person watching a devnet.
    let report: @Sendable (String) -> Void
    var blocksMined = 0
    var lastTemplateProblem: String?
    /// The tip the miner's template builds on; a second template on the same tip is made only when
    /// better transactions arrive or time moves on, since a solved one would become a sibling block.
    var templateParent: Hash32?
    var transactionsChanged = false
    /// Transactions accepted since the mempool was last saved, and when that was.
    var acceptedSinceMempoolSave = 0
    var lastMempoolSave = ContinuousClock.now

    /// Opens the data folder and the chain; nothing runs until `run()`.
    public init(configuration: NodeConfiguration, logger: Logger, report: @escaping @Sendable (String) -> Void) async throws {
        try await self.init(configuration: configuration, logger: logger, report: report, wrapStore: { $0 })
    }

    /// Opens the data folder and the chain over `wrapStore(chainStore)`: tests put a failing store there.
    init(
        configuration: NodeConfiguration, logger: Logger, report: @escaping @Sendable (String) -> Void,
        wrapStore: (WriteBackChainStore) -> any ChainStore
    ) async throws {
        self.configuration = configuration
        self.logger = logger
        self.report = report
        folder = try DataFolder.open(path: configuration.dataDir, requested: configuration.network)
        chainStore = WriteBackChainStore(base: folder.store, maxPendingBlocks: 1)
        faults = StoreFaults()
        store = FaultWatchingChainStore(base: wrapStore(chainStore), faults: faults)
        chain = try await Chain(params: folder.params, store: store, maxForkDepth: configuration.maxForkDepth)
        mempool = Mempool(params: folder.params, tipHeight: await chain.tip.header.height)
        miner = configuration.mine ? Miner(threadCount: max(1, configuration.threads)) : nil
        let (openedFolder, openedChain, openedMempool, openedStore, openedFaults) = (folder, chain, mempool, chainStore, faults)
        network = try configuration.p2p.map { settings in
            try Self.makeNetwork(
                settings, folder: openedFolder, chain: openedChain, mempool: openedMempool, store: openedStore,
                faults: openedFaults, logger: logger, report: report)
        }
        if configuration.mine && configuration.minerKey == nil {
            throw DataFolder.OpenError(description: "mining needs a miner key (--miner-key KEYSTORE); on a devnet seed key 0 is the default")
        }
    }

    public var params: ConsensusParams { folder.params }

    /// The API's router over this node.
    public nonisolated func apiRouter() -> Router<BasicRequestContext> {
        APIRouter.make(backend: NodeAPIBackend(node: self), apiKey: configuration.apiKey)
    }

    /// Runs the node until SIGINT or SIGTERM (or the task is cancelled), then stops cleanly; throws
    /// `NodeFailure` when it stopped on an error of its own, such as a failed database write.
    public func run() async throws {
        let router = apiRouter()
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.apiHost, port: configuration.apiPort), serverName: "ember"),
            logger: logger)
        let services = NodeService(node: self)
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application), .init(service: services)]
        if let network { members.append(.init(service: PeerNetworkService(network: network))) }
        let group = ServiceGroup(
            configuration: .init(
                services: members,
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            // The store refuses anything that does not extend what it holds, so flushing what is
            // pending after a failure writes only blocks that follow the last durable one.
            try? chainStore.flush()
            await saveMempool()
            throw faults.failure ?? error
        }
        await saveMempool()
        // Blocks batched while catching up are written before the node says it stopped.
        do throws(StoreError) {
            try chainStore.flush()
        } catch {
            faults.record(.store(error, operation: "writing the last batch of blocks"))
        }
        if let failure = faults.failure { throw failure }
    }

    /// The event loops: chain events into the mempool and miner, solved blocks into the chain. They end
    /// with the first store failure, which they throw.
    func runLoops() async throws(NodeFailure) {
        await network?.onTransactionAccepted { [weak self] in await self?.transactionsArrived() }
        let events = await chain.subscribe()
        await restoreMempool()
        await refreshTemplate()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.follow(events) }
            if let miner = self.miner {
                group.addTask { await self.submitSolved(miner.blocks) }
            }
            group.addTask { await self.housekeeping() }
            group.addTask { await self.stopOnFirstFailure() }
            await group.next()
            group.cancelAll()
        }
        if let failure = faults.failure { throw failure }
    }

    /// Returns when the store first fails, after saying so, so that `runLoops` ends with it.
    private func stopOnFirstFailure() async {
        guard let failure = await faults.firstFailure() else { return }
        logger.critical("stopping on a store failure", metadata: ["error": "\(failure)"])
        report("stopping: \(failure)")
        stopMining()
    }

    func stopMining() { miner?.stop() }

    private func follow(_ events: AsyncStream<ChainEvent>) async {
        var disconnected = [Block]()
        var connected = [Block]()
        for await event in events {
            switch event {
            case .blockDisconnected(let block):
                disconnected.append(block)
            case .blockConnected(let block, let effects):
                connected.append(block)
                reportConnected(block, effects: effects)
            case .tipChanged:
                let now = Self.nowMs
                if disconnected.isEmpty {
                    for block in connected { await mempool.blockConnected(block, view: chain.utxoView, nowMs: now) }
                } else {
                    await mempool.reorganised(disconnected: disconnected, connected: connected, view: chain.utxoView, nowMs: now)
                    await announceReturned(from: disconnected)
                }
                disconnected = []
                connected = []
                await refreshTemplate()
            }
        }
    }

    /// Transactions of blocks a reorganisation took away are back in the mempool: peers that only saw
    /// them in those blocks must hear of them again, or nobody would mine them.
    private func announceReturned(from disconnected: [Block]) async {
        guard let network else { return }
        for transaction in disconnected.flatMap({ $0.transactions.dropFirst() }) {
            let txid = transaction.txid
            if await mempool.entry(txid) != nil { await network.announceTransaction(txid) }
        }
    }

    private func reportConnected(_ block: Block, effects: BlockEffects) {
        var line = "height \(block.header.height)  \(block.hash.hex.prefix(16))…  txs \(block.transactions.count)  "
            + "reward \(CoinAmount.format(effects.reward.reward)) EMB"
        if case .polw(_, let burnt, _) = effects.reward { line += "  burnt \(CoinAmount.format(burnt)) EMB (PoLW)" }
        if let miner { line += String(format: "  hashrate %.0f H/s", miner.hashRate) }
        report(line)
    }

    private func submitSolved(_ blocks: AsyncStream<Block>) async {
        var lastMinedParent: Hash32?
        for await block in blocks {
            // One block per parent: a second solution on the same tip (a refreshed template solved in
            // the same instant) would only be a sibling that splits our own chain.
            guard block.header.parent != lastMinedParent, block.header.parent == (await chain.tip).hash else { continue }
            lastMinedParent = block.header.parent
            do {
                let outcome = try await chain.submit(block, nowMs: Self.nowMs)
                if case .connected = outcome { blocksMined += 1 } else { logger.debug("mined block was not connected", metadata: ["outcome": "\(outcome)"]) }
            } catch {
                // A store failure stops the node through `faults`; nothing more is mined meanwhile.
                logger.error("storing a mined block failed", metadata: ["error": "\(error)"])
                if faults.failure != nil { return }
            }
            // The miner idles after a solution until it is given the next template.
            await refreshTemplate()
        }
    }

    /// Expires old mempool entries, connects blocks whose time has come (received from the future),
    /// and refreshes the template's timestamp now and then.
    private func housekeeping() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            // A store failure here surfaces through the fault-watching store and stops the node.
            _ = try? await chain.retryFutureBlocks(nowMs: Self.nowMs)
            _ = await mempool.expire(nowMs: Self.nowMs)
            await saveMempoolIfDue()
            await refreshTemplate(force: true)
        }
    }

    /// A transaction from the API, through the same path as one from a peer (`PeerNetwork.accept`):
    /// announced with the orphans it adopts and the template refreshed only when it enters the pool;
    /// a store error is thrown as one, never taken for a missing input.
    func accept(_ transaction: Transaction) async throws(TransactionAcceptanceError) -> MempoolAcceptance {
        if let network { return try await network.accept(transaction) }
        let acceptance = try await mempool.accept(transaction, chain: chain, nowMs: Self.nowMs)
        if case .accepted = acceptance { await transactionsArrived() }
        return acceptance
    }

    /// Notes that the mempool gained transactions worth mining, and refreshes the template.
    func transactionsArrived() async {
        transactionsChanged = true
        await noteAcceptedForSaving()
        await refreshTemplate()
    }

    /// Builds a template on the current tip from the mempool and hands it to the miner, unless the
    /// miner already works on this tip with these transactions (`force` refreshes the timestamp too).
    func refreshTemplate(force: Bool = false) async {
        guard let miner else { return }
        let tip = await chain.tip
        guard force || tip.hash != templateParent || transactionsChanged || lastTemplateProblem != nil else { return }
        do {
            let template = try await makeTemplate()
            templateParent = template.header.parent
            transactionsChanged = false
            lastTemplateProblem = nil
            if miner.isRunning { miner.replaceTemplate(template) } else { miner.start(template: template) }
        } catch {
            let problem = "\(error)"
            if problem != lastTemplateProblem {
                report("cannot mine yet: \(problem); retrying")
                lastTemplateProblem = problem
            }
        }
    }

    /// A template paying the miner key, with the mempool's best transactions.
    func makeTemplate() async throws -> BlockTemplate {
        guard let key = configuration.minerKey else { throw ServiceUnavailable(reason: "this node has no miner key") }
        let parent = try await chain.templateParent
        let (tip, context) = (parent.tip, parent.context)
        let now = Self.nowMs
        let timestamp = TemplateBuilder.timestamp(nowMs: now, parentTimestampMs: tip.header.timestamp)
        // Room for the coinbase: a PoLW coinbase may hold many inputs.
        let selection = await mempool.selectTransactions(
            maxWeight: params.maxBlockWeight - 200_000, maxCount: params.maxTransactionsPerBlock - 1, blockTimestamp: timestamp)
        let lock = Lock.pubKeyHash(key.publicKey.publicKeyHash)
        // All of them: the coinbase builder takes the largest, wherever they sit in outpoint order.
        let spendable = try store.allUTXOs(lockedBy: lock).map { ($0.outpoint, $0.entry) }
        return try TemplateBuilder(params: params).makeTemplate(
            parent: context, parentHash: tip.hash, nowMs: now, transactions: selection.transactions, fees: selection.fees,
            payTo: lock, minerKey: key, spendable: spendable)
    }

    var minerHashRate: Double { miner?.hashRate ?? 0 }
    var isMining: Bool { miner != nil }

    static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000) }
}

/// The peer-to-peer network as a service of the node's group.
struct PeerNetworkService: Service {
    let network: PeerNetwork

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await network.run() }
    }
}

/// The node's loops as a service, so they start and stop with the API under one service group.
struct NodeService: Service {
    let node: Node

    func run() async throws {
        do {
            try await withGracefulShutdownHandler {
                try await cancelWhenGracefulShutdown { try await node.runLoops() }
            } onGracefulShutdown: {
                Task { await node.stopMining() }
            }
        } catch {
            await node.stopMining()
            throw error
        }
        await node.stopMining()
    }
}
