import EmberWire

/// The peers we may dial: the configured ones, kept for ever, and those learnt from `addr` gossip,
/// bounded. Each failed attempt doubles the wait before the next one, up to a minute.
struct AddressBook: Sendable {
    struct Entry: Sendable {
        var endpoint: PeerEndpoint
        var isConfigured: Bool
        var failures = 0
        var nextAttemptMs: UInt64 = 0
        var lastSeenMs: UInt64
    }

    static let maxLearnt = 2_000
    static let baseRetryMs: UInt64 = 1_000
    static let maxRetryMs: UInt64 = 60_000

    private(set) var entries: [PeerEndpoint: Entry] = [:]
    /// Endpoints that turned out to be this node itself.
    private(set) var ourselves: Set<PeerEndpoint> = []

    mutating func addConfigured(_ endpoint: PeerEndpoint) {
        entries[endpoint] = Entry(endpoint: endpoint, isConfigured: true, lastSeenMs: 0)
    }

    /// Adds an address a peer told us of; the oldest learnt one makes room when the book is full.
    mutating func learn(_ endpoint: PeerEndpoint, lastSeenMs: UInt64) {
        guard !ourselves.contains(endpoint) else { return }
        if var known = entries[endpoint] {
            known.lastSeenMs = max(known.lastSeenMs, lastSeenMs)
            entries[endpoint] = known
            return
        }
        if entries.values.filter({ !$0.isConfigured }).count >= Self.maxLearnt,
           let oldest = entries.values.filter({ !$0.isConfigured }).min(by: { $0.lastSeenMs < $1.lastSeenMs }) {
            entries[oldest.endpoint] = nil
        }
        entries[endpoint] = Entry(endpoint: endpoint, isConfigured: false, lastSeenMs: lastSeenMs)
    }

    mutating func markOurselves(_ endpoint: PeerEndpoint) {
        ourselves.insert(endpoint)
        entries[endpoint] = nil
    }

    /// A connection to `endpoint` failed or closed: wait longer before the next attempt.
    mutating func failed(_ endpoint: PeerEndpoint, nowMs: UInt64) {
        guard var entry = entries[endpoint] else { return }
        entry.failures = min(entry.failures + 1, 16)
        let delay = min(Self.maxRetryMs, Self.baseRetryMs << UInt64(min(entry.failures - 1, 10)))
        entry.nextAttemptMs = nowMs + delay
        entries[endpoint] = entry
    }

    /// A handshake with `endpoint` succeeded: it is good again.
    mutating func succeeded(_ endpoint: PeerEndpoint, nowMs: UInt64) {
        guard var entry = entries[endpoint] else { return }
        entry.failures = 0
        entry.nextAttemptMs = nowMs + Self.baseRetryMs
        entry.lastSeenMs = nowMs
        entries[endpoint] = entry
    }

    /// Endpoints due for an attempt, configured ones first.
    func due(nowMs: UInt64) -> [Entry] {
        entries.values.filter { $0.nextAttemptMs <= nowMs }
            .sorted { ($0.isConfigured ? 0 : 1, $0.failures) < ($1.isConfigured ? 0 : 1, $1.failures) }
    }

    /// How many addresses gossip taught us.
    var learntCount: Int { entries.values.count { !$0.isConfigured } }

    /// Up to `limit` endpoints to tell a peer of, most recently seen first.
    func sample(limit: Int) -> [Entry] {
        Array(entries.values.sorted { $0.lastSeenMs > $1.lastSeenMs }.prefix(limit))
    }
}
