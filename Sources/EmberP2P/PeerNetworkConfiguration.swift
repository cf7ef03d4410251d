import EmberWire

/// How the network behaves: where it listens, whom it dials, its limits and its timeouts.
public struct PeerNetworkConfiguration: Sendable {
    /// The address the listener binds to.
    public var bindHost: String
    /// The listening port; 0 lets the system choose (tests).
    public var port: Int
    /// Peers to keep outbound connections to, whatever gossip says.
    public var peers: [PeerEndpoint]
    public var maxInbound: Int
    public var maxOutbound: Int
    /// Version and verack must both arrive within this time of connecting.
    public var handshakeTimeoutMs: UInt64
    public var pingIntervalMs: UInt64
    /// A ping not answered within this time closes the connection.
    public var pingTimeoutMs: UInt64
    /// A requested block not delivered within this time goes to another peer and costs the slow one.
    public var blockStallTimeoutMs: UInt64
    /// How long a ban lasts (default 24 hours).
    public var banDurationMs: UInt64
    /// Where bans are kept across restarts; nil keeps them in memory only.
    public var banListPath: String?
    public var userAgent: String
    /// How often timeouts, dialing and progress are looked at.
    public var tickIntervalMs: UInt64
    /// Told at every tick how many blocks the best known header is ahead of the tip, so the node can
    /// write blocks in batches while far behind and each block as it comes once caught up.
    public var blocksBehindObserver: (@Sendable (UInt64) -> Void)?

    public static let defaultBanDurationMs: UInt64 = 24 * 3_600 * 1_000

    public init(
        bindHost: String = "127.0.0.1", port: Int, peers: [PeerEndpoint] = [], maxInbound: Int = 64, maxOutbound: Int = 8,
        handshakeTimeoutMs: UInt64 = 10_000, pingIntervalMs: UInt64 = 30_000, pingTimeoutMs: UInt64 = 20_000,
        blockStallTimeoutMs: UInt64 = 20_000, banDurationMs: UInt64 = PeerNetworkConfiguration.defaultBanDurationMs,
        banListPath: String? = nil, userAgent: String = "ember/0.1", tickIntervalMs: UInt64 = 500,
        blocksBehindObserver: (@Sendable (UInt64) -> Void)? = nil
    ) {
        self.bindHost = bindHost
        self.port = port
        self.peers = peers
        self.maxInbound = maxInbound
        self.maxOutbound = maxOutbound
        self.handshakeTimeoutMs = handshakeTimeoutMs
        self.pingIntervalMs = pingIntervalMs
        self.pingTimeoutMs = pingTimeoutMs
        self.blockStallTimeoutMs = blockStallTimeoutMs
        self.banDurationMs = banDurationMs
        self.banListPath = banListPath
        self.userAgent = userAgent
        self.tickIntervalMs = tickIntervalMs
        self.blocksBehindObserver = blocksBehindObserver
    }
}
