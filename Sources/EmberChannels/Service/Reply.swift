/// One answer awaited from a peer: resumed once by whoever receives it, awaited once by whoever asked.
///
/// Built on an async stream rather than a task continuation, so resuming it twice (an ack racing a
/// disconnect) is harmless rather than a crash.
final class Reply<Value: Sendable>: Sendable {
    private let stream: AsyncThrowingStream<Value, any Error>
    private let continuation: AsyncThrowingStream<Value, any Error>.Continuation

    init() {
        (stream, continuation) = AsyncThrowingStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(1))
    }

    func resume(returning value: Value) {
        continuation.yield(value)
        continuation.finish()
    }

    func resume(throwing error: any Error) {
        continuation.finish(throwing: error)
    }

    /// The answer; throws the error it was resumed with, or `CancellationError` if it never comes.
    func value() async throws -> Value {
        for try await value in stream { return value }
        throw CancellationError()
    }
}
