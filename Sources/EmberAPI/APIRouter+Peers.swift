import EmberWire
import Hummingbird

extension APIRouter {
    /// Bounds a peer administration body: an address, a host and a reason fit in far less.
    static let maxPeerAdministrationBody = 4 * 1_024
    /// Bounds a ban's reason, which the node keeps and shows in `GET /v1/peers`.
    static let maxBanReasonLength = 200

    static let withoutNetworking = ServiceUnavailable(reason: "this node runs without peer-to-peer networking")

    /// `/v1/peers` and `/v1/bans`: reads answer with no peers when the node runs without networking,
    /// changes answer 503.
    static func handlePeerRoute(
        _ route: APIRoute, request: Request, context: BasicRequestContext, peers: (any PeerAdministration)?
    ) async throws -> Response {
        if route.method == .get {
            return try json(await peers?.peers() ?? PeersView(peers: [], bans: []))
        }
        guard let peers else { throw withoutNetworking }
        switch (route.method, route.path) {
        case (.post, "/v1/peers"):
            let body = try await jsonBody(
                PeerConnectionBody.self, from: request, limit: maxPeerAdministrationBody, shape: "{\"address\": \"HOST:PORT\"}")
            guard let endpoint = PeerEndpoint(body.address) else {
                throw APIError.badRequest("address \"\(body.address)\" is not \(PeerEndpoint.expectedForm)")
            }
            try await peers.connect(to: endpoint.description)
            return try json(PeerConnectionBody(address: endpoint.description), status: route.successStatus)
        case (.delete, "/v1/peers/{id}"):
            guard let text = context.parameters.get("id"), let id = UInt64(text) else {
                throw APIError.badRequest("id must be a whole number, as listed by GET /v1/peers")
            }
            guard try await peers.disconnect(peerID: id) else { throw APIError.notFound("no connected peer \(id)") }
            return Response(status: route.successStatus)
        case (.post, "/v1/bans"):
            let body = try await jsonBody(
                BanBody.self, from: request, limit: maxPeerAdministrationBody,
                shape: "{\"host\": \"IP\", \"seconds\": N (optional), \"reason\": \"...\" (optional)}")
            guard PeerEndpoint.isIPAddress(body.host) else {
                throw APIError.badRequest("host \"\(body.host)\" must be an IPv4 or IPv6 address, without port or brackets")
            }
            if body.seconds == 0 { throw APIError.badRequest("seconds must be at least 1, or absent for the node's default") }
            if let reason = body.reason, reason.count > maxBanReasonLength {
                throw APIError.badRequest("reason must be at most \(maxBanReasonLength) characters")
            }
            try await peers.ban(host: body.host, seconds: body.seconds, reason: body.reason)
            return Response(status: route.successStatus)
        case (.delete, "/v1/bans/{host}"):
            guard let host = context.parameters.get("host"), PeerEndpoint.isIPAddress(host) else {
                throw APIError.badRequest("host must be an IPv4 or IPv6 address")
            }
            guard try await peers.unban(host: host) else { throw APIError.notFound("\(host) is not banned") }
            return Response(status: route.successStatus)
        default:
            throw APIError.notFound("no handler for \(route.method) \(route.path)")
        }
    }
}
