import EmberConsensus
import EmberCore
import EmberCrypto

/// Many payments as batches of co-signed updates (docs/channels.md, "Batches"): each state is its own
/// update, signed by both sides and checked by the receiver on the one before it, but a batch travels
/// in one message, is signed and verified on every core, and costs each side one SQLite commit.
extension ChannelService {
    /// Batches one `payMany` keeps in flight: while the peer checks and signs one, this side signs the
    /// next, so both sides' cores work at once.
    static let batchesInFlight = 3

    /// Pays `amount` `count` times, up to `ChannelMessage.maxBatch` updates a message and
    /// `batchesInFlight` messages at a time, each batch built on the newest state in flight; returns the
    /// last co-signed state, or nil when `count` is zero. Batches before a failure stay co-signed and
    /// stored; when the balance runs out the batches in flight finish first, then the call says why.
    public func payMany(_ id: Hash32, amount: Amount, count: Int) async throws -> CoSignedState? {
        var last: CoSignedState?
        var remaining = max(0, count)
        var sent: [(reply: Reply<CoSignedState>, count: Int)] = []
        var stopped: (any Error)?
        var busyAttempts = 0
        while remaining > 0 || !sent.isEmpty {
            if remaining > 0, stopped == nil, sent.count < Self.batchesInFlight {
                do {
                    let batch = try sendPaymentBatch(id, amount: amount, count: min(remaining, ChannelMessage.maxBatch))
                    sent.append(batch)
                    remaining -= batch.count
                    continue
                } catch {
                    stopped = error
                }
            }
            guard !sent.isEmpty else { break }
            let oldest = sent.removeFirst()
            do {
                last = try await Self.value(of: oldest.reply)
            } catch where Self.isBusy(error) && busyAttempts < 20 {
                // The peer proposed at the same moment and won: every batch in flight was withdrawn.
                busyAttempts += 1
                remaining += oldest.count + sent.reduce(0) { $0 + $1.count }
                sent.removeAll()
                try? await Task.sleep(for: .milliseconds(5 * busyAttempts))
            }
        }
        if let stopped { throw stopped }
        return last
    }

    /// Builds, signs and sends up to `count` payments as one batch on the newest state in flight: fewer
    /// when the balance runs out part-way (the next call then reports why). Returns the reply to await.
    private func sendPaymentBatch(_ id: Hash32, amount: Amount, count: Int) throws -> (reply: Reply<CoSignedState>, count: Int) {
        let (record, base) = try proposalBase(id)
        guard !record.params.hasApp else { throw ChannelServiceError.protocolViolation("channel \(id) runs an app; use move") }
        var states = [ChannelState]()
        var previous = base
        while states.count < count {
            let next: ChannelState
            do {
                next = try Self.payment(of: amount, in: previous, record: record, dust: params.dust)
            } catch {
                if states.isEmpty { throw error }
                break
            }
            states.append(next)
            previous = next
        }
        return (try sendBatch(states, record: record), states.count)
    }

    /// Signs `states` (consecutive versions on the newest state in flight) and sends them as one batch;
    /// the reply carries the newest co-signed state once the peer signed all of them and both stored it.
    func sendBatch(_ states: [ChannelState], record: ChannelRecord) throws -> Reply<CoSignedState> {
        guard let newest = states.last else { throw ChannelServiceError.protocolViolation("an empty batch") }
        let id = record.id
        let link = try link(for: record)
        let network = params.networkID
        let key = key
        let proposals = ParallelSigning.map(states.count) { index in
            let hash = states[index].hash(network: network)
            // Signing with an in-memory key does not fail.
            return Proposal(state: states[index], hash: hash, signature: try! key.sign(domain: .channelState, network: network, message: hash.bytes))
        }
        for proposal in proposals { inFlight[id, default: [:]][proposal.state.version] = proposal }
        let reply = Reply<CoSignedState>()
        waiters[id, default: [:]][newest.version] = reply
        link.send(.updateBatch(proposals.map { ProposedState(state: $0.state, signature: $0.signature) }))
        return reply
    }

