import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import Logging

/// A watchtower (DESIGN.md section 16): keeps the latest co-signed state of each channel it is given
/// and answers a stale dispute with an override before its deadline, paying the fee from its own funding
/// key; once a dispute's deadline has come it settles it. It cannot answer a force-move (that needs a
/// party's move), only a stale co-signed dispute.
///
/// One entry per channel, replaced by each newer state, in the client store's namespace `tower`; the
/// layer-1 following is a `ChannelGuard` named `tower` in the same store, whose records stay apart from
/// a channel service's own.
public actor Watchtower {
    static let namespace = "tower"

    public nonisolated let params: ConsensusParams
    public nonisolated let store: ChannelStore
    /// Follows layer 1 for the tower's channels; its `events` say what happened and what the tower did.
    public nonisolated let channelGuard: ChannelGuard
    private var held: [Hash32: TowerEntry]
    /// Channels whose entry the guard has not been given yet.
    private var pending: Set<Hash32>

    /// Opens the tower's entries in `store`; `fundingKey` pays for its overrides and settles.
    public init(
        store: ChannelStore, params: ConsensusParams, client: NodeAPIClient, fundingKey: SigningKey, startHeight: UInt64? = nil,
        pollInterval: Duration = .seconds(2), logger: Logger = Logger(label: "ember.channels.tower")
    ) throws(TowerError) {
        self.params = params
        self.store = store
        var held = [Hash32: TowerEntry]()
        do throws(ClientStoreError) {
            for (key, bytes) in try store.store.records(namespace: Self.namespace) {
                guard let entry = try? TowerEntry.decode(from: bytes, limit: TowerEntry.maxEncodedSize) else {
                    throw ClientStoreError.damaged(path: store.store.path, reason: "tower entry \(key) does not decode")
                }
                held[entry.channelId] = entry
            }
            channelGuard = try ChannelGuard(
                store: store, name: "tower", client: client,
                transactions: ChannelTransactions(params: params, fundingKey: fundingKey, client: client), mirrorsChannelRecords: false,
                startHeight: startHeight, pollInterval: pollInterval, logger: logger)
        } catch {
            throw .store(error)
        }
        self.held = held
        pending = Set(held.keys)
    }

    /// Keeps `entry` for its channel: the first entry of a channel, or a newer state than the one held.
    /// An older state, another state of the same version, a state not co-signed by the channel's keys
    /// on this network, or one of another channel is refused, and the entry held stays.
    public func watch(_ entry: TowerEntry) throws(TowerError) {
        let id = entry.channelId
        guard entry.network == params.networkID else { throw .wrongNetwork(entry: entry.network, tower: params.networkID) }
        guard entry.latest.state.channelId == id else { throw .wrongChannel(state: entry.latest.state.channelId, channel: id) }
        guard (try? params.layer2.checkWindow(UInt64(entry.params.window))) != nil else { throw .windowOutOfBounds(window: entry.params.window) }
        guard entry.latest.state.balances.map(\.amount).checkedSum() != nil else { throw .malformed("the balances overflow") }
        if let current = held[id] {
            if current == entry { return }
            guard entry.latest.state.version >= current.latest.state.version else {
                throw .olderVersion(channel: id, held: current.latest.state.version, given: entry.latest.state.version)
            }
            guard entry.latest.state.version > current.latest.state.version else {
                throw .conflictingState(channel: id, version: entry.latest.state.version)
            }
        }
        // The signatures last: the cheaper checks refuse most bad entries first.
        guard entry.latest.isValid(for: entry.params, network: entry.network) else {
            throw .badSignatures(channel: id, version: entry.latest.state.version)
        }
        do {
            try store.store.put(entry.encoded, namespace: Self.namespace, key: id.hex)
        } catch {
            throw .store(error)
        }
        held[id] = entry
        pending.insert(id)
    }

    /// Every entry held, ordered by channel id.
    public func entries() -> [TowerEntry] {
        held.values.sorted { $0.channelId < $1.channelId }
    }

    /// Follows layer 1 and answers disputes until the task is cancelled (see `ChannelGuard.run`).
    public func run() async throws {
        try await channelGuard.run(prepare: { try await self.handOver() })
    }

    /// One round: hands new entries to the guard, then follows the chain and acts once.
    public func round() async throws {
        try await handOver()
        try await channelGuard.round()
    }

    /// Gives the guard each entry it has not seen, as a channel record and its latest state.
    private func handOver() async throws {
        let ids = pending
        pending.subtract(ids)
        for id in ids.sorted() {
            guard let entry = held[id] else { continue }
            try await channelGuard.guardChannel(Self.record(of: entry), latest: entry.latest)
        }
    }

    /// The record the guard follows for an entry: the side is meaningless to a tower (it is neither party).
    static func record(of entry: TowerEntry) -> ChannelRecord {
        ChannelRecord(
            id: entry.channelId, network: entry.network, params: entry.params, funding: entry.funding,
            amount: entry.latest.state.balances.map(\.amount).checkedSum() ?? .zero, side: .a, peerURL: nil,
            app: entry.params.hasApp ? "app" : "payments", status: .opening)
    }
}
