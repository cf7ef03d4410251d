import BigInt
import EmberChain
import EmberCore
import EmberCrypto
import EmberWire

/// Relay: what the chain connected and the mempool accepted is announced by inventory to peers not
/// known to have it; nothing is announced before it is validated.
extension PeerNetwork {
    /// Announces a transaction the mempool accepted from elsewhere (the API, a wallet).
    /// Announces a transaction already in the pool (one a reorganisation returned to it).
    public func announceTransaction(_ txid: Hash32) {
        announce([InventoryItem(kind: .transaction, hash: txid)])
    }

    /// The one acceptance path of a transaction from outside, for peers and the API alike: the
    /// mempool's `accept`, then, when it enters the pool, an announcement of it and of the orphans it
    /// let in, and the accepted-transaction handler (the node refreshes its block template there). An
    /// orphan is neither announced nor worth a new template.
    public func accept(_ transaction: Transaction) async throws(TransactionAcceptanceError) -> MempoolAcceptance {
        let acceptance = try await mempool.accept(transaction, chain: chain, nowMs: Self.nowMs)
        if case .accepted(let txid, _, _, let adopted) = acceptance {
            announce(([txid] + adopted).map { InventoryItem(kind: .transaction, hash: $0) })
            await transactionAccepted()
        }
        return acceptance
    }

    func announce(_ items: [InventoryItem]) {
        for peer in peers.values where peer.handshakeComplete {
            let fresh = items.filter { !peer.knownInventory.contains($0.hash) }
            guard !fresh.isEmpty else { continue }
            for item in fresh { peers[peer.id]?.knownInventory.insert(item.hash) }
            send(.inventory(InventoryMessage(items: fresh)), to: peer.id)
        }
    }

    /// Follows the chain: keeps our version's height and work current, and announces new tips.
    func follow(_ events: AsyncStream<ChainEvent>) async {
        for await event in events {
            switch event {
            case .blockConnected(let block, _):
                connectedSinceAnnouncement.append(block.hash)
                progress.blockConnected()
            case .blockDisconnected:
                break
            case .tipChanged(let tip):
                tipHeight = tip.height
                tipWork = [UInt8](tip.cumulativeWork.serialize())
                // After a burst (sync, a reorganisation) only the tip is worth announcing: peers that
                // lack its ancestors fetch their headers.
                let hashes = connectedSinceAnnouncement.count <= 8 ? connectedSinceAnnouncement : [tip.hash]
                connectedSinceAnnouncement = []
                announce(hashes.map { InventoryItem(kind: .block, hash: $0) })
            }
        }
    }

    func receivedTransaction(_ transaction: Transaction, from id: PeerID) async {
        let txid = transaction.txid
        guard peers[id]?.requestedTransactions.remove(txid) != nil else {
            misbehaved(id, .unrequested("transaction"))
            return
        }
        peers[id]?.knownInventory.insert(txid)
        do {
            _ = try await accept(transaction)
        } catch {
            guard case .rejected(let error) = error else {
                // Our own store failed (the node stops on it); the peer did nothing wrong.
                logger.error("cannot judge a relayed transaction: \(error)", metadata: ["peer": "\(id)", "txid": "\(txid)"])
                return
            }
            if case .alreadyKnown = error { return }
            recentlyRejected.insert(txid)
            if error.isSenderAtFault { misbehaved(id, .invalidTransaction(error.description)) }
            // DESIGN.md section 15: a run's verdict never depends on the height, so an honest peer, which ran
            // it before relaying, never sends a failing one; such a peer is disconnected as well as scored.
            if error.isFailedProgramRun {
                logger.info("peer relayed a failing program run; disconnecting", metadata: ["peer": "\(id)", "txid": "\(txid)"])
                close(id)
            }
        }
    }
}
