import EmberNode
import Foundation


/// One request to a node's REST API, relative to its base URL.
public struct NodeAPIRequest: Hashable, Sendable {
    public var method: String
    /// The path and query, such as `/v1/blocks/height/7`.
    public var path: String
    /// A JSON body, for POST.
    public var body: Data?

    public init(method: String = "GET", path: String, body: Data? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }
}

/// What the node answered: the status code and the body, already bounded by the transport.
public struct NodeAPIResponse: Hashable, Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Carries requests to a node; tests replace the HTTP transport by a scripted one.
public protocol NodeAPITransport: Sendable {
    /// The node's answer, or `unreachable`/`badResponse` when there is no usable one.
    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse
}

/// HTTP to a node with a bounded response body: the exchange is cancelled as soon as the body grows
/// past the limit, so a faulty or hostile node cannot make a client hold an unbounded reply.
public struct HTTPNodeAPITransport: NodeAPITransport {
    /// Bounds a reply: a 4 MiB block in hex with its JSON fields fits.
    public static let defaultMaxBodySize = 12 * 1024 * 1024

    public let baseURL: URL
    /// Sent as `X-Ember-API-Key` on every request when set (the node needs it on protected routes).
    public let apiKey: String?
    public let timeout: TimeInterval
    public let maxBodySize: Int

    public init(baseURL: URL, apiKey: String? = nil, timeout: TimeInterval = 30, maxBodySize: Int = defaultMaxBodySize) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxBodySize = maxBodySize
    }

    public func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        guard let url = URL(string: base + request.path) else {
            throw .badRequest("the path \(request.path) does not make a URL with \(base)")
        }
        var headers = [("Accept", "application/json")]
        if request.body != nil { headers.append(("Content-Type", "application/json")) }
        if let apiKey { headers.append(("X-Ember-API-Key", apiKey)) }
        do {
            let response = try await WalletHTTPTransport(timeout: timeout, maxBodySize: maxBodySize)
                .send(request.method, url, headers: headers, body: request.body)
            return NodeAPIResponse(status: response.status, body: response.body)
        } catch {
            switch error {
            case .unreachable(let reason): throw .unreachable(url: base, reason: reason)
            case .bodyTooLarge(let limit): throw .badResponse(path: request.path, reason: "more than \(limit) bytes")
            }
        }
    }
}
