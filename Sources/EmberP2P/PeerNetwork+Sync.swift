import BigInt
import EmberChain
import EmberCore
import EmberCrypto
import EmberWire
import Foundation

/// Header-first sync: headers from one peer at a time, blocks from every peer with a window each.
extension PeerNetwork {
    /// Asks `id` for headers when it claims more work than our tip and no other peer is being asked.
    func startHeaderSync(with id: PeerID) async {
        guard let peer = peers[id], peer.handshakeComplete else { return }
        let theirs = BigUInt(Data(peer.bestWork))
        let ours = BigUInt(Data(tipWork))
        guard theirs > ours else { return }
        if let current = headerSyncPeer, current != id, peers[current] != nil { return }
        headerSyncPeer = id
        await requestHeaders(from: id)
    }

    func requestHeaders(from id: PeerID) async {
        guard let peer = peers[id], !peer.headersRequested else { return }
        let locator = await chain.locator()
        peers[id]?.headersRequested = true
        send(.getHeaders(GetHeadersMessage(locator: Array(locator.prefix(GetHeadersMessage.maxLocatorHashes)))), to: id)
    }

    func receivedHeaders(_ headers: [BlockHeader], from id: PeerID) async {
        guard peers[id]?.headersRequested == true else {
            misbehaved(id, .unrequested("headers"))
            return
        }
        peers[id]?.headersRequested = false
        guard !headers.isEmpty else {
            finishedHeaderSync(with: id)
            return
        }
        let outcome: HeadersOutcome
        do {
            outcome = try await chain.acceptHeaders(headers, nowMs: Self.nowMs)
        } catch {
            logger.error("storing headers failed", metadata: ["error": "\(error)"])
            return
        }
        if let (index, rejection) = outcome.rejection {
            if rejection.isSenderAtFault { misbehaved(id, .invalidBlock("header \(index): \(rejection)")) }
            finishedHeaderSync(with: id)
            return
        }
        if outcome.knownInvalidAt != nil {
            misbehaved(id, .invalidBlock("a header on a branch known to be invalid"))
            return
        }
        if outcome.disconnectedAt != nil {
            misbehaved(id, .disconnectedHeaders)
            finishedHeaderSync(with: id)
            return
        }
        var heights = [Hash32: UInt64]()
        for header in headers {
            let hash = header.hash
            heights[hash] = header.height
            peers[id]?.knownInventory.insert(hash)
        }
        if let last = headers.last, last.height > peers[id]?.bestHeight ?? 0 { peers[id]?.bestHeight = last.height }
        download.enqueue(outcome.needingBodies.map { ($0, heights[$0] ?? 0) })
        if headers.count == Chain.maxHeadersPerMessage {
            await requestHeaders(from: id)
        } else {
            finishedHeaderSync(with: id)
        }
        requestBlocks()
    }

    private func finishedHeaderSync(with id: PeerID) {
        if headerSyncPeer == id { headerSyncPeer = nil }
    }

    /// Fills every peer's download window from the queue.
    func requestBlocks() {
        // Blocks the chain has not yet taken are memory; fetch more only as it catches up.
        guard intake.hasRoom else { return }
        let now = Self.nowMs
        let ready = peers.values.filter { $0.handshakeComplete && $0.stalledUntilMs <= now }
            .sorted { download.inFlightCount(of: $0.id) < download.inFlightCount(of: $1.id) }
        for peer in ready {
            let hashes = download.assign(to: peer.id, peerHeight: peer.bestHeight, nowMs: now)
            guard !hashes.isEmpty else { continue }
            for hash in hashes { peers[peer.id]?.requestedBlocks.insert(hash) }
            logger.debug("requesting blocks", metadata: ["peer": "\(peer.address)", "count": "\(hashes.count)", "peerHeight": "\(peer.bestHeight)"])
            send(.getData(GetDataMessage(items: hashes.map { InventoryItem(kind: .block, hash: $0) })), to: peer.id)
        }
    }

