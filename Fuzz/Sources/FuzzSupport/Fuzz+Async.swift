import Dispatch

extension Fuzz {
    /// The result of `operation`, run to its end from libFuzzer's synchronous callback: for decoders only
    /// reachable through an async API (a client over a transport that answers at once).
    public static func wait<Value: Sendable>(for operation: @escaping @Sendable () async -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox<Value>()
        Task.detached {
            result.value = await operation()
            done.signal()
        }
        done.wait()
        // The semaphore orders the task's write before this read.
        return result.value!
    }
}

/// Carries a value out of the task `Fuzz.wait` starts. Unchecked, and safe: the task writes `value` once,
/// then signals the semaphore, and the only read is by the waiting thread after that signal.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
