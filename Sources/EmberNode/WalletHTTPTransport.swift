import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with a bounded response body: the task is cancelled as soon as the body grows
/// past the limit, so a faulty or hostile node cannot make a wallet or a layer-2 client hold an
/// unbounded reply. The wallet and `EmberLayer2`'s node client both use it.
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

    public func send(_ request: URLRequest) async throws(Failure) -> Response {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let collector = BoundedBodyCollector(limit: maxBodySize)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let outcome = await withCheckedContinuation { continuation in
            collector.start(session.dataTask(with: request), continuation: continuation)
        }
        return try outcome.get()
    }
}

/// Collects one task's body under a limit and reports the outcome once the task completes.
private final class BoundedBodyCollector: NSObject, URLSessionDataDelegate, Sendable {
    typealias Outcome = Result<WalletHTTPTransport.Response, WalletHTTPTransport.Failure>

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
            return (continuation, .success(.init(status: status, body: state.body)))
        }
        continuation?.resume(returning: outcome)
    }
}