    /// Announced blocks we do not know: their headers are asked for, and the blocks themselves at
    /// once, so a new block crosses the network in one round trip.
    func receivedInventory(_ items: [InventoryItem], from id: PeerID) async {
        var transactions = [Hash32]()
        let announcedBlocks = items.filter { $0.kind == .block && !download.isWanted($0.hash) }.map(\.hash)
        let blocks = announcedBlocks.isEmpty ? [] : await chain.unknownBlocks(among: announcedBlocks)
        for item in items {
            peers[id]?.knownInventory.insert(item.hash)
            switch item.kind {
            case .block:
                break
            case .transaction:
                // Requests a peer leaves unanswered stay counted: a peer announcing without end cannot
                // grow what we remember of it beyond the cap.
                let outstanding = (peers[id]?.requestedTransactions.count ?? 0) + transactions.count
                guard outstanding < Self.maxRequestedTransactionsPerPeer else { continue }
                if !recentlyRejected.contains(item.hash), !isRequestedTransaction(item.hash), await mempool.entry(item.hash) == nil {
                    transactions.append(item.hash)
                }
            }
        }
        if !blocks.isEmpty {
            await requestHeaders(from: id)
            let now = Self.nowMs
            let room = max(0, BlockDownload.maxInFlightPerPeer - download.inFlightCount(of: id))
            let direct = Array(blocks.suffix(room))
            for hash in direct {
                download.request(hash, height: tipHeight + 1, from: id, nowMs: now)
                peers[id]?.requestedBlocks.insert(hash)
            }
            if !direct.isEmpty { send(.getData(GetDataMessage(items: direct.map { InventoryItem(kind: .block, hash: $0) })), to: id) }
        }
        if !transactions.isEmpty {
            for txid in transactions { peers[id]?.requestedTransactions.insert(txid) }
            send(.getData(GetDataMessage(items: transactions.map { InventoryItem(kind: .transaction, hash: $0) })), to: id)
        }
    }

    private func isRequestedTransaction(_ txid: Hash32) -> Bool {
        peers.values.contains { $0.requestedTransactions.contains(txid) }
    }

    /// What is known of a delivered block's header when the block is admitted.
    enum AdmittedBlock: Sendable {
        /// The chain indexed the header: tiers 1 and 2 passed.
        case headerIndexed
        /// Requested on an announcement alone: the header is yet to be checked.
        case headerUnchecked
    }

    /// Whether a delivered block is one we asked this peer for (scoring it when not), updating what we
    /// know of the peer; the checks are cheap, so an unwanted block costs no signature checks.
    func admitBlock(_ block: Block, from id: PeerID) -> AdmittedBlock? {
        guard let peer = peers[id] else { return nil }
        guard peer.handshakeComplete else {
            misbehaved(id, .outOfHandshake("block"))
            return nil
        }
        let hash = block.hash
        let headerIndexed = download.hasIndexedHeader(hash)
        let wasInFlight = download.received(hash, from: id)
        // A late delivery of a request that timed out and went elsewhere is still a good block.
        guard wasInFlight || peer.requestedBlocks.contains(hash) else {
            misbehaved(id, .unrequested("block"))
            return nil
        }
        peers[id]?.knownInventory.insert(hash)
        if block.header.height > peer.bestHeight { peers[id]?.bestHeight = block.header.height }
        intake.admit()
        return headerIndexed ? .headerIndexed : .headerUnchecked
    }

    /// Checks an admitted block in DESIGN.md section 11's order, each tier only if the one before
    /// passed: the header's own proof of work (one hash), the header against its parent when the
    /// parent is known, and only then the body and every signature (tier 3). A block that fails a
    /// header tier costs its sender the ban and us no signature check. Nil when the block is refused.
    nonisolated func check(_ block: Block, _ admitted: AdmittedBlock, from id: PeerID) async -> CheckedBlock? {
        let hash = block.hash
        do {
            try params.checkHeaderSanity(block.header, hash: hash)
        } catch {
            await refused(hash, from: id, .invalidBlock("\(hash): \(error)"))
            return nil
        }
        if admitted == .headerUnchecked {
            switch await contextVerdict(for: block.header, hash: hash) {
            case .passed:
                break
            case .failed(let misbehaviour):
                await refused(hash, from: id, misbehaviour)
                return nil
            case .undecided:
                // The parent is unknown (or the block waits for our clock): the chain files it and
                // runs tier 3 itself once tiers 1 and 2 pass.
                return CheckedBlock(unchecked: block, params: params)
            }
        }
        configuration.bodyCheckObserver?(hash)
        return CheckedBlock(block, params: params)
    }

