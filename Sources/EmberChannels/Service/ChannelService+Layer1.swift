import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

extension ChannelService {
    /// Publishes a dispute with the latest co-signed state (or `state`, when given: a stale one, for
    /// testing a watchtower): the peer or its tower has the window to answer with a newer state.
    public func dispute(_ id: Hash32, with state: CoSignedState? = nil) async throws -> Hash32 {
        let record = try record(id)
        guard let chosen = state ?? latest[id] else { throw ChannelServiceError.unknownChannel(id.hex) }
        guard chosen.state.channelId == id, chosen.isValid(for: record.params, network: params.networkID) else {
            throw ChannelServiceError.protocolViolation("the state is not a co-signed state of channel \(id)")
        }
        return try await publish(try await transactions.dispute(record, latest: chosen))
    }

    /// Submits a sponsored transaction to the node.
    func publish(_ sponsored: SponsoredTransaction) async throws -> Hash32 {
        do {
            return try await node.submit(sponsored.transaction)
        } catch {
            throw ChannelServiceError.node(error.description)
        }
    }

    /// Waits (up to two minutes) until the guard has seen a dispute of `id` on layer 1.
    func waitForDispute(_ id: Hash32) async throws -> ChannelRecord {
        for _ in 0..<600 {
            if let record = records[id], record.dispute != nil { return record }
            try? await Task.sleep(for: .milliseconds(200))
        }
        throw ChannelServiceError.timedOut("the dispute of \(id) to confirm")
    }

    /// Applies what the guard saw on layer 1 to this side's view of its channels.
    func apply(_ event: ChannelGuardEvent) async {
        switch event {
        case .fundingConfirmed, .published, .actionFailed:
            break
        case .disputed(let id, let dispute, _, _):
            guard var record = records[id] else { return }
            record.status = .disputed
            record.dispute = dispute
            if let state = await channelGuard?.disputedState(id) { guardedStates[id] = state }
            records[id] = record
            try? store.save(record)
        case .closed(let id, let txid, _, _):
            guard var record = records[id] else { return }
            record.status = .closed
            record.closingTxid = txid
            records[id] = record
            try? store.save(record)
        case .reverted(let id, _):
            guard let stored = try? store.record(id) else { return }
            records[id] = stored
        }
    }

    /// Hands every channel to the guard and follows its events, until the task is cancelled.
    public func runGuard(_ channelGuard: ChannelGuard) async {
        self.channelGuard = channelGuard
        for record in records.values where record.status != .closed {
            try? await channelGuard.guardChannel(record, latest: latest[record.id])
        }
        for await event in channelGuard.events { await apply(event) }
    }

    /// Tells the guard about a channel's newest co-signed state (after an update or an opening).
    func guardLatest(_ id: Hash32) async {
        guard let channelGuard, let record = records[id] else { return }
        try? await channelGuard.guardChannel(record, latest: latest[id])
    }

    /// Hands the channel's latest co-signed state to the watchtower at `tower` (http://host:port).
    public func watch(_ id: Hash32, tower: String) async throws {
        let record = try record(id)
        guard let latest = latest[id] else { throw ChannelServiceError.unknownChannel(id.hex) }
        let entry = TowerEntry(network: params.networkID, params: record.params, funding: record.funding, latest: latest)
        try await TowerClient.send(entry, to: tower)
    }
}
