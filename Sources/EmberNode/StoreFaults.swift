import Synchronization

/// The first store failure a node met, kept so that the node's loops can stop on it however deep in
/// the chain, the network or the API it happened.
final class StoreFaults: Sendable {
    private let first = Mutex<NodeFailure?>(nil)
    private let stream: AsyncStream<NodeFailure>
    private let continuation: AsyncStream<NodeFailure>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: NodeFailure.self, bufferingPolicy: .bufferingOldest(1))
    }

    /// The failure recorded first, if any.
    var failure: NodeFailure? { first.withLock { $0 } }

    /// Records `failure` unless one is recorded already; only the first wakes `firstFailure()`.
    func record(_ failure: NodeFailure) {
        let isFirst = first.withLock { (recorded) -> Bool in
            guard recorded == nil else { return false }
            recorded = failure
            return true
        }
        guard isFirst else { return }
        continuation.yield(failure)
        continuation.finish()
    }

    /// Waits for the first failure; nil when the waiting task is cancelled first. One waiter only.
    func firstFailure() async -> NodeFailure? {
        for await failure in stream { return failure }
        return nil
    }
}
