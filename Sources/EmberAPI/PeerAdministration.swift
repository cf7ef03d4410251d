/// What the API needs to show and steer the node's peer-to-peer network. EmberNode adapts its peer
/// manager to it; a node without networking answers with no peers and refuses the changes.
public protocol PeerAdministration: Sendable {
    /// The connected peers and the bans in force.
    func peers() async throws -> PeersView
    /// Starts an outbound connection to `endpoint` (`HOST:PORT`); a malformed endpoint is an
    /// `APIError.badRequest`.
    func connect(to endpoint: String) async throws
    /// Closes the connection with the peer `id`; false when no such peer is connected.
    func disconnect(peerID id: UInt64) async throws -> Bool
    /// Bans `host` (an IP address) for `seconds` (the node's default when nil), closing its connections.
    func ban(host: String, seconds: UInt64?, reason: String?) async throws
    /// Lifts the ban on `host`; false when it was not banned.
    func unban(host: String) async throws -> Bool
}

/// `GET /v1/peers`.
public struct PeersView: Codable, Sendable, Equatable {
    public var peers: [PeerView]
    public var bans: [BanView]

    public init(peers: [PeerView], bans: [BanView]) {
        self.peers = peers
        self.bans = bans
    }
}

/// One connected peer.
public struct PeerView: Codable, Sendable, Equatable {
    public var id: UInt64
    /// `HOST:PORT` of the other end of the connection.
    public var address: String
    /// `inbound` or `outbound`.
    public var direction: String
    /// Whether version and verack have both been exchanged.
    public var handshakeComplete: Bool
    public var userAgent: String
    /// The best height the peer has told us of (its version message, then its announcements).
    public var bestHeight: UInt64
    /// Misbehaviour points so far; the peer is banned at 100.
    public var score: Int
    /// Blocks we asked this peer for and still wait for.
    public var blocksInFlight: Int
    /// The last ping's round trip, in milliseconds.
    public var pingMs: Double?
    /// When the connection opened, in milliseconds since the Unix epoch.
    public var connectedAtMs: UInt64

    public init(
        id: UInt64, address: String, direction: String, handshakeComplete: Bool, userAgent: String, bestHeight: UInt64,
        score: Int, blocksInFlight: Int, pingMs: Double?, connectedAtMs: UInt64
    ) {
        self.id = id
        self.address = address
        self.direction = direction
        self.handshakeComplete = handshakeComplete
        self.userAgent = userAgent
        self.bestHeight = bestHeight
        self.score = score
        self.blocksInFlight = blocksInFlight
        self.pingMs = pingMs
        self.connectedAtMs = connectedAtMs
    }
}

/// One ban in force.
public struct BanView: Codable, Sendable, Equatable {
    public var host: String
    /// When the ban ends, in milliseconds since the Unix epoch.
    public var untilMs: UInt64
    public var reason: String

    public init(host: String, untilMs: UInt64, reason: String) {
        self.host = host
        self.untilMs = untilMs
        self.reason = reason
    }
}
