import EmberCore

/// One WebSocket to the other side's channel service, either direction. Messages queue in order and
/// one task writes them, so a state's update always precedes the next one on the wire.
public final class PeerLink: Sendable {
    let id: Int
    private let queue: AsyncStream<ChannelMessage>.Continuation

    init(id: Int, queue: AsyncStream<ChannelMessage>.Continuation) {
        self.id = id
        self.queue = queue
    }

    /// Queues `message` for the peer; dropped silently when the link has closed (the channel then
    /// stays at its last co-signed state and both sides sync on the next connection).
    func send(_ message: ChannelMessage) {
        queue.yield(message)
    }

    func close() {
        queue.finish()
    }
}
