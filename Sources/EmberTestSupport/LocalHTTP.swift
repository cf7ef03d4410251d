import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1

/// HTTP requests to a server of the test's own on 127.0.0.1, through AsyncHTTPClient: Linux's
/// `URLSession` now and then aborts the test process (swift-corelibs-foundation issue 3292).
public enum LocalHTTP {
    /// Fails at once on a refused connection, so polling a server that is still starting costs one
    /// poll interval, not a request timeout (the default pool retries until the deadline).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        // A thread of its own, not the process-wide event loops: a server in the same process that keeps
        // one of those busy must not hold up this side's requests.
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1), configuration: configuration)
    }()

    /// Sends one request and returns the status and the body; a body over 64 MiB is an error.
    public static func send(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Duration = .seconds(60)
    ) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }

    /// `GET url`, its status and its body parsed as a JSON object (empty when it is not one).
    public static func getJSON(_ url: String) async throws -> (status: Int, json: [String: Any]) {
        let (status, body) = try await send("GET", url)
        return (status, (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:])
    }
}
