import BigInt
import EmberChain
import EmberCore
import EmberCrypto
import EmberWire

extension PeerNetwork {
    /// Handles one message from `id`, in the order the peer sent them.
    func received(_ message: WireMessage, from id: PeerID) async {
        guard let peer = peers[id] else { return }
        switch message {
        case .version(let version):
            receivedVersion(version, from: id)
            return
        case .verack:
            guard peer.version != nil, !peer.verackReceived else {
                misbehaved(id, .outOfHandshake("verack"))
                return
            }
            peers[id]?.verackReceived = true
            await handshakeCompleted(id)
            return
        case .unknown(let command, _):
            misbehaved(id, .unknownCommand(command))
            return
        default:
            guard peer.handshakeComplete else {
                misbehaved(id, .outOfHandshake("\(WireCommand(rawValue: message.commandCode).map { "\($0)" } ?? "message")"))
                return
            }
        }
        switch message {
        case .ping(let ping):
            send(.pong(PongMessage(nonce: ping.nonce)), to: id)
        case .pong(let pong):
            receivedPong(pong, from: id)
        case .getHeaders(let request):
            let headers = await chain.headers(after: request.locator, stop: request.stopHash)
            send(.headers(HeadersMessage(headers: headers)), to: id)
        case .headers(let message):
            await receivedHeaders(message.headers, from: id)
        case .inventory(let inventory):
            await receivedInventory(inventory.items, from: id)
        case .getData(let request):
            await serveData(request.items, to: id)
        case .transaction(let message):
            await receivedTransaction(message.transaction, from: id)
        case .notFound(let notFound):
            for item in notFound.items {
                switch item.kind {
                case .block where download.inFlight[item.hash]?.peer == id: download.returnToQueue(item.hash)
                case .block: break
                case .transaction: peers[id]?.requestedTransactions.remove(item.hash)
                }
            }
            requestBlocks()
        case .getAddr:
            sendAddresses(to: id)
        case .addr(let message):
            receivedAddresses(message.addresses, from: id)
        case .version, .verack, .unknown, .block:
            // Handled above, before the handshake check; blocks never come here: the connection's
            // reader admits them, runs tier 3 outside this actor and queues them for the chain.
            break
        }
    }

    private func receivedVersion(_ version: VersionMessage, from id: PeerID) {
        guard let peer = peers[id] else { return }
        guard peer.version == nil else {
            misbehaved(id, .outOfHandshake("a second version"))
            return
        }
        if peers.values.contains(where: { $0.ourNonce == version.nonce }) {
            // We dialed ourselves: remember the endpoint so we never do again.
            if let endpoint = peers.values.first(where: { $0.ourNonce == version.nonce })?.endpoint ?? peer.endpoint {
                addressBook.markOurselves(endpoint)
            }
            logger.info("connected to ourselves; closing", metadata: ["peer": "\(peer.address)"])
            close(id)
            return
        }
        guard version.network == params.networkID, version.genesisHash == genesisHash else {
            // Another network or other parameters: not misbehaviour, just not our chain.
            logger.info("peer is on another chain", metadata: ["peer": "\(peer.address)", "genesis": "\(version.genesisHash)"])
            close(id)
            return
        }
        peers[id]?.version = version
        peers[id]?.bestHeight = version.bestHeight
        peers[id]?.bestWork = version.cumulativeWork
        send(.verack, to: id)
    }

    private func handshakeCompleted(_ id: PeerID) async {
        guard let peer = peers[id] else { return }
        if let endpoint = peer.endpoint { addressBook.succeeded(endpoint, nowMs: Self.nowMs) }
        logger.info("peer connected", metadata: ["peer": "\(peer.address)", "agent": "\(peer.version?.userAgentText ?? "")"])
        if peer.direction == .outbound {
            // The answer may be long: make room for it in the peer's address budget, as Bitcoin Core does.
            peers[id]?.addrTokens = min(Peer.maxAddrTokens, peer.addrTokens + Double(AddrMessage.maxAddresses))
            send(.getAddr, to: id)
        }
        if let advertised = advertisedAddress { send(.addr(AddrMessage(addresses: [advertised])), to: id) }
        await startHeaderSync(with: id)
        requestBlocks()
    }

    /// Our listening address as gossip carries it, when we listen on a specific IPv4 address.
    private var advertisedAddress: PeerAddress? {
        guard let port = boundPort, configuration.bindHost != "0.0.0.0", let octets = PeerAddress.ipv4Octets(configuration.bindHost) else { return nil }
        return PeerAddress(ipv4: octets, port: UInt16(port), lastSeen: Self.nowMs)
    }

    /// Learns addresses as far as the peer's token bucket allows; the rest are dropped unscored (an
    /// honest peer relaying gossip can send more than we take).
    private func receivedAddresses(_ addresses: [PeerAddress], from id: PeerID) {
        guard var peer = peers[id] else { return }
        peer.refillAddrTokens(nowMs: Self.nowMs)
        for address in addresses {
            guard let endpoint = address.endpoint else { continue }
            if addresses.count == 1, endpoint.host == peer.host, peer.listeningEndpoint == nil {
                peer.listeningEndpoint = endpoint
            }
            guard peer.addrTokens >= 1 else {
                peer.addrRateLimited += 1
                continue
            }
            peer.addrTokens -= 1
            addressBook.learn(endpoint, lastSeenMs: address.lastSeen)
        }
        peers[id] = peer
    }

    private func receivedPong(_ pong: PongMessage, from id: PeerID) {
        guard let peer = peers[id], peer.pingNonce == pong.nonce else {
            misbehaved(id, .unrequested("pong"))
            return
        }
        peers[id]?.pingNonce = nil
        peers[id]?.pingRoundTripMs = Double(Self.nowMs - peer.pingSentMs)
    }

    private func sendAddresses(to id: PeerID) {
        let now = Self.nowMs
        var addresses = addressBook.sample(limit: AddrMessage.maxAddresses - 1).compactMap { entry in
            PeerAddress(endpoint: entry.endpoint, lastSeen: entry.lastSeenMs == 0 ? now : entry.lastSeenMs)
        }
        if let advertisedAddress { addresses.append(advertisedAddress) }
        send(.addr(AddrMessage(addresses: addresses)), to: id)
    }

    // MARK: Serving

    private func serveData(_ items: [InventoryItem], to id: PeerID) async {
        var notFound = [InventoryItem]()
        var blocks = 0
        let blocksAsked = items.count { $0.kind == .block }
        if blocksAsked > BlockDownload.maxInFlightPerPeer {
            // Scored once per message, whatever the excess (docs/p2p.md).
            misbehaved(id, .excessiveRequest("\(blocksAsked) blocks in one getdata, more than \(BlockDownload.maxInFlightPerPeer)"))
        }
        for item in items {
            switch item.kind {
            case .block:
                blocks += 1
                guard blocks <= BlockDownload.maxInFlightPerPeer else {
                    notFound.append(item)
                    continue
                }
                enqueue(.storedBlock(item.hash), to: id)
            case .transaction:
                if let entry = await mempool.entry(item.hash) {
                    send(.transaction(TransactionMessage(transaction: entry.transaction)), to: id)
                } else {
                    notFound.append(item)
                }
            }
        }
        if !notFound.isEmpty { send(.notFound(NotFoundMessage(items: notFound)), to: id) }
    }
}
