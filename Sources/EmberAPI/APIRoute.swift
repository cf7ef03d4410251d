import Hummingbird

/// Every route of the API in one table: the router registers from it and the OpenAPI document is
/// written from it, so the two cannot drift apart.
public struct APIRoute: Sendable {
    public let method: HTTPRequest.Method
    /// The path in OpenAPI form, e.g. `/v1/blocks/{hash}`.
    public let path: String
    public let summary: String
    public let parameters: [String]
    public let requestBody: String?
    public let response: String
    /// Wallet, mining and peer administration routes: they need the API key when the API listens
    /// beyond loopback.
    public let isProtected: Bool
    /// The status of a successful answer.
    public let successStatus: HTTPResponse.Status

    init(
        method: HTTPRequest.Method, path: String, summary: String, parameters: [String], requestBody: String?, response: String,
        isProtected: Bool, successStatus: HTTPResponse.Status = .ok
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.parameters = parameters
        self.requestBody = requestBody
        self.response = response
        self.isProtected = isProtected
        self.successStatus = successStatus
    }

    /// The path in Hummingbird's form, e.g. `/v1/blocks/:hash`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    public static let all: [APIRoute] = [
        APIRoute(method: .get, path: "/v1/info", summary: "Network, tip, difficulty, hash rate, PoLW state and supply", parameters: [], requestBody: nil, response: "NodeInfo", isProtected: false),
        APIRoute(method: .get, path: "/v1/blocks/{hash}", summary: "A block by hash", parameters: ["hash"], requestBody: nil, response: "Block", isProtected: false),
        APIRoute(method: .get, path: "/v1/blocks/height/{height}", summary: "The active chain's block at a height", parameters: ["height"], requestBody: nil, response: "Block", isProtected: false),
        APIRoute(method: .get, path: "/v1/transactions/{txid}", summary: "A confirmed or mempool transaction", parameters: ["txid"], requestBody: nil, response: "Transaction", isProtected: false),
        APIRoute(method: .post, path: "/v1/transactions", summary: "Submit a signed transaction (hex)", parameters: [], requestBody: "HexBody", response: "SubmittedTransaction", isProtected: true),
        APIRoute(method: .get, path: "/v1/addresses/{address}/balance", summary: "Confirmed balance of an address", parameters: ["address"], requestBody: nil, response: "Balance", isProtected: false),
        APIRoute(method: .get, path: "/v1/addresses/{address}/outputs", summary: "Confirmed unspent outputs of an address", parameters: ["address"], requestBody: nil, response: "Outputs", isProtected: false),
        APIRoute(method: .get, path: "/v1/addresses/{address}/history", summary: "Confirmed transactions touching an address, newest first", parameters: ["address"], requestBody: nil, response: "History", isProtected: false),
        APIRoute(method: .get, path: "/v1/locks/{lock}/outputs", summary: "Confirmed unspent outputs under exactly one lock (its canonical encoding in hex)", parameters: ["lock"], requestBody: nil, response: "LockOutputs", isProtected: false),
        APIRoute(method: .get, path: "/v1/blobs/{hash}", summary: "A blob published on the active chain, by its hash", parameters: ["hash"], requestBody: nil, response: "Blob", isProtected: false),
        APIRoute(method: .get, path: "/v1/mempool", summary: "Transactions waiting to be mined, by fee rate", parameters: [], requestBody: nil, response: "Mempool", isProtected: false),
        APIRoute(method: .get, path: "/v1/mining/template", summary: "A block template for an external miner", parameters: [], requestBody: nil, response: "MiningTemplate", isProtected: true),
        APIRoute(method: .post, path: "/v1/mining/submit", summary: "Submit a solved block (hex)", parameters: [], requestBody: "HexBody", response: "BlockSubmission", isProtected: true),
        APIRoute(method: .get, path: "/v1/peers", summary: "Connected peers and bans in force (none without P2P)", parameters: [], requestBody: nil, response: "Peers", isProtected: false),
        APIRoute(method: .post, path: "/v1/peers", summary: "Open an outbound connection to HOST:PORT", parameters: [], requestBody: "PeerConnection", response: "PeerConnection", isProtected: true, successStatus: .accepted),
        APIRoute(method: .delete, path: "/v1/peers/{id}", summary: "Close the connection with a peer", parameters: ["id"], requestBody: nil, response: "NoContent", isProtected: true, successStatus: .noContent),
        APIRoute(method: .post, path: "/v1/bans", summary: "Ban an IP address, closing its connections", parameters: [], requestBody: "Ban", response: "NoContent", isProtected: true, successStatus: .noContent),
        APIRoute(method: .delete, path: "/v1/bans/{host}", summary: "Lift the ban on an IP address", parameters: ["host"], requestBody: nil, response: "NoContent", isProtected: true, successStatus: .noContent),
        APIRoute(method: .get, path: "/v1/openapi.json", summary: "This document", parameters: [], requestBody: nil, response: "OpenAPI", isProtected: false),
        APIRoute(method: .get, path: "/metrics", summary: "Prometheus metrics (text format)", parameters: [], requestBody: nil, response: "Metrics", isProtected: false),
    ]

    /// Routes that change the peer-to-peer network: a node without it answers them with 503.
    var administersPeers: Bool { method != .get && (path.hasPrefix("/v1/peers") || path.hasPrefix("/v1/bans")) }

    /// Whether a request needs the API key. The request path is matched as the router matches it, so
    /// `/v1/peers/7`, `/v1//peers/7/` and `/v1/peers/{id}` are one route, and no spelling of a
    /// protected path slips past the key.
    static func isProtected(method: HTTPRequest.Method, path: String) -> Bool {
        let requested = path.split(separator: "/")
        return all.contains { route in
            guard route.isProtected, route.method == method else { return false }
            let template = route.path.split(separator: "/")
            return template.count == requested.count && zip(template, requested).allSatisfy { part, given in
                (part.hasPrefix("{") && part.hasSuffix("}")) || part == given
            }
        }
    }
}
