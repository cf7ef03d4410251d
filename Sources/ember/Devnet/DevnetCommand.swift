import ArgumentParser
import EmberCrypto
import EmberNode
import Foundation

/// `ember devnet`: a mining devnet node in one command, or a cluster of them with `--nodes`.
struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Start a local devnet node that mines on all cores, with its API on 127.0.0.1:19271.",
        discussion: """
            With --nodes N (up to 16), starts N `ember node --network devnet` processes sharing one genesis: \
            node i keeps its data in DATA-DIR/node-i (DATA-DIR defaults to ./.ember/devnet-nodes), listens \
            for P2P on P2P-PORT + 10·i and serves its API on API-PORT + 10·i, and connects to node i−1 and \
            node 0. Only node 0 mines unless --all-mine; each node mines on one thread unless --threads. \
            Ctrl-C or SIGTERM stops them all.
            """
    )

    /// Nodes in one cluster at most: each needs its own ports, folder and share of the cores.
    static let maxNodes = 16
    /// Node i of a cluster listens on the base ports plus this times i.
    static let portStride = 10

    @Option(help: "The devnet's data folder (default ./.ember/devnet); with --nodes, the folder of node-0, node-1, … (default ./.ember/devnet-nodes).")
    var dataDir: String?

    @Option(help: "Mining threads (default: every core; with --nodes, 1 per node).")
    var threads: Int?

    @Option(help: "API port (with --nodes, node i's is this + 10·i).")
    var apiPort: Int = 19_271

    @OptionGroup var connection: PeerConnectionOptions

    @Option(help: "How many devnet nodes to start, 1…16, each a process of its own.")
    var nodes: Int = 1

    @Flag(help: "With --nodes, every node mines, not only node 0.")
    var allMine = false

    @OptionGroup var devnet: DevnetConsensusOptions

    func run() async throws {
        try connection.checkConsistent()
        guard (1...Self.maxNodes).contains(nodes) else { throw commandFailure("--nodes must be 1…\(Self.maxNodes)") }
        if nodes > 1 { return try await runCluster() }
        let settings: NetworkSettings? = devnet.isEmpty ? nil : devnet.settings(network: "devnet")
        let p2p = connection.noP2P ? nil : PeerNetworkSettings(port: connection.p2pPort ?? 19_270, peers: connection.peers)
        let configuration = NodeConfiguration(
            dataDir: dataDir ?? "./.ember/devnet", network: settings, apiHost: "127.0.0.1", apiPort: apiPort, apiKey: nil, mine: true,
            minerKey: SigningKey.devnet(index: 0), threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, p2p: p2p)
        try await NodeRunner.run(configuration)
    }

    private func runCluster() async throws {
        if connection.noP2P { throw commandFailure("--no-p2p would leave the nodes of --nodes \(nodes) unconnected: drop one of them") }
        if let peer = connection.peers.first(where: { !PeerNetworkSettings.isWellFormedPeer($0) }) {
            throw commandFailure("--peer \(peer) is not \(PeerNetworkSettings.peerForm)")
        }
        let p2pBase = connection.p2pPort ?? 19_270
        let lastOffset = Self.portStride * (nodes - 1)
        for (name, base) in [("--api-port", apiPort), ("--p2p-port", p2pBase)] where !(1...(65_535 - lastOffset)).contains(base) {
            throw commandFailure("\(name) must be 1…\(65_535 - lastOffset) so that all \(nodes) nodes get a port")
        }
        if abs(apiPort - p2pBase) % Self.portStride == 0 && abs(apiPort - p2pBase) <= lastOffset {
            throw commandFailure("--api-port and --p2p-port would give two nodes the same port: make them differ by a number not a multiple of \(Self.portStride)")
        }
        let threadsPerNode = threads ?? 1
        guard (1...1_024).contains(threadsPerNode) else { throw commandFailure("--threads must be 1…1024") }
        guard let executable = OwnExecutable.url() else { throw commandFailure("cannot find the running ember executable to start the nodes") }
        let launcher = DevnetClusterLauncher(
            executable: executable, baseFolder: dataDir ?? "./.ember/devnet-nodes", count: nodes, apiBasePort: apiPort,
            p2pBasePort: p2pBase, portStride: Self.portStride, allMine: allMine, threads: threadsPerNode,
            extraPeers: connection.peers, consensusArguments: devnet.arguments)
        try await launcher.run()
    }
}
