import EmberAPI
import EmberP2P
import EmberWire

/// The API's view of the node's peer network.
struct PeerNetworkAdministration: PeerAdministration {
    let network: PeerNetwork

    func peers() async throws -> PeersView {
        let peers = await network.snapshot().map { peer in
            PeerView(
                id: peer.id, address: peer.address, direction: peer.direction.rawValue, handshakeComplete: peer.handshakeComplete,
                userAgent: peer.userAgent, bestHeight: peer.bestHeight, score: peer.score, blocksInFlight: peer.blocksInFlight,
                pingMs: peer.pingMs, connectedAtMs: peer.connectedAtMs)
        }
        let bans = await network.bans().map { BanView(host: $0.host, untilMs: $0.untilMs, reason: $0.reason) }
        return PeersView(peers: peers, bans: bans)
    }

    func connect(to endpoint: String) async throws {
        guard let parsed = PeerEndpoint(endpoint) else {
            throw APIError(.badRequest, "bad request", detail: "address must be HOST:PORT or [IPv6]:PORT, not \(endpoint)")
        }
        await network.connect(to: parsed)
    }

    func disconnect(peerID id: UInt64) async throws -> Bool {
        await network.disconnect(id)
    }

    func ban(host: String, seconds: UInt64?, reason: String?) async throws {
        await network.ban(host: host, seconds: seconds, reason: reason ?? "banned by the operator")
    }

    func unban(host: String) async throws -> Bool {
        try await network.unban(host: host)
    }
}