    /// A reply's value, with anything but the service's own errors reported as a protocol violation.
    private static func value(of reply: Reply<CoSignedState>) async throws -> CoSignedState {
        do {
            return try await reply.value()
        } catch let error as ChannelServiceError {
            throw error
        } catch {
            throw ChannelServiceError.protocolViolation("\(error)")
        }
    }

    // MARK: - The receiving side

    /// Co-signs a batch when every state in it passes, in order, the checks of a single update; stores
    /// the newest once and acknowledges all. One bad state refuses the whole batch, and the channel stays
    /// at its last co-signed state.
    func receiveUpdateBatch(_ proposals: [ProposedState], from peer: RawPublicKey, link: PeerLink) {
        guard let first = proposals.first, let newest = proposals.last else { return }
        let id = first.state.channelId
        guard proposals.allSatisfy({ $0.state.channelId == id }) else {
            link.send(.refuse(channel: id, version: first.state.version, reason: "a batch mixes channels"))
            return
        }
        guard let record = records[id], record.peerKey == peer, let current = latest[id] else {
            link.send(.refuse(channel: id, version: first.state.version, reason: ChannelRefusal.unknownChannel(id).description))
            return
        }
        guard yieldsToPeer(record, refusing: first.state.version, over: link) else { return }
        let check = UpdateCheck(params: params, record: record)
        var hashes = [Hash32]()
        var previous = current.state
        do throws(ChannelRefusal) {
            guard record.status == .open else { throw ChannelRefusal.notOpen(record.status) }
            for proposal in proposals {
                hashes.append(try check.checkTransition(proposal.state, current: previous))
                try checkApp(record: record, old: previous, new: proposal.state)
                previous = proposal.state
            }
        } catch {
            link.send(.refuse(channel: id, version: proposals[hashes.count].state.version, reason: error.description))
            return
        }
        let network = params.networkID
        let key = key
        let hashList = hashes
        // Verified and signed in one pass over every core; a state whose signature fails refuses the batch
        // and the signatures made for it are never sent.
        let signatures = ParallelSigning.map(proposals.count) { index -> Signature? in
            guard check.isProposerSignature(proposals[index].signature, of: hashList[index]) else { return nil }
            return try! key.sign(domain: .channelState, network: network, message: hashList[index].bytes)
        }
        if let bad = signatures.firstIndex(where: { $0 == nil }) {
            link.send(.refuse(channel: id, version: proposals[bad].state.version, reason: ChannelRefusal.badSignature.description))
            return
        }
        let own = signatures.map { $0! }
        let coSigned = coSigned(newest.state, own: own[own.count - 1], peer: newest.signature, record: record)
        // Acknowledged only once on disk, as a single update is.
        do {
            try store.saveLatest([coSigned])
        } catch {
            logger.error("cannot store channel \(id)'s state \(newest.state.version): \(error)")
            link.send(.refuse(channel: id, version: first.state.version, reason: "the receiver cannot store the state"))
            return
        }
        latest[id] = coSigned
        link.send(.ackBatch(channel: id, firstVersion: first.state.version, signatures: own))
    }

    /// The peer's signatures of a batch this side proposed: every one must verify before the newest
    /// state counts as co-signed.
    func receiveAckBatch(channel id: Hash32, firstVersion: UInt64, signatures: [Signature], from peer: RawPublicKey) async {
        guard let record = records[id], record.peerKey == peer, let flying = inFlight[id] else { return }
        let (lastVersion, overflow) = firstVersion.addingReportingOverflow(UInt64(signatures.count - 1))
        guard !overflow else { return }
        var acknowledged = [Proposal]()
        for version in firstVersion...lastVersion {
            guard let proposal = flying[version] else { return }
            acknowledged.append(proposal)
        }
        let proposals = acknowledged
        if let bad = UpdateCheck(params: params, record: record).firstBadSignature(signatures, over: proposals.map(\.hash)) {
            abandonInFlight(id, because: .protocolViolation("the peer acknowledged version \(proposals[bad].state.version) with a signature that does not verify"))
            return
        }
        settle(id, proposal: proposals[proposals.count - 1], peerSignature: signatures[signatures.count - 1], record: record)
    }
}
