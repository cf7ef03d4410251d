import EmberCrypto
import EmberWire
import NIOCore

/// What the network knows of one connection.
struct Peer: Sendable {
    let id: PeerID
    let direction: PeerDirection
    /// The other end's IP address: bans apply to it.
    let host: String
    let port: Int
    /// The range `host` belongs to, for inbound limits and eviction.
    let group: NetworkGroup
    /// The endpoint we dialed (outbound only).
    let endpoint: PeerEndpoint?
    /// Where the peer says it listens (its first `addr` naming its own host), so we never dial a peer
    /// that is already connected to us.
    var listeningEndpoint: PeerEndpoint?
    let channel: any Channel
    let outbox: AsyncStream<PeerOutgoing>.Continuation
    let connectedAtMs: UInt64
    /// The nonce of the version we sent on this connection.
    let ourNonce: UInt64

    var version: VersionMessage?
    var verackReceived = false
    var score = 0
    var bestHeight: UInt64 = 0
    var bestWork: [UInt8] = []
    var knownInventory = BoundedRecentSet<Hash32>(capacity: 20_000)
    /// Blocks we asked this peer for lately, so one that arrives after its request moved to another
    /// peer is welcome rather than unrequested.
    var requestedBlocks = BoundedRecentSet<Hash32>(capacity: 1_024)
    /// Transactions we asked this peer for.
    var requestedTransactions = Set<Hash32>()
    var headersRequested = false
    var pingNonce: UInt64?
    var pingSentMs: UInt64 = 0
    var lastPingMs: UInt64
    var pingRoundTripMs: Double?
    /// Requested blocks this peer failed to deliver in time; new requests wait until `stalledUntilMs`.
    var stalls = 0
    var stalledUntilMs: UInt64 = 0
    /// When this peer last gave us a block that connected; 0 if never. Such peers are kept at eviction.
    var lastBlockMs: UInt64 = 0
    /// Addresses from this peer we will still take (a token bucket, as Bitcoin Core's): one to start
    /// with (its own address), `AddrMessage.maxAddresses` more each time we send `getaddr`, and
    /// `addrTokensPerSecond` as time passes, up to `maxAddrTokens`.
    var addrTokens = 1.0
    var addrTokensUpdatedMs: UInt64
    /// Addresses dropped for want of tokens.
    var addrRateLimited = 0

    /// Bounds how fast gossip from one peer can fill our address book.
    static let addrTokensPerSecond = 0.1
    static let maxAddrTokens = Double(AddrMessage.maxAddresses)

    var handshakeComplete: Bool { version != nil && verackReceived }
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    init(
        id: PeerID, direction: PeerDirection, host: String, port: Int, endpoint: PeerEndpoint?, channel: any Channel,
        outbox: AsyncStream<PeerOutgoing>.Continuation, nowMs: UInt64, ourNonce: UInt64
    ) {
        self.id = id
        self.direction = direction
        self.host = host
        self.port = port
        group = NetworkGroup(host: host)
        self.endpoint = endpoint
        self.channel = channel
        self.outbox = outbox
        self.connectedAtMs = nowMs
        self.ourNonce = ourNonce
        self.lastPingMs = nowMs
        addrTokensUpdatedMs = nowMs
    }

    /// Adds the tokens earned since the last update, up to the cap.
    mutating func refillAddrTokens(nowMs: UInt64) {
        let elapsed = nowMs > addrTokensUpdatedMs ? Double(nowMs - addrTokensUpdatedMs) / 1_000 : 0
        addrTokens = min(Self.maxAddrTokens, addrTokens + elapsed * Self.addrTokensPerSecond)
        addrTokensUpdatedMs = nowMs
    }
}
