import EmberCrypto
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
    /// Inbound connections from one IP address, so one host cannot take every slot.
    public var maxInboundPerAddress: Int
    /// Inbound connections from one network group (an IPv4 /16, an IPv6 /32), so one provider's range
    /// cannot either.
    public var maxInboundPerNetworkGroup: Int
    /// Hosts exempt from the two limits above: the node's own machine by default, where a devnet
    /// cluster, a benchmark or a local proxy all connect from one address. Eviction still applies.
    public var unlimitedHosts: Set<String>
    /// Bytes of partly received frames all connections may buffer together; past it the connection
    /// holding the most is dropped.
    public var maxBufferedFrameBytes: Int
    /// Dials of addresses learnt from gossip per minute (configured peers are not counted), so `addr`
    /// messages cannot make the node connect to whomever they name.
    public var maxDialsPerMinute: Int
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
    /// Asked before every outbound connection attempt; false makes the attempt fail without connecting.
    /// Tests count dials with it without sending traffic anywhere.
    public var dialObserver: (@Sendable (PeerEndpoint) -> Bool)?
    /// Told of each block from a peer whose body checks (tier 3: Merkle root, every signature) start.
    /// Tests count signature work with it.
    public var bodyCheckObserver: (@Sendable (Hash32) -> Void)?

    public static let defaultBanDurationMs: UInt64 = 24 * 3_600 * 1_000
    public static let defaultMaxInboundPerAddress = 8
    public static let defaultMaxInboundPerNetworkGroup = 16
    /// Room for several peers' blocks in flight at once, far below `maxInbound` stalled 8 MiB frames.
    public static let defaultMaxBufferedFrameBytes = 64 * 1_024 * 1_024
    public static let defaultMaxDialsPerMinute = 12

    public init(
        bindHost: String = "127.0.0.1", port: Int, peers: [PeerEndpoint] = [], maxInbound: Int = 64, maxOutbound: Int = 8,
        handshakeTimeoutMs: UInt64 = 10_000, pingIntervalMs: UInt64 = 30_000, pingTimeoutMs: UInt64 = 20_000,
        blockStallTimeoutMs: UInt64 = 20_000, banDurationMs: UInt64 = PeerNetworkConfiguration.defaultBanDurationMs,
        banListPath: String? = nil, userAgent: String = "ember/0.1", tickIntervalMs: UInt64 = 500,
        blocksBehindObserver: (@Sendable (UInt64) -> Void)? = nil,
        maxInboundPerAddress: Int = PeerNetworkConfiguration.defaultMaxInboundPerAddress,
        maxInboundPerNetworkGroup: Int = PeerNetworkConfiguration.defaultMaxInboundPerNetworkGroup,
        unlimitedHosts: Set<String> = ["127.0.0.1", "::1"],
        maxBufferedFrameBytes: Int = PeerNetworkConfiguration.defaultMaxBufferedFrameBytes,
        maxDialsPerMinute: Int = PeerNetworkConfiguration.defaultMaxDialsPerMinute
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
        self.maxInboundPerAddress = maxInboundPerAddress
        self.maxInboundPerNetworkGroup = maxInboundPerNetworkGroup
        self.unlimitedHosts = unlimitedHosts
        self.maxBufferedFrameBytes = maxBufferedFrameBytes
        self.maxDialsPerMinute = maxDialsPerMinute
    }
}
