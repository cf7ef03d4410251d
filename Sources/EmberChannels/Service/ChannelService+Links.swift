import EmberCore
import EmberCrypto
import HummingbirdWebSocket
import Logging
import NIOCore

extension ChannelService {
    /// Runs one WebSocket to a peer until it closes: says hello, syncs every channel shared with the
    /// peer, and hands each message to the service in order. Used for inbound and outbound sockets alike.
    nonisolated func runLink(
        messages: AsyncThrowingStream<[UInt8], any Error>, send: @escaping @Sendable ([UInt8]) async throws -> Void, url: String? = nil
    ) async {
        let (queue, continuation) = AsyncStream.makeStream(of: ChannelMessage.self)
        let link = await register(continuation, url: url)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in queue {
                    do {
                        try await send(message.encoded)
                    } catch {
                        break
                    }
                }
            }
            group.addTask {
                do {
                    for try await bytes in messages {
                        let decoded: ChannelMessage
                        do {
                            decoded = try ChannelMessage.decode(peerBytes: bytes)
                        } catch {
                            await self.dropLink(link, reason: "a message that does not decode: \(error)")
                            break
                        }
                        await self.handle(decoded, from: link)
                    }
                } catch {
                    await self.dropLink(link, reason: "\(error)")
                }
                link.close()
            }
        }
        await unregister(link)
    }

    /// Runs a link over a socket Hummingbird accepted.
    nonisolated func runLink(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (messages, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: ChannelMessage.maxSize) {
                        // The channel protocol is binary; a text message ends the link.
                        guard case .binary(let buffer) = message else { break }
                        continuation.yield(Array(buffer: buffer))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            group.addTask {
                await self.runLink(messages: messages, send: { bytes in try await outbound.write(.binary(ByteBuffer(bytes: bytes))) })
            }
            await group.next()
            group.cancelAll()
        }
    }

    func register(_ continuation: AsyncStream<ChannelMessage>.Continuation, url: String?) -> PeerLink {
        nextLinkId += 1
        let link = PeerLink(id: nextLinkId, queue: continuation)
        // The dialing side speaks first; the listening side answers its hello, so nothing the
        // listener sends can arrive mixed with the upgrade's response.
        if let url {
            linkURLs[link.id] = url
            link.send(.hello(network: params.networkID, key: ownKey))
        }
        return link
    }

    func dropLink(_ link: PeerLink, reason: String) {
        logger.warning("closing a peer link: \(reason)")
        link.close()
    }

    func unregister(_ link: PeerLink) {
        link.close()
        linkURLs[link.id] = nil
        guard let key = linkKeys.removeValue(forKey: link.id), links[key]?.id == link.id else { return }
        links.removeValue(forKey: key)
        // Proposals in flight on this link will never be acknowledged here: their payers learn it now,
        // and both sides sync the latest co-signed state on the next connection.
        for (id, record) in records where record.peerKey == key {
            inFlight[id] = nil
            for (_, waiter) in waiters.removeValue(forKey: id) ?? [:] {
                waiter.resume(throwing: ChannelServiceError.peerNotConnected(id))
            }
        }
    }

    /// Connects to the peer service at `url` (ws://host:port/v1/peer), keeping the link up from now on,
    /// and returns the peer's key once it said hello.
    func connect(to url: String) async throws -> RawPublicKey {
        startOutbound(url)
        for _ in 0..<200 {
            if let key = urlKeys[url], links[key] != nil { return key }
            try? await Task.sleep(for: .milliseconds(25))
        }
        throw ChannelServiceError.peerUnreachable(url: url, reason: connectFailures[url] ?? "no hello within 5 s")
    }

    /// Keeps a link to the peer at `url` for as long as the service runs, reconnecting with backoff.
    func startOutbound(_ url: String) {
        guard outboundTasks[url] == nil else { return }
        outboundTasks[url] = Task {
            var delay = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await PeerSocketClient.run(url: url, maxFrameSize: ChannelMessage.maxSize) { messages, send in
                        await self.runLink(messages: messages, send: send, url: url)
                    }
                    delay = .milliseconds(100)
                } catch {
                    self.noteConnectFailure(url, error)
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    func noteConnectFailure(_ url: String, _ error: any Error) {
        connectFailures[url] = "\(error)"
        logger.debug("peer \(url) not reachable: \(error)")
    }

    /// Stops every outbound link (the service is stopping).
    public func stopLinks() {
        for task in outboundTasks.values { task.cancel() }
        outboundTasks = [:]
        for link in links.values { link.close() }
    }

    func link(for record: ChannelRecord) throws(ChannelServiceError) -> PeerLink {
        guard let link = links[record.peerKey] else { throw .peerNotConnected(record.id) }
        return link
    }

    // MARK: - Dispatch

    func handle(_ message: ChannelMessage, from link: PeerLink) async {
        if case .hello(let network, let key) = message {
            guard network == params.networkID else {
                dropLink(link, reason: "the peer is on \(network), this service on \(params.networkID)")
                return
            }
            linkKeys[link.id] = key
            if let url = linkURLs[link.id] {
                urlKeys[url] = key
            } else {
                link.send(.hello(network: params.networkID, key: ownKey))
            }
            links[key] = link
            for (_, record) in records where record.peerKey == key {
                if let state = latest[record.id] { link.send(.sync(state)) }
            }
            return
        }
        guard let peer = linkKeys[link.id] else {
            dropLink(link, reason: "a message before hello")
            return
        }
        switch message {
        case .hello:
            break
        case .update(let state, let signature):
            receiveUpdate(state, signature: signature, from: peer, link: link)
            await guardLatest(state.channelId)
        case .ack(let channel, let version, let signature):
            await receiveAck(channel: channel, version: version, signature: signature, from: peer)
            await guardLatest(channel)
        case .updateBatch(let proposals):
            receiveUpdateBatch(proposals, from: peer, link: link)
            if let channel = proposals.first?.state.channelId { await guardLatest(channel) }
        case .ackBatch(let channel, let firstVersion, let signatures):
            await receiveAckBatch(channel: channel, firstVersion: firstVersion, signatures: signatures, from: peer)
            await guardLatest(channel)
        case .refuse(let channel, let version, let reason):
            receiveRefusal(channel: channel, version: version, reason: reason, from: peer)
        case .sync(let coSigned):
            await receiveSync(coSigned, from: peer)
            await guardLatest(coSigned.state.channelId)
        case .openRequest(let request):
            await receiveOpenRequest(request, from: peer, link: link)
        case .openFunding(let proposal, let funding, let refund, let signature):
            await receiveFunding(proposal: proposal, funding: funding, refund: refund, signature: signature, from: peer, link: link)
        case .openAccept(let proposal, _), .openSigned(let proposal, _, _):
            openWaiters.removeValue(forKey: proposal)?.resume(returning: message)
        case .closeRequest(let channel, _):
            link.send(.refuse(channel: channel, version: 0, reason: "this service closes with a co-signed final state (conclude), not a signed transaction"))
        case .closeSigned:
            break
        }
    }
}

extension ChannelService {
    /// After a start: dials again every peer this side opened a channel with; the others dial us.
    public func resume() {
        for record in records.values where record.status != .closed {
            if let url = record.peerURL { startOutbound(url) }
        }
    }
}
