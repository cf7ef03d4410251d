import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import Logging

/// Follows layer 1 for a set of channels and acts for them (docs/channels.md, "Watchtower and layer-1
/// actions"): finds each transaction spending a channel's current output (the funding output, then each
/// dispute output), records what it did, answers a dispute older than the latest co-signed state with an
/// override, and settles a dispute whose deadline has come with the state it carries.
///
/// Blocks come from a `ChainWatcher` in order, from a cursor stored under `name` in the client store
/// together with each channel's state, so the guard resumes where it stopped after a crash. A block
/// disconnected in a reorganisation is undone from a per-block undo log. Actions are taken once the guard
/// has caught up with the node's tip, and sent again when a few blocks pass without their effect.
public actor ChannelGuard {
    public nonisolated let name: String
    public nonisolated let store: ChannelStore
    public nonisolated let client: NodeAPIClient
    public nonisolated let transactions: ChannelTransactions
    /// Whether each record change is also written to the channel store's records (a channel service's
    /// own channels); a watchtower keeps its channels apart.
    public nonisolated let mirrorsChannelRecords: Bool
    public nonisolated let pollInterval: Duration
    /// Blocks after which an action whose effect is not on layer 1 yet is sent again.
    public nonisolated let resubmitAfterBlocks: UInt64
    /// What happened, in order; buffered up to `eventBufferSize` events for a slow reader.
    public nonisolated let events: AsyncStream<ChannelGuardEvent>

    /// Bounds the events held for a reader that does not keep up.
    public static let eventBufferSize = 10_000

    private let eventSink: AsyncStream<ChannelGuardEvent>.Continuation
    private let startHeight: UInt64?
    private let logger: Logger
    private var channels: [Hash32: GuardedChannel]
    private var latest: [Hash32: CoSignedState] = [:]
    /// Channels given since the last round, whose funding output the node is asked about.
    private var unchecked: Set<Hash32> = []
    /// The channel whose current output is each outpoint.
    private var byOutpoint: [OutPoint: Hash32] = [:]
    /// Channels whose funding transaction is not confirmed yet, by its txid.
    private var byFundingTxid: [Hash32: Set<Hash32>] = [:]
    private var watcher: ChainWatcher?
    private var sent: [Hash32: (outpoint: OutPoint, action: ChannelGuardAction, tipHeight: UInt64)] = [:]

    /// Loads the channels guarded under `name` from `store`; `startHeight` is the first block followed
    /// when there is no stored cursor (nil: the node's tip at the first round).
    public init(
        store: ChannelStore, name: String = "channels", client: NodeAPIClient, transactions: ChannelTransactions,
        mirrorsChannelRecords: Bool = true, startHeight: UInt64? = nil, pollInterval: Duration = .seconds(2),
        resubmitAfterBlocks: UInt64 = 3, logger: Logger = Logger(label: "ember.channels.guard")
    ) throws(ClientStoreError) {
        self.name = name
        self.store = store
        self.client = client
        self.transactions = transactions
        self.mirrorsChannelRecords = mirrorsChannelRecords
        self.startHeight = startHeight
        self.pollInterval = pollInterval
        self.resubmitAfterBlocks = resubmitAfterBlocks
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(Self.eventBufferSize))
        var loaded = [Hash32: GuardedChannel]()
        for (key, bytes) in try store.store.records(namespace: "guard/\(name)") {
            do {
                let channel = try JSONDecoder().decode(GuardedChannel.self, from: Data(bytes))
                loaded[channel.record.id] = channel
            } catch {
                throw .damaged(path: store.store.path, reason: "guarded channel \(key) does not decode: \(error)")
            }
        }
        channels = loaded
        var byOutpoint = [OutPoint: Hash32]()
        var byFundingTxid = [Hash32: Set<Hash32>]()
        for (id, channel) in loaded { Self.index(id, channel, &byOutpoint, &byFundingTxid) }
        self.byOutpoint = byOutpoint
        self.byFundingTxid = byFundingTxid
    }

    private var namespace: String { "guard/\(name)" }

    // MARK: - Channels

    /// Guards `record`'s channel with `latest`, or gives a channel already guarded a newer latest state
    /// (an older one is ignored: the newest co-signed state is the only one that matters). The record's
    /// layer-1 status is the guard's once it follows the channel.
    public func guardChannel(_ record: ChannelRecord, latest coSigned: CoSignedState?) throws(ClientStoreError) {
        if let coSigned, coSigned.state.channelId == record.id, coSigned.state.version >= (latest[record.id]?.state.version ?? 0) {
            latest[record.id] = coSigned
        }
        guard channels[record.id] == nil else { return }
        let channel = GuardedChannel(record: record)
        try save([channel], cursor: nil)
        channels[record.id] = channel
        Self.index(record.id, channel, &byOutpoint, &byFundingTxid)
        unchecked.insert(record.id)
    }

    /// Stops guarding a channel and forgets what the guard stored for it.
    public func stopGuarding(_ id: Hash32) throws(ClientStoreError) {
        try store.store.delete(namespace: namespace, key: id.hex)
        channels[id] = nil
        latest[id] = nil
        rebuildIndex()
    }

    /// Each guarded channel's record as layer 1 made it, ordered by id.
    public func records() -> [ChannelRecord] {
        channels.values.map(\.record).sorted { $0.id < $1.id }
    }

    /// The state the channel's current dispute carries, when the guard saw it.
    public func disputedState(_ id: Hash32) -> ChannelState? { channels[id]?.disputedState }

    // MARK: - Loop

    /// Follows the node and acts until the task is cancelled; a node that does not answer is logged and
    /// asked again, a store failure or a too-deep reorganisation ends the loop. `prepare` runs before each
    /// round (a watchtower hands over the entries it was given since the last one).
    public nonisolated func run(prepare: (@Sendable () async throws -> Void)? = nil) async throws {
        while !Task.isCancelled {
            do {
                try await prepare?()
                try await round()
            } catch let error as ChainWatcherError {
                guard case .node = error else { throw error }
                logger.warning("guard: the node did not answer usefully; trying again", metadata: ["error": "\(error)"])
            } catch let error as NodeAPIError {
                logger.warning("guard: the node did not answer usefully; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// One round: asks the node about newly given channels, follows the chain up to
    /// `ChainWatcher.defaultMaxBlocksPerPoll` blocks, then acts if it has caught up with the tip.
    public nonisolated func round() async throws {
        try await checkNewChannels()
        let watcher = try await followingWatcher()
        try await watcher.poll { event, cursor in try await self.apply(event, cursor: cursor) }
        let tip = try await client.tip()
        guard let cursor = await watcher.cursor, cursor.height >= tip.height else { return }
        try await act(tipHeight: tip.height)
    }

    private func followingWatcher() async throws -> ChainWatcher {
        if let watcher { return watcher }
        let cursor = try store.store.cursor(named: name)
        var start = startHeight ?? 0
        if cursor == nil, startHeight == nil { start = try await client.tip().height }
        let created = ChainWatcher(client: client, network: transactions.network, cursor: cursor, startHeight: start, pollInterval: pollInterval)
        watcher = created
        return created
    }

    /// A channel given to the guard may have been funded before its cursor: the node says whether its
    /// funding output is confirmed and unspent, so an open channel is not left waiting for its funding.
    private func checkNewChannels() async throws {
        let ids = unchecked
        unchecked.subtract(ids)
        for id in ids {
            guard var channel = channels[id], channel.record.status == .opening else { continue }
            let outputs = try await client.outputs(under: channel.record.channelLock)
            guard let funding = outputs.first(where: { $0.outpoint == channel.record.funding }), channels[id] == channel else { continue }
            channel.record.status = .open
            try save([channel], cursor: nil)
            channels[id] = channel
            rebuildIndex()
            eventSink.yield(.fundingConfirmed(channel: id, height: funding.height))
        }
    }

    // MARK: - Following layer 1

    private func apply(_ event: ChainEvent, cursor: ChainCursor?) throws {
        var changed = [Hash32: GuardedChannel]()
        var news = [ChannelGuardEvent]()
        switch event {
        case .blockConnected(let block, let height):
            for transaction in block.transactions {
                let txid = transaction.txid
                for id in byFundingTxid[txid] ?? [] {
                    guard var channel = changed[id] ?? channels[id], channel.record.status == .opening else { continue }
                    channel.willChange(atHeight: height)
                    channel.record.status = .open
                    changed[id] = channel
                    news.append(.fundingConfirmed(channel: id, height: height))
                }
                for (index, input) in transaction.inputs.enumerated() {
                    guard let id = byOutpoint[input.outpoint], var channel = changed[id] ?? channels[id] else { continue }
                    let outcome = ChannelSpendOutcome.read(
                        transaction, txid: txid, input: index, channelId: id, network: transactions.network)
                    channel.apply(outcome, txid: txid, height: height)
                    changed[id] = channel
                    byOutpoint[input.outpoint] = nil
                    switch outcome {
                    case .closed(let mode): news.append(.closed(channel: id, txid: txid, by: mode, height: height))
                    case .disputed(let dispute, let mode, _):
                        byOutpoint[dispute.outpoint] = id
                        news.append(.disputed(channel: id, dispute, by: mode, height: height))
                    }
                }
            }
        case .blockDisconnected(_, let height):
            for (id, channel) in channels {
                var reverted = channel
                if reverted.revert(fromHeight: height) {
                    changed[id] = reverted
                    news.append(.reverted(channel: id, height: height))
                }
            }
        }
        try save(Array(changed.values), cursor: cursor, moveCursor: true)
        for (id, channel) in changed { channels[id] = channel }
        if !changed.isEmpty { rebuildIndex() }
        for event in news {
            logger.info("guard: \(event)")
            eventSink.yield(event)
        }
    }

    // MARK: - Acting

    private func act(tipHeight: UInt64) async throws {
        let nextHeight = tipHeight + 1
        for (id, channel) in channels {
            guard channel.record.status == .disputed, let dispute = channel.record.dispute else { continue }
            let action: ChannelGuardAction
            if nextHeight < dispute.deadline {
                guard let coSigned = latest[id], dispute.isOverridden(by: coSigned.state.version) else { continue }
                action = .override
            } else {
                guard channel.disputedState != nil else { continue }
                action = .settle
            }
            if let previous = sent[id], previous.outpoint == dispute.outpoint, previous.action == action,
               tipHeight < previous.tipHeight + resubmitAfterBlocks {
                continue
            }
            sent[id] = (dispute.outpoint, action, tipHeight)
            await perform(action, channel: channel, dispute: dispute)
        }
    }

    private func perform(_ action: ChannelGuardAction, channel: GuardedChannel, dispute: ChannelRecord.Dispute) async {
        let id = channel.record.id
        do {
            let built: SponsoredTransaction
            switch action {
            case .override:
                guard let coSigned = latest[id] else { return }
                built = try await transactions.override(channel.record, dispute: dispute, latest: coSigned)
            case .settle:
                guard let state = channel.disputedState else { return }
                built = try await transactions.settle(channel.record, dispute: dispute, state: state)
            }
            let txid = try await submit(built.transaction)
            logger.info("guard: sent \(action.rawValue)", metadata: ["channel": "\(id)", "txid": "\(txid)"])
            eventSink.yield(.published(channel: id, action, txid: txid))
        } catch {
            logger.warning("guard: \(action.rawValue) failed", metadata: ["channel": "\(id)", "error": "\(error)"])
            eventSink.yield(.actionFailed(channel: id, action, reason: "\(error)"))
        }
    }

    private func submit(_ transaction: Transaction) async throws(ChannelTransactionError) -> Hash32 {
        do {
            return try await client.submit(transaction)
        } catch {
            throw .node(error)
        }
    }

    // MARK: - Storage and index

    /// Writes `changed` channels (and their records, when mirrored) in one transaction, with the
    /// cursor when `moveCursor`.
    private func save(_ changed: [GuardedChannel], cursor: ChainCursor?, moveCursor: Bool = false) throws(ClientStoreError) {
        var values = [(key: String, bytes: [UInt8], record: [UInt8])]()
        do {
            for channel in changed {
                values.append((channel.record.id.hex, Array(try JSONEncoder().encode(channel)), Array(try JSONEncoder().encode(channel.record))))
            }
        } catch {
            throw .damaged(path: store.store.path, reason: "a guarded channel does not encode: \(error)")
        }
        let namespace = namespace
        let mirrors = mirrorsChannelRecords
        let write = { (writer: ClientStore.RecordWriter) throws in
            for value in values {
                try writer.put(value.bytes, namespace: namespace, key: value.key)
                if mirrors { try writer.put(value.record, namespace: ChannelStore.recordNamespace, key: value.key) }
            }
        }
        if moveCursor {
            try store.store.update(cursor: cursor, named: name, write)
        } else {
            try store.store.update(cursor: try store.store.cursor(named: name), named: name, write)
        }
    }

    private func rebuildIndex() {
        byOutpoint.removeAll(keepingCapacity: true)
        byFundingTxid.removeAll(keepingCapacity: true)
        for (id, channel) in channels { Self.index(id, channel, &byOutpoint, &byFundingTxid) }
    }

    private static func index(
        _ id: Hash32, _ channel: GuardedChannel, _ byOutpoint: inout [OutPoint: Hash32], _ byFundingTxid: inout [Hash32: Set<Hash32>]
    ) {
        if let outpoint = channel.currentOutpoint { byOutpoint[outpoint] = id }
        if channel.record.status == .opening { byFundingTxid[channel.record.funding.txid, default: []].insert(id) }
    }
}
