import EmberChain
import EmberCrypto
import EmberP2P

/// Everything a node is started with.
public struct NodeConfiguration: Sendable {
    /// The exact folder of this network's database.
    public var dataDir: String
    /// The network and devnet settings asked for; nil to use those saved in the folder.
    public var network: NetworkSettings?
    public var apiHost: String
    public var apiPort: Int
    /// Required on wallet and mining routes; set whenever the API listens beyond loopback.
    public var apiKey: String?
    public var mine: Bool
    /// The key mining pays and burns from (a PoLW coinbase must be signed).
    public var minerKey: SigningKey?
    public var threads: Int
    /// The peer-to-peer listener and the peers to connect to; nil runs the node without networking.
    public var p2p: PeerNetworkSettings?
    /// Side branches forking deeper than this below the tip are refused and pruned (DESIGN.md §11).
    public var maxForkDepth: UInt64

    /// The fork depths a node accepts: below 10 an ordinary short reorganisation is refused and the
    /// node can stay on a branch the network left; above a million side branches are kept practically
    /// for ever and cheap headers can fill the disk.
    public static let maxForkDepthRange: ClosedRange<UInt64> = 10...1_000_000

    public init(
        dataDir: String, network: NetworkSettings?, apiHost: String, apiPort: Int, apiKey: String?, mine: Bool,
        minerKey: SigningKey?, threads: Int, p2p: PeerNetworkSettings? = nil, maxForkDepth: UInt64 = Chain.defaultMaxForkDepth
    ) {
        self.dataDir = dataDir
        self.network = network
        self.apiHost = apiHost
        self.apiPort = apiPort
        self.apiKey = apiKey
        self.mine = mine
        self.minerKey = minerKey
        self.threads = threads
        self.p2p = p2p
        self.maxForkDepth = maxForkDepth
    }

    /// Whether the API listens on loopback only.
    public var isLoopbackOnly: Bool { apiHost == "127.0.0.1" || apiHost == "localhost" || apiHost == "::1" }
}

/// How a node takes part in the peer-to-peer network.
public struct PeerNetworkSettings: Sendable, Equatable {
    /// The address the P2P listener binds to (loopback unless configured otherwise).
    public var bindHost: String
    /// The P2P port: 9270, devnet 19270.
    public var port: Int
    /// `HOST:PORT` of peers to keep outbound connections to.
    public var peers: [String]
    public var maxInbound: Int
    public var maxOutbound: Int
    /// Inbound connections from one IP address (loopback is exempt).
    public var maxInboundPerAddress = PeerNetworkConfiguration.defaultMaxInboundPerAddress
    /// Inbound connections from one IPv4 /16 or IPv6 /32.
    public var maxInboundPerNetworkGroup = PeerNetworkConfiguration.defaultMaxInboundPerNetworkGroup
    /// Bytes of partly received frames all peers may buffer together.
    public var maxBufferedFrameBytes = PeerNetworkConfiguration.defaultMaxBufferedFrameBytes
    /// Dials of gossiped addresses per minute.
    public var maxDialsPerMinute = PeerNetworkConfiguration.defaultMaxDialsPerMinute

    public static let defaultMaxInbound = 64
    public static let defaultMaxOutbound = 8

    public init(
        bindHost: String = "127.0.0.1", port: Int, peers: [String] = [], maxInbound: Int = PeerNetworkSettings.defaultMaxInbound,
        maxOutbound: Int = PeerNetworkSettings.defaultMaxOutbound
    ) {
        self.bindHost = bindHost
        self.port = port
        self.peers = peers
        self.maxInbound = maxInbound
        self.maxOutbound = maxOutbound
    }
}
