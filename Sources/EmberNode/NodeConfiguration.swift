import EmberCrypto

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

    public init(
        dataDir: String, network: NetworkSettings?, apiHost: String, apiPort: Int, apiKey: String?, mine: Bool,
        minerKey: SigningKey?, threads: Int
    ) {
        self.dataDir = dataDir
        self.network = network
        self.apiHost = apiHost
        self.apiPort = apiPort
        self.apiKey = apiKey
        self.mine = mine
        self.minerKey = minerKey
        self.threads = threads
    }

    /// Whether the API listens on loopback only.
    public var isLoopbackOnly: Bool { apiHost == "127.0.0.1" || apiHost == "localhost" || apiHost == "::1" }
}
