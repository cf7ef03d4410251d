import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body = request.body {
            urlRequest.httpBody = body
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let apiKey { urlRequest.setValue(apiKey, forHTTPHeaderField: "X-Ember-API-Key") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let collector = BoundedBodyCollector(limit: maxBodySize)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let outcome = await withCheckedContinuation { continuation in
            collector.start(session.dataTask(with: urlRequest), continuation: continuation)
        }
        switch outcome {
        case .success(let response): return response
        case .failure(.unreachable(let reason)): throw .unreachable(url: base, reason: reason)
        case .failure(.bodyTooLarge(let limit)): throw .badResponse(path: request.path, reason: "more than \(limit) bytes")
        }
    }
}

/// Collects one task's body under a limit and reports the outcome once the task completes.
///
/// `Sendable` without `@unchecked`: its only mutable state sits in a `Mutex`.
private final class BoundedBodyCollector: NSObject, URLSessionDataDelegate, Sendable {
    enum Failure: Error {
        case unreachable(String)
        case bodyTooLarge(limit: Int)
    }

    typealias Outcome = Result<NodeAPIResponse, Failure>

    private struct State {
        var body = Data()
        var exceeded = false
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = limit }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<Outcome, Never>) {
        state.withLock { $0.continuation = continuation }
        task.resume()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let exceeded = state.withLock { state in
            guard !state.exceeded else { return true }
            state.body.append(data)
            guard state.body.count > limit else { return false }
            state.exceeded = true
            state.body = Data()
            return true
        }
        if exceeded { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let status = (task.response as? HTTPURLResponse)?.statusCode
        let (continuation, outcome) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Outcome) in
            let continuation = state.continuation
            state.continuation = nil
            if state.exceeded { return (continuation, .failure(.bodyTooLarge(limit: limit))) }
            if let error { return (continuation, .failure(.unreachable(error.localizedDescription))) }
            guard let status else { return (continuation, .failure(.unreachable("no HTTP response"))) }
            return (continuation, .success(NodeAPIResponse(status: status, body: state.body)))
        }
        continuation?.resume(returning: outcome)
    }
}
