import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1

/// One HTTP exchange with a bounded response body: reading stops as soon as the body grows past the
/// limit, so a faulty or hostile node cannot make a wallet or a layer-2 client hold an unbounded reply.
/// The wallet, `EmberLayer2`'s node client, the channel commands and the tower client all use it.
///
/// It runs on AsyncHTTPClient rather than `URLSession`: swift-corelibs-foundation's `URLSession`
/// aborts the process now and then on Linux ("Trying to access a behaviour for a task that in not in
/// the registry", swift-corelibs-foundation issue 3292), which killed a test run mid-suite.
public struct WalletHTTPTransport: Sendable {
    /// What came back: the status code and the body.
    public struct Response: Sendable {
        public let status: Int
        public let body: Data
    }

    public enum Failure: Error {
        case unreachable(String)
        case bodyTooLarge(limit: Int)
    }

    public let timeout: TimeInterval
    public let maxBodySize: Int

    public init(timeout: TimeInterval, maxBodySize: Int) {
        self.timeout = timeout
        self.maxBodySize = maxBodySize
    }

    /// Sends one request to `url` and reads the whole answer, within `timeout` seconds.
    /// - Parameter headers: name and value pairs, sent as given.
    public func send(
        _ method: String = "GET", _ url: URL, headers: [(String, String)] = [], body: Data? = nil
    ) async throws(Failure) -> Response {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .milliseconds(Int64((timeout * 1_000).rounded()))
        do {
            let response = try await Self.client.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: maxBodySize)
            return Response(status: Int(response.status.code), body: Data(bytes.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge(limit: maxBodySize)
        } catch {
            throw .unreachable(Self.describe(error))
        }
    }

    /// One client for the process, never shut down (as `HTTPClient.shared` is), that reports a refused
    /// connection at once: the default pool retries connecting until the request's deadline, so a
    /// command aimed at a node that is not running would wait its whole timeout before saying so.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        // A thread of its own, not the process-wide event loops: a server in the same process that keeps
        // one of those busy must not hold up this side's requests.
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1), configuration: configuration)
    }()

    /// AsyncHTTPClient's errors print as type names; say what happened in words where we can.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "the connection timed out"
            case .deadlineExceeded, .readTimeout: return "no answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return "\(error)"
            }
        }
        // A refused or reset connection: the system's words ("Connection refused") say it best.
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }
}