    enum ContextVerdict: Sendable {
        case passed
        case failed(Misbehaviour)
        /// Not decidable here; the chain decides.
        case undecided
    }

    /// Tier 2 for a block requested on its announcement: the chain checks and indexes its header, as
    /// it would the same header arriving in a `headers` message.
    private func contextVerdict(for header: BlockHeader, hash: Hash32) async -> ContextVerdict {
        let outcome: HeadersOutcome
        do {
            outcome = try await chain.acceptHeaders([header], nowMs: Self.nowMs)
        } catch {
            logger.error("storing a header failed", metadata: ["error": "\(error)"])
            return .undecided
        }
        if outcome.knownInvalidAt != nil { return .failed(.invalidBlock("\(hash) is on a branch known to be invalid")) }
        if let (_, rejection) = outcome.rejection {
            return rejection.isSenderAtFault ? .failed(.invalidBlock("\(hash): \(rejection)")) : .undecided
        }
        if outcome.disconnectedAt != nil { return .undecided }
        return .passed
    }

    /// A block admitted for checking failed a header tier: it will not reach the chain.
    private func refused(_ hash: Hash32, from id: PeerID, _ misbehaviour: Misbehaviour) {
        intake.release()
        misbehaved(id, misbehaviour)
        requestBlocks()
    }

    /// Queues a checked block for the chain, after the blocks received before it.
    func enqueue(_ checked: CheckedBlock, from id: PeerID) {
        guard let submissions, case .enqueued = submissions.yield((checked, id)) else {
            intake.release()
            return
        }
    }

    /// Hands received blocks to the chain one at a time, in arrival order.
    func submitReceived(_ blocks: AsyncStream<(block: CheckedBlock, peer: PeerID)>) async {
        for await (block, peer) in blocks {
            await submit(block, from: peer)
            intake.release()
            requestBlocks()
        }
    }

    /// Hands a block to the chain and scores its sender by the outcome, and the sender of every block
    /// that waited in the chain's orphan pool for it by its own.
    private func submit(_ checked: CheckedBlock, from id: PeerID) async {
        let report: SubmitReport
        do {
            report = try await chain.submitFollowing(checked, nowMs: Self.nowMs)
        } catch {
            logger.error("storing a block failed", metadata: ["error": "\(error)"])
            self.report("storing block \(checked.hash) failed: \(error)")
            return
        }
        await score(report.outcome, of: checked.hash, parent: checked.block.header.parent, from: id)
        for follower in report.followers {
            guard let sender = intake.takeSender(of: follower.hash) else { continue }
            // Its parent has just gone in: no headers to ask for, whatever became of it.
            await score(follower.outcome, of: follower.hash, parent: nil, from: sender)
        }
    }

    /// Scores `id` by what became of the block `hash` it sent, whose parent is `parent`.
    private func score(_ outcome: SubmitOutcome, of hash: Hash32, parent: Hash32?, from id: PeerID) async {
        switch outcome {
        case .connected:
            peers[id]?.lastBlockMs = Self.nowMs
        case .sideBranch, .duplicate, .forkTooDeep:
            break
        case .orphan:
            intake.heldByChain(hash, sender: id)
            // A parent nobody is fetching, and not itself waiting in the chain, is unknown here: ask
            // the sender for the headers that lead to it.
            if let parent, !download.isWanted(parent), !intake.isHeld(parent) {
                await requestHeaders(from: id)
            }
        case .rejected(let rejection):
            if rejection.isSenderAtFault { misbehaved(id, .invalidBlock("\(hash): \(rejection)")) }
        case .knownInvalid:
            misbehaved(id, .invalidBlock("\(hash) is on a branch known to be invalid"))
        }
    }

    /// Requests not answered in time go to other peers; the slow peer is scored and rested.
    func reassignStalledBlocks(nowMs: UInt64) {
        let stalled = download.takeStalled(nowMs: nowMs, timeoutMs: configuration.blockStallTimeoutMs)
        for peerID in Set(stalled.map(\.peer)) {
            guard peers[peerID] != nil else { continue }
            peers[peerID]?.stalls += 1
            peers[peerID]?.stalledUntilMs = nowMs + configuration.blockStallTimeoutMs
            misbehaved(peerID, .slow)
            if (peers[peerID]?.stalls ?? 0) >= 3 { close(peerID) }
        }
        if !stalled.isEmpty { requestBlocks() }
    }
}
