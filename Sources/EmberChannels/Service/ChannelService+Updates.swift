import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2

extension ChannelService {
    /// Pays `amount` to the peer in one co-signed update; returns the co-signed state once it is on disk.
    public func pay(_ id: Hash32, amount: Amount) async throws -> CoSignedState {
        var attempt = 0
        while true {
            let (record, base) = try proposalBase(id)
            guard !record.params.hasApp else { throw ChannelServiceError.protocolViolation("channel \(id) runs an app; use move") }
            let next = try Self.payment(of: amount, in: base, record: record, dust: params.dust)
            do {
                return try await propose(next, record: record)
            } catch where Self.isBusy(error) && attempt < 20 {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(5 * attempt))
            }
        }
    }

    /// The state after paying `amount` from this side to the other in `base`.
    static func payment(of amount: Amount, in base: ChannelState, record: ChannelRecord, dust: Amount) throws(ChannelServiceError) -> ChannelState {
        let own = UpdateCheck.paid(to: record.ownPayout, in: base)
        let peer = UpdateCheck.paid(to: record.peerPayout, in: base)
        guard amount > .zero else { throw ChannelServiceError.amountBelowDust(amount: amount, dust: dust) }
        guard let ownAfter = own.subtracting(amount) else { throw ChannelServiceError.amountAboveBalance(amount: amount, balance: own) }
        guard let peerAfter = peer.adding(amount) else { throw ChannelServiceError.amountAboveBalance(amount: amount, balance: own) }
        guard peerAfter >= dust else { throw ChannelServiceError.amountBelowDust(amount: amount, dust: dust) }
        guard ownAfter == .zero || ownAfter >= dust else {
            throw ChannelServiceError.protocolViolation("paying \(amount) would leave \(ownAfter), below the dust limit of \(dust); pay it all or less")
        }
        let (amountA, amountB) = record.side == .a ? (ownAfter, peerAfter) : (peerAfter, ownAfter)
        var next = base
        next.version = base.version + 1
        next.balances = Self.balances(a: amountA, b: amountB, record: record)
        return next
    }

    /// A payment channel's balances: A's first, then B's, each only when it is above zero.
    static func balances(a: Amount, b: Amount, record: ChannelRecord) -> [Output] {
        var balances = [Output]()
        if a > .zero { balances.append(Output(amount: a, lock: record.payoutA)) }
        if b > .zero { balances.append(Output(amount: b, lock: record.payoutB)) }
        return balances
    }

    /// What a proposal builds on: the channel's record and its newest state, co-signed or in flight.
    func proposalBase(_ id: Hash32) throws -> (record: ChannelRecord, base: ChannelState) {
        let record = try record(id)
        guard record.status == .open else { throw ChannelServiceError.notOpen(id, record.status) }
        guard let current = latest[id] else { throw ChannelServiceError.unknownChannel(id.hex) }
        let base = inFlight[id]?.max { $0.key < $1.key }?.value.state ?? current.state
        guard !base.isFinal else { throw ChannelServiceError.protocolViolation("channel \(id) has a final state; nothing follows it") }
        return (record, base)
    }

    /// Whether `error` is the peer's refusal because it was proposing at the same moment.
    static func isBusy(_ error: any Error) -> Bool {
        if case ChannelServiceError.peerRefused(let reason) = error { return reason == ChannelRefusal.busy.description }
        return false
    }

    /// Signs `next`, sends it to the peer and waits for its co-signature (stored before this returns).
    func propose(_ next: ChannelState, record: ChannelRecord) async throws -> CoSignedState {
        let id = record.id
        let link = try link(for: record)
        let hash = next.hash(network: params.networkID)
        let proposal = Proposal(state: next, hash: hash, signature: sign(hash: hash))
        inFlight[id, default: [:]][next.version] = proposal
        do {
            return try await awaitAck(id, version: next.version, send: .update(state: next, signature: proposal.signature), over: link)
        } catch let error as ChannelServiceError {
            throw error
        } catch {
            throw ChannelServiceError.protocolViolation("\(error)")
        }
    }

    private func awaitAck(_ id: Hash32, version: UInt64, send message: ChannelMessage, over link: PeerLink) async throws -> CoSignedState {
        let reply = Reply<CoSignedState>()
        waiters[id, default: [:]][version] = reply
        link.send(message)
        return try await reply.value()
    }

    // MARK: - The receiving side

    func receiveUpdate(_ state: ChannelState, signature: Signature, from peer: RawPublicKey, link: PeerLink) {
        let id = state.channelId
        guard let record = records[id], record.peerKey == peer, let current = latest[id] else {
            link.send(.refuse(channel: id, version: state.version, reason: ChannelRefusal.unknownChannel(id).description))
            return
        }
        guard yieldsToPeer(record, refusing: state.version, over: link) else { return }
        let hash: Hash32
        do throws(ChannelRefusal) {
            guard record.status == .open else { throw ChannelRefusal.notOpen(record.status) }
            hash = try UpdateCheck(params: params, record: record).check(state, signature: signature, current: current.state)
            try checkApp(record: record, old: current.state, new: state)
        } catch {
            link.send(.refuse(channel: id, version: state.version, reason: error.description))
            return
        }
        let own = sign(hash: hash)
        let coSigned = coSigned(state, own: own, peer: signature, record: record)
        // Acknowledged only once on disk: a crash after this point still holds the state the peer holds.
        do {
            try store.saveLatest([coSigned])
        } catch {
            logger.error("cannot store channel \(id)'s state \(state.version): \(error)")
            link.send(.refuse(channel: id, version: state.version, reason: "the receiver cannot store the state"))
            return
        }
        latest[id] = coSigned
        link.send(.ack(channel: id, version: state.version, signature: own))
    }

    /// Whether a proposal of the peer's may be handled now. When both sides proposed at once, A's
    /// proposal wins: A refuses the peer's as busy (false), and B withdraws its own, whose payers retry.
    func yieldsToPeer(_ record: ChannelRecord, refusing version: UInt64, over link: PeerLink) -> Bool {
        guard let own = inFlight[record.id], !own.isEmpty else { return true }
        if record.side == .a {
            link.send(.refuse(channel: record.id, version: version, reason: ChannelRefusal.busy.description))
            return false
        }
        abandonInFlight(record.id, because: .peerRefused(ChannelRefusal.busy.description))
        return true
    }

    func receiveAck(channel id: Hash32, version: UInt64, signature: Signature, from peer: RawPublicKey) async {
        guard let record = records[id], record.peerKey == peer, let proposal = inFlight[id]?[version] else { return }
        guard UpdateCheck(params: params, record: record).isProposerSignature(signature, of: proposal.hash) else {
            abandonInFlight(id, because: .protocolViolation("the peer acknowledged version \(version) with a signature that does not verify"))
            return
        }
        settle(id, proposal: proposal, peerSignature: signature, record: record)
    }

    /// The peer co-signed `proposal` (and every version before it in flight): stores it, then tells the
    /// payers waiting for any of them.
    func settle(_ id: Hash32, proposal: Proposal, peerSignature signature: Signature, record: ChannelRecord) {
        let version = proposal.state.version
        let coSigned = coSigned(proposal.state, own: proposal.signature, peer: signature, record: record)
        inFlight[id] = inFlight[id]?.filter { $0.key > version }
        let done = waiters[id]?.filter { $0.key <= version } ?? [:]
        waiters[id] = waiters[id]?.filter { $0.key > version }
        do {
            // On disk before this side counts it as its latest or tells the payer it is done.
            try store.saveLatest([coSigned])
            if (latest[id]?.state.version ?? 0) < version { latest[id] = coSigned }
            for (_, waiter) in done { waiter.resume(returning: coSigned) }
        } catch {
            for (_, waiter) in done { waiter.resume(throwing: ChannelServiceError.store(error)) }
        }
    }

    func receiveRefusal(channel id: Hash32, version: UInt64, reason: String, from peer: RawPublicKey) {
        guard let record = records[id], record.peerKey == peer, inFlight[id]?[version] != nil else {
            logger.warning("the peer refused version \(version) of channel \(id): \(reason)")
            return
        }
        abandonInFlight(id, because: .peerRefused(reason))
    }

    /// Forgets every proposal in flight for `id` and fails its payers; the channel stays at its last co-signed state.
    func abandonInFlight(_ id: Hash32, because error: ChannelServiceError) {
        inFlight[id] = nil
        for (_, waiter) in waiters.removeValue(forKey: id) ?? [:] { waiter.resume(throwing: error) }
    }

    /// Adopts the peer's latest co-signed state when it is newer than ours and valid (a crash or a lost
    /// acknowledgement left this side one update behind).
    func receiveSync(_ coSigned: CoSignedState, from peer: RawPublicKey) async {
        let id = coSigned.state.channelId
        guard let record = records[id], record.peerKey == peer, let current = latest[id],
              coSigned.state.version > current.state.version,
              coSigned.isValid(for: record.params, network: params.networkID),
              (try? params.checkWellFormed(coSigned.state, channelId: id, amount: record.amount)) != nil
        else { return }
        do {
            try store.saveLatest([coSigned])
            latest[id] = coSigned
        } catch {
            logger.error("cannot store channel \(id)'s synced state: \(error)")
        }
    }

    /// The app's verdict on a move, run in EmberVM exactly as layer 1 would run it.
    func checkApp(record: ChannelRecord, old: ChannelState, new: ChannelState) throws(ChannelRefusal) {
        guard record.params.hasApp else { return }
        guard let app = ChannelApps.app(named: record.app), app.hash == record.params.app else {
            throw ChannelRefusal.illegalMove("this service does not know the app \(record.app)")
        }
        try app.checkMove(record.params, old, new)
    }
}
