import BigInt
import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberWire
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The node's peer-to-peer network: it listens, dials, shakes hands, syncs headers first and then
/// blocks from several peers, relays what the chain and mempool accepted, and scores and bans peers
/// that break the protocol. One actor owns every peer's state; each connection runs in its own task,
/// reading frames in order and writing under the channel's back-pressure.
public actor PeerNetwork {
    public nonisolated let configuration: PeerNetworkConfiguration
    nonisolated let chain: Chain
    let mempool: Mempool
    nonisolated let params: ConsensusParams
    /// Computed once: every handshake compares it.
    nonisolated let genesisHash: Hash32
    nonisolated let logger: Logger
    /// One line for the person running the node (sync progress, bans).
    let report: @Sendable (String) -> Void
    /// Called when a transaction from a peer entered the mempool, so the miner can include it.
    var transactionAccepted: @Sendable () async -> Void = {}

    var peers: [PeerID: Peer] = [:]
    private var nextPeerID: PeerID = 1
    var banList: BanList
    var addressBook = AddressBook()
    var download = BlockDownload()
    /// Received blocks on their way to the chain, and those waiting for their parent's body.
    var intake = BlockIntake()
    /// The peer we are fetching headers from, if any.
    var headerSyncPeer: PeerID?
    var dialing: Set<PeerEndpoint> = []
    /// When each dial of a learnt address in the last minute started, oldest first.
    var recentDialsMs: [UInt64] = []
    /// Partial frames of every connection count against it.
    public nonisolated let frameBudget: FrameBudget
    var recentlyRejected = BoundedRecentSet<Hash32>(capacity: 10_000)
    var progress = SyncProgress()
    /// Blocks connected since the last announcement.
    var connectedSinceAnnouncement: [Hash32] = []
    private var jobs: AsyncStream<ConnectionJob>.Continuation?
    /// Checked blocks queued for the chain, in arrival order: readers hand them over and go on reading
    /// while the chain connects the ones before.
    var submissions: AsyncStream<(block: CheckedBlock, peer: PeerID)>.Continuation?
    private var serverChannel: (any Channel)?
    private var isShuttingDown = false
    /// The port the listener is bound to, once it is.
    public private(set) var boundPort: Int?

    enum ConnectionJob: Sendable {
        case dial(PeerEndpoint)
    }

    /// Queued sends per peer beyond which the peer counts as not reading and is dropped.
    static let maxQueuedPerPeer = 4_096
    /// Transactions asked of one peer and not yet delivered, beyond which its announcements wait.
    static let maxRequestedTransactionsPerPeer = 5_000

    public init(
        configuration: PeerNetworkConfiguration, chain: Chain, mempool: Mempool, logger: Logger,
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(BanList.FileError) {
        self.configuration = configuration
        self.chain = chain
        self.mempool = mempool
        self.params = chain.params
        genesisHash = chain.params.genesisBlock.hash
        self.logger = logger
        self.report = report
        frameBudget = FrameBudget(limit: configuration.maxBufferedFrameBytes)
        banList = try configuration.banListPath.map { path throws(BanList.FileError) in try BanList(path: path) } ?? BanList()
        for endpoint in configuration.peers { addressBook.addConfigured(endpoint) }
    }

    /// Sets what to call when a peer's transaction enters the mempool.
    public func onTransactionAccepted(_ handler: @escaping @Sendable () async -> Void) {
        transactionAccepted = handler
    }

    static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000) }

    // MARK: Running

    /// Listens and dials until the task is cancelled, then closes every connection.
    public func run() async throws {
        // Our version message tells peers our height and work: both must be known before anyone connects.
        let tip = await chain.tip
        tipHeight = tip.height
        tipWork = [UInt8](tip.cumulativeWork.serialize())
        let server = try await bind()
        let (jobStream, jobContinuation) = AsyncStream<ConnectionJob>.makeStream()
        jobs = jobContinuation
        let events = await chain.subscribe()
        let (submissionStream, submissionContinuation) = AsyncStream<(block: CheckedBlock, peer: PeerID)>.makeStream()
        submissions = submissionContinuation
        // The listener runs outside this task's cancellation: it ends when `shutDown` closes it, after
        // every connection already accepted has been served (and refused), as NIO requires.
        let listener = Task { await self.accept(on: server) }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.maintain() }
                group.addTask { await self.follow(events) }
                group.addTask { await self.submitReceived(submissionStream) }
                for await job in jobStream {
                    switch job {
                    case .dial(let endpoint): group.addTask { await self.dialAndServe(endpoint) }
                    }
                }
                group.cancelAll()
            }
        } onCancel: {
            Task { await self.shutDown() }
        }
        await listener.value
    }

    private nonisolated func accept(on server: NIOAsyncChannel<NIOAsyncChannel<WireMessage, WireMessage>, Never>) async {
        try? await server.executeThenClose { inbound in
            await withDiscardingTaskGroup { connections in
                do {
                    for try await connection in inbound {
                        connections.addTask { await self.serve(connection, direction: .inbound, endpoint: nil) }
                    }
                } catch {
                    self.logger.debug("the listener stopped", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<WireMessage, WireMessage>, Never> {
        let network = params.networkID
        let budget = frameBudget
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.bindHost, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture { try Self.wrap(channel, network: network, budget: budget) }
            }
        serverChannel = server.channel
        boundPort = server.channel.localAddress?.port
        return server
    }

    static func wrap(_ channel: any Channel, network: NetworkID, budget: FrameBudget) throws -> NIOAsyncChannel<WireMessage, WireMessage> {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(network: network, budget: budget)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MessageEncoder(network: network)))
        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
    }

    private func shutDown() {
        isShuttingDown = true
        jobs?.finish()
        submissions?.finish()
        serverChannel?.close(promise: nil)
        for peer in peers.values {
            peer.outbox.finish()
            peer.channel.close(promise: nil)
        }
    }

    // MARK: Connections

    private nonisolated func dialAndServe(_ endpoint: PeerEndpoint) async {
        let network = params.networkID
        let budget = frameBudget
        if let observer = configuration.dialObserver, !observer(endpoint) {
            await dialFinished(endpoint, connected: false)
            return
        }
        do {
            let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try Self.wrap(channel, network: network, budget: budget) }
                }
            await dialFinished(endpoint, connected: true)
            await serve(connection, direction: .outbound, endpoint: endpoint)
        } catch {
            await dialFinished(endpoint, connected: false)
            logger.debug("dial failed", metadata: ["peer": "\(endpoint)", "error": "\(error)"])
        }
    }

    private func dialFinished(_ endpoint: PeerEndpoint, connected: Bool) {
        dialing.remove(endpoint)
        if !connected { addressBook.failed(endpoint, nowMs: Self.nowMs) }
    }

    /// Runs one connection to its end: registers the peer, sends our version, then reads frames in
    /// order while a second task drains the peer's send queue.
    nonisolated func serve(_ connection: NIOAsyncChannel<WireMessage, WireMessage>, direction: PeerDirection, endpoint: PeerEndpoint?) async {
        let remote = connection.channel.remoteAddress
        let (outbox, continuation) = AsyncStream<PeerOutgoing>.makeStream(bufferingPolicy: .bufferingOldest(Self.maxQueuedPerPeer))
        guard let id = await admit(
            channel: connection.channel, host: remote?.ipAddress ?? "unknown", port: remote?.port ?? 0, direction: direction, endpoint: endpoint,
            outbox: continuation)
        else {
            try? await connection.executeThenClose { _, _ in }
            return
        }
        var violation: WireError?
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await item in outbox {
                            switch item {
                            case .message(let message):
                                try await outbound.write(message)
                            case .storedBlock(let hash):
                                if let block = self.chain.storedBlock(hash) {
                                    try await outbound.write(.block(BlockMessage(block: block)))
                                } else {
                                    try await outbound.write(.notFound(NotFoundMessage(items: [InventoryItem(kind: .block, hash: hash)])))
                                }
                            }
                        }
                    }
                    group.addTask {
                        for try await message in inbound {
                            if case .block(let delivery) = message {
                                // Tier 3 (structure, Merkle root, signatures) runs here, in this
                                // connection's task, while the chain connects the blocks before it;
                                // only once the block is known to be wanted and its header has passed
                                // tiers 1 and 2.
                                guard let admitted = await self.admitBlock(delivery.block, from: id),
                                      let checked = await self.check(delivery.block, admitted, from: id)
                                else { continue }
                                await self.enqueue(checked, from: id)
                            } else {
                                await self.received(message, from: id)
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch let error as WireError {
            violation = error
        } catch {
            logger.debug("connection ended", metadata: ["peer": "\(id)", "error": "\(error)"])
        }
        await disconnected(id, violation: violation)
    }

    /// Registers a new connection, or refuses it (banned host, limits) by returning nil.
    private func admit(
        channel: any Channel, host: String, port: Int, direction: PeerDirection, endpoint: PeerEndpoint?,
        outbox: AsyncStream<PeerOutgoing>.Continuation
    ) -> PeerID? {
        let now = Self.nowMs
        guard !isShuttingDown else { return nil }
        if banList.isBanned(host, nowMs: now) {
            logger.info("refused a banned host", metadata: ["host": "\(host)"])
            return nil
        }
        if direction == .inbound, !admitInbound(from: host) { return nil }
        let id = nextPeerID
        nextPeerID += 1
        let peer = Peer(
            id: id, direction: direction, host: host, port: port, endpoint: endpoint, channel: channel, outbox: outbox, nowMs: now,
            ourNonce: UInt64.random(in: 1...UInt64.max))
        peers[id] = peer
        send(.version(ourVersion(nonce: peer.ourNonce)), to: id)
        return id
    }

    /// The connection ended: its requests go to others, and a frame-level violation bans its host.
    func disconnected(_ id: PeerID, violation: WireError?) {
        guard let peer = peers.removeValue(forKey: id) else { return }
        peer.outbox.finish()
        download.peerGone(id)
        if headerSyncPeer == id { headerSyncPeer = nil }
        if let violation { ban(host: peer.host, reason: Misbehaviour.malformedFrame(violation.description).description) }
        if let endpoint = peer.endpoint { addressBook.failed(endpoint, nowMs: Self.nowMs) }
        logger.info("peer disconnected", metadata: ["peer": "\(peer.address)"])
        requestBlocks()
    }

    /// Queues `message` for `id`; a peer whose queue is full is not reading and is dropped.
    func send(_ message: WireMessage, to id: PeerID) {
        enqueue(.message(message), to: id)
    }

    func enqueue(_ item: PeerOutgoing, to id: PeerID) {
        guard let peer = peers[id] else { return }
        if case .dropped = peer.outbox.yield(item) {
            misbehaved(id, .slow)
            close(id)
        }
    }

    func close(_ id: PeerID) {
        peers[id]?.channel.close(promise: nil)
    }

    func ourVersion(nonce: UInt64) -> VersionMessage {
        VersionMessage(
            network: params.networkID, genesisHash: genesisHash, bestHeight: tipHeight, cumulativeWork: tipWork, nonce: nonce,
            userAgent: Array(configuration.userAgent.utf8.prefix(VersionMessage.maxUserAgentSize)))
    }

    // MARK: Scores and bans

    /// Adds `misbehaviour`'s points to the peer; at 100 its host is banned and every connection from it
    /// closed.
    func misbehaved(_ id: PeerID, _ misbehaviour: Misbehaviour) {
        guard var peer = peers[id] else { return }
        peer.score += misbehaviour.points
        peers[id] = peer
        logger.info("peer misbehaved", metadata: ["peer": "\(peer.address)", "what": "\(misbehaviour)", "score": "\(peer.score)"])
        if peer.score >= MisbehaviourScore.ban { ban(host: peer.host, reason: misbehaviour.description) }
    }

    /// Bans `host` for `durationMs` (the configured duration when nil) and closes its connections.
    func ban(host: String, durationMs: UInt64? = nil, reason: String) {
        let until = Self.nowMs + (durationMs ?? configuration.banDurationMs)
        do {
            try banList.ban(host, untilMs: until, reason: reason)
        } catch {
            logger.error("\(error)")
        }
        report("banned \(host): \(reason)")
        for peer in peers.values where peer.host == host { close(peer.id) }
    }

    // MARK: Administration

    /// The connected peers.
    public func snapshot() -> [PeerSnapshot] {
        peers.values.sorted { $0.id < $1.id }.map { peer in
            PeerSnapshot(
                id: peer.id, address: peer.address, direction: peer.direction, handshakeComplete: peer.handshakeComplete,
                userAgent: peer.version?.userAgentText ?? "", bestHeight: peer.bestHeight, score: peer.score,
                blocksInFlight: download.inFlightCount(of: peer.id), pingMs: peer.pingRoundTripMs, connectedAtMs: peer.connectedAtMs)
        }
    }

    /// Addresses found to be this node itself (it dialed one and met its own version nonce).
    public func ownEndpoints() -> Set<PeerEndpoint> { addressBook.ourselves }

    /// How many addresses learnt from peers the node may dial.
    public func learntAddressCount() -> Int { addressBook.learntCount }

    /// The bans in force.
    public func bans() -> [BanList.Ban] { banList.active(nowMs: Self.nowMs) }

    /// Dials `endpoint` now and keeps it among the peers to reconnect to.
    public func connect(to endpoint: PeerEndpoint) {
        addressBook.addConfigured(endpoint)
        startDial(endpoint)
    }

    /// Closes the connection `id`; false when there is none.
    public func disconnect(_ id: PeerID) -> Bool {
        guard let peer = peers[id] else { return false }
        // A peer the operator sent away is not redialed at once.
        if let endpoint = peer.endpoint { addressBook.failed(endpoint, nowMs: Self.nowMs) }
        close(id)
        return true
    }

    /// Bans `host` for `seconds` (the configured duration when nil).
    public func ban(host: String, seconds: UInt64?, reason: String) {
        ban(host: host, durationMs: seconds.map { $0 * 1_000 }, reason: reason)
    }

    /// Lifts a ban; false when `host` was not banned.
    public func unban(host: String) throws(BanList.FileError) -> Bool {
        try banList.unban(host)
    }

    func startDial(_ endpoint: PeerEndpoint) {
        guard !dialing.contains(endpoint), let jobs else { return }
        dialing.insert(endpoint)
        jobs.yield(.dial(endpoint))
    }

    // MARK: Our chain

    var tipHeight: UInt64 = 0
    var tipWork: [UInt8] = [0]
}
