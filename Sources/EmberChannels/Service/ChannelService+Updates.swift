import EmberConsensus
import EmberCore
import EmberCrypto

extension ChannelService {
    /// Pays `amount` to the peer in one co-signed update; returns the co-signed state once it is on disk.
    public func pay(_ id: Hash32, amount: Amount) async throws(ChannelServiceError) -> CoSignedState {
        let record = try record(id)
        guard !record.params.hasApp else { throw .protocolViolation("channel \(id) runs an app; use move") }
        return try await proposeWithRetry(id) { record, base throws(ChannelServiceError) in
            try Self.payment(of: amount, in: base, record: record, dust: self.params.dust)
        }
    }

    /// Pays `amount` `count` times, keeping up to `window` updates in flight; returns the last state.
    public func payMany(_ id: Hash32, amount: Amount, count: Int, window: Int = 64) async throws(ChannelServiceError) -> CoSignedState? {
        var last: CoSignedState?
        var remaining = count
        while remaining > 0 {
            let batch = min(window, remaining)
            let results = await withTaskGroup(of: Result<CoSignedState, ChannelServiceError>.self) { group in
                for _ in 0..<batch {
                    group.addTask {
                        do throws(ChannelServiceError) {
                            return .success(try await self.pay(id, amount: amount))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var all = [Result<CoSignedState, ChannelServiceError>]()
                for await result in group { all.append(result) }
                return all
            }
            for result in results {
                switch result {
                case .success(let state):
                    if state.state.version > (last?.state.version ?? 0) { last = state }
                case .failure(let error):
                    throw error
                }
            }
            remaining -= batch
        }
        return last
    }

    /// The state after paying `amount` from this side to the other in `base`.
    static func payment(of amount: Amount, in base: ChannelState, record: ChannelRecord, dust: Amount) throws(ChannelServiceError) -> ChannelState {
        let own = UpdateCheck.paid(to: record.ownPayout, in: base)
        let peer = UpdateCheck.paid(to: record.peerPayout, in: base)
        guard amount > .zero else { throw .amountBelowDust(amount: amount, dust: dust) }
        guard let ownAfter = own.subtracting(amount) else { throw .amountAboveBalance(amount: amount, balance: own) }
        guard let peerAfter = peer.adding(amount) else { throw .amountAboveBalance(amount: amount, balance: own) }
        guard peerAfter >= dust else { throw .amountBelowDust(amount: amount, dust: dust) }
        guard ownAfter == .zero || ownAfter >= dust else {
            throw .protocolViolation("paying \(amount) would leave \(ownAfter), below the dust limit of \(dust); pay it all or less")
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

    /// Proposes the state `transform` makes from the newest state (co-signed or in flight), retrying
    /// when the peer was proposing at the same moment.
    func proposeWithRetry(
        _ id: Hash32, _ transform: @Sendable (ChannelRecord, ChannelState) throws(ChannelServiceError) -> ChannelState
    ) async throws(ChannelServiceError) -> CoSignedState {
        var attempt = 0
        while true {
            do {
                return try await propose(id, transform)
            } catch ChannelServiceError.peerRefused(let reason) where reason == ChannelRefusal.busy.description && attempt < 20 {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(5 * attempt))
            }
        }
    }

    func propose(
        _ id: Hash32, _ transform: (ChannelRecord, ChannelState) throws(ChannelServiceError) -> ChannelState
    ) async throws(ChannelServiceError) -> CoSignedState {
        let record = try record(id)
        guard record.status == .open else { throw .notOpen(id, record.status) }
        let link = try link(for: record)
        guard let current = latest[id] else { throw .unknownChannel(id.hex) }
        let base = inFlight[id]?.max { $0.key < $1.key }?.value ?? current.state
        guard !base.isFinal else { throw .protocolViolation("channel \(id) has a final state; nothing follows it") }
        let next = try transform(record, base)
        let signature = sign(next)
        inFlight[id, default: [:]][next.version] = next
        do {
            return try await withCheckedThrowingContinuation { continuation in
                waiters[id, default: [:]][next.version] = continuation
                link.send(.update(state: next, signature: signature))
            }
        } catch let error as ChannelServiceError {
            throw error
        } catch {
            throw .protocolViolation("\(error)")
        }
    }

    // MARK: - The receiving side

    func receiveUpdate(_ state: ChannelState, signature: Signature, from peer: RawPublicKey, link: PeerLink) {
        let id = state.channelId
        guard let record = records[id], record.peerKey == peer, let current = latest[id] else {
            link.send(.refuse(channel: id, version: state.version, reason: ChannelRefusal.unknownChannel(id).description))
            return
        }
        if let own = inFlight[id], !own.isEmpty {
            // Both sides proposed the same version: A's proposal wins, B withdraws its own and retries.
            if record.side == .a {
                link.send(.refuse(channel: id, version: state.version, reason: ChannelRefusal.busy.description))
                return
            }
            abandonInFlight(id, because: .peerRefused(ChannelRefusal.busy.description))
        }
        do throws(ChannelRefusal) {
            guard record.status == .open else { throw .notOpen(record.status) }
            try UpdateCheck(params: params, record: record).check(state, signature: signature, current: current.state)
            try checkApp(record: record, old: current.state, new: state)
        } catch {
            link.send(.refuse(channel: id, version: state.version, reason: error.description))
            return
        }
        let own = sign(state)
        let coSigned = coSigned(state, own: own, peer: signature, record: record)
        latest[id] = coSigned
        let writer = self.writer
        Task {
            // Acknowledged only once on disk: a crash after this point still holds the state the peer holds.
            try? await writer.persist(coSigned) {
                link.send(.ack(channel: id, version: state.version, signature: own))
            }
        }
    }

    func receiveAck(channel id: Hash32, version: UInt64, signature: Signature, from peer: RawPublicKey) async {
        guard let record = records[id], record.peerKey == peer, let state = inFlight[id]?[version] else { return }
        guard let peerKey = try? PublicKey(bytes: peer.bytes),
              peerKey.isValidSignature(signature, domain: .channelState, network: params.networkID, message: state.hash(network: params.networkID).bytes)
        else {
            abandonInFlight(id, because: .protocolViolation("the peer acknowledged version \(version) with a signature that does not verify"))
            return
        }
        let coSigned = coSigned(state, own: sign(state), peer: signature, record: record)
        if (latest[id]?.state.version ?? 0) < version { latest[id] = coSigned }
        inFlight[id] = inFlight[id]?.filter { $0.key > version }
        let done = waiters[id]?.filter { $0.key <= version } ?? [:]
        waiters[id] = waiters[id]?.filter { $0.key > version }
        do {
            try await writer.persist(coSigned) {}
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
        latest[id] = coSigned
        try? await writer.persist(coSigned) {}
    }

    /// The app's verdict on a move, run in EmberVM exactly as layer 1 would run it.
    func checkApp(record: ChannelRecord, old: ChannelState, new: ChannelState) throws(ChannelRefusal) {
        guard record.params.hasApp else { return }
        guard let app = ChannelApps.app(named: record.app), app.hash == record.params.app else {
            throw .illegalMove("this service does not know the app \(record.app)")
        }
        try app.checkMove(record.params, old, new)
    }
}
