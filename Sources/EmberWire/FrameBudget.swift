import NIOCore
import Synchronization

/// The bytes of partly received frames that every connection of a node may buffer together.
///
/// One address could otherwise open many connections and leave a nearly complete 8 MiB frame on each,
/// holding `connections × Frame.maxPayloadSize` bytes of our memory for free. Each connection's
/// `FrameDecoder` reports what it holds; when a report would take the total past `limit`, the
/// connection holding the most is dropped (often the one reporting), so the total never passes the
/// limit and an honest peer's block in flight outlives an attacker's stalled frame.
///
/// `Sendable` without `@unchecked`: its only mutable state sits in a `Mutex`.
public final class FrameBudget: Sendable {
    /// Thrown by a decoder whose connection was dropped to keep the node within its budget; not a
    /// protocol violation, so the peer is disconnected without a score.
    public struct Exceeded: Error, CustomStringConvertible {
        public let limit: Int
        public var description: String { "the node's buffered frame bytes would pass \(limit); this connection held the most" }
    }

    private struct Holder {
        let channel: any Channel
        var bytes: Int
    }

    private struct State {
        var holders: [ObjectIdentifier: Holder] = [:]
        var total = 0
        var peak = 0
        /// Connections dropped to make room and not yet gone: their reports are refused.
        var dropped: Set<ObjectIdentifier> = []
    }

    /// The most bytes all connections may buffer together.
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes of partial frames buffered across connections now.
    public var bufferedBytes: Int { state.withLock { $0.total } }

    /// The most bytes ever buffered at once.
    public var peakBufferedBytes: Int { state.withLock { $0.peak } }

    /// Records that `channel` now buffers `bytes`; false when it must be dropped instead. When another
    /// connection holds more, that one is closed and this one goes on.
    public func hold(_ bytes: Int, for channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        var victims = [any Channel]()
        let allowed = state.withLock { state -> Bool in
            guard !state.dropped.contains(key) else { return false }
            let before = state.holders[key]?.bytes ?? 0
            state.total += bytes - before
            state.holders[key] = Holder(channel: channel, bytes: bytes)
            while state.total > limit {
                // The largest holder goes; `key` itself is among the candidates.
                guard let (largest, holder) = state.holders.max(by: { $0.value.bytes < $1.value.bytes }) else { break }
                state.holders[largest] = nil
                state.total -= holder.bytes
                state.dropped.insert(largest)
                if largest == key { return false }
                victims.append(holder.channel)
            }
            state.peak = max(state.peak, state.total)
            return true
        }
        // Closed outside the lock: a channel on this thread's event loop closes at once, and its
        // decoder's `release` takes the lock again.
        for victim in victims { victim.close(promise: nil) }
        return allowed
    }

    /// The connection is gone: what it held is free.
    public func release(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        state.withLock { state in
            if let holder = state.holders.removeValue(forKey: key) { state.total -= holder.bytes }
            state.dropped.remove(key)
        }
    }
}
