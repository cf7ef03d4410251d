import EmberWire

/// The periodic work: handshake and ping timeouts, stalled downloads, dialing, expired bans and the
/// sync progress line.
extension PeerNetwork {
    func maintain() async {
        while !Task.isCancelled {
            await tick()
            try? await Task.sleep(for: .milliseconds(configuration.tickIntervalMs))
        }
    }

    private func tick() async {
        let now = Self.nowMs
        for peer in peers.values {
            if !peer.handshakeComplete {
                if now >= peer.connectedAtMs + configuration.handshakeTimeoutMs {
                    logger.info("handshake timed out", metadata: ["peer": "\(peer.address)"])
                    close(peer.id)
                }
                continue
            }
            if let _ = peer.pingNonce {
                if now >= peer.pingSentMs + configuration.pingTimeoutMs {
                    logger.info("ping timed out", metadata: ["peer": "\(peer.address)"])
                    close(peer.id)
                }
            } else if now >= peer.lastPingMs + configuration.pingIntervalMs {
                let nonce = UInt64.random(in: 1...UInt64.max)
                peers[peer.id]?.pingNonce = nonce
                peers[peer.id]?.pingSentMs = now
                peers[peer.id]?.lastPingMs = now
                send(.ping(PingMessage(nonce: nonce)), to: peer.id)
            }
        }
        reassignStalledBlocks(nowMs: now)
        dialIfNeeded(nowMs: now)
        do {
            try banList.expire(nowMs: now)
        } catch {
            logger.error("\(error)")
        }
        if headerSyncPeer == nil, let candidate = peers.values.filter(\.handshakeComplete).max(by: { $0.bestHeight < $1.bestHeight }),
           candidate.bestHeight > tipHeight {
            await startHeaderSync(with: candidate.id)
        }
        let best = await chain.bestHeaderSummary
        configuration.blocksBehindObserver?(best.height > tipHeight ? best.height - tipHeight : 0)
        if download.wantedCount == 0, intake.isEmpty, best.height > tipHeight {
            // Nothing in flight yet the best header is ahead: bodies stored out of order wait to be
            // connected, or headers indexed before a restart still need their bodies.
            do {
                try await chain.connectBestStoredBranch()
            } catch {
                logger.error("connecting stored blocks failed", metadata: ["error": "\(error)"])
            }
            download.enqueue(await chain.blocksMissingBodies(limit: 4_096))
        }
        requestBlocks()
        let connected = peers.values.filter(\.handshakeComplete).count
        if let line = progress.line(nowMs: now, tipHeight: tipHeight, bestHeaderHeight: best.height, peers: connected) { report(line) }
    }

    /// Opens outbound connections up to the limit, configured peers first, each with its backoff; learnt
    /// addresses at most `maxDialsPerMinute` a minute.
    private func dialIfNeeded(nowMs: UInt64) {
        let outbound = peers.values.filter { $0.direction == .outbound }.count + dialing.count
        var room = configuration.maxOutbound - outbound
        guard room > 0 else { return }
        if let first = recentDialsMs.firstIndex(where: { $0 + 60_000 > nowMs }) {
            recentDialsMs.removeFirst(first)
        } else {
            recentDialsMs.removeAll()
        }
        let connected = Set(peers.values.compactMap(\.endpoint) + peers.values.compactMap(\.listeningEndpoint))
        for entry in addressBook.due(nowMs: nowMs) where room > 0 {
            let endpoint = entry.endpoint
            guard !connected.contains(endpoint), !dialing.contains(endpoint), !banList.isBanned(endpoint.host, nowMs: nowMs) else { continue }
            if endpoint.port == boundPort, ["127.0.0.1", "localhost", configuration.bindHost].contains(endpoint.host) { continue }
            if !entry.isConfigured {
                guard recentDialsMs.count < configuration.maxDialsPerMinute else { break }
                recentDialsMs.append(nowMs)
            }
            startDial(endpoint)
            room -= 1
        }
    }
}
