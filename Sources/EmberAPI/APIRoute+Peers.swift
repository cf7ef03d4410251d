import EmberWire
import Hummingbird

extension APIRoute {
    /// Bounds a peer administration body: an address, a host and a reason fit in far less.
    static let maxPeerAdministrationBody = 4 * 1_024
    /// Bounds a ban's reason, which the node keeps and shows in `GET /v1/peers`.
    static let maxBanReasonLength = 200

    static let withoutNetworking = ServiceUnavailable(reason: "this node runs without peer-to-peer networking")

    /// `/v1/peers` and `/v1/bans`: reads answer with no peers when the node runs without networking,
    /// changes answer 503.
    static let peerRoutes: [APIRoute] = [
        .json(.get, "/v1/peers", "Connected peers and bans in force (none without P2P)") { request in
            try await request.backend.peerAdministration?.peers() ?? PeersView(peers: [], bans: [])
        },
        .json(
            .post, "/v1/peers", "Open an outbound connection to HOST:PORT",
            body: Body(type: PeerConnectionBody.self, limit: maxPeerAdministrationBody), isProtected: true, successStatus: .accepted,
            mayBeUnavailable: true
        ) { request in
            let peers = try administration(request)
            let body = try await request.body(PeerConnectionBody.self)
            guard let endpoint = PeerEndpoint(body.address) else {
                throw APIError.badRequest("address \"\(body.address)\" is not \(PeerEndpoint.expectedForm)")
            }
            try await peers.connect(to: endpoint.description)
            return PeerConnectionBody(address: endpoint.description)
        },
        .noContent(.delete, "/v1/peers/{id}", "Close the connection with a peer", isProtected: true, mayBeUnavailable: true) { request in
            let peers = try administration(request)
            let id = try request.parameter(PathParameters.id)
            guard try await peers.disconnect(peerID: id) else { throw APIError.notFound("no connected peer \(id)") }
        },
        .noContent(
            .post, "/v1/bans", "Ban an IP address, closing its connections", body: Body(type: BanBody.self, limit: maxPeerAdministrationBody),
            isProtected: true, mayBeUnavailable: true
        ) { request in
            let peers = try administration(request)
            let body = try await request.body(BanBody.self)
            guard PeerEndpoint.isIPAddress(body.host) else {
                throw APIError.badRequest("host \"\(body.host)\" must be an IPv4 or IPv6 address, without port or brackets")
            }
            if body.seconds == 0 { throw APIError.badRequest("seconds must be at least 1, or absent for the node's default") }
            if let reason = body.reason, reason.count > maxBanReasonLength {
                throw APIError.badRequest("reason must be at most \(maxBanReasonLength) characters")
            }
            try await peers.ban(host: body.host, seconds: body.seconds, reason: body.reason)
        },
        .noContent(.delete, "/v1/bans/{host}", "Lift the ban on an IP address", isProtected: true, mayBeUnavailable: true) { request in
            let peers = try administration(request)
            let host = try request.parameter(PathParameters.host)
            guard try await peers.unban(host: host) else { throw APIError.notFound("\(host) is not banned") }
        },
    ]

    /// The node's peer network, or a 503 when it runs without one.
    private static func administration(_ request: APIRequest) throws -> any PeerAdministration {
        guard let peers = request.backend.peerAdministration else { throw withoutNetworking }
        return peers
    }
}
