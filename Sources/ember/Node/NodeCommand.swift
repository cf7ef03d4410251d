import ArgumentParser
import EmberChain
import EmberCrypto
import EmberNode
import Foundation
import Logging

/// `ember node`: a full node for any network.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a node: chain on SQLite, mempool, REST API, and optionally a miner."
    )

    @Option(help: "A JSON file with any of these options (command-line options win).")
    var config: String?

    @Option(help: "The exact folder of this network's database (default ./.ember/NETWORK).")
    var dataDir: String?

    @Option(help: "Address the API listens on (default 127.0.0.1; anything else needs --api-key).")
    var apiBind: String?

    @Option(help: "API port (default 9271; devnet 19271).")
    var apiPort: Int?

    @Option(help: "Required on wallet and mining routes; needed when --api-bind is not loopback.")
    var apiKey: String?

    @Flag(help: "Mine blocks.")
    var mine = false

    @Option(help: "Keystore of the key mining pays and burns from (devnet: seed key 0 unless given).")
    var minerKey: String?

    @Option(help: "Mining threads (default: every core).")
    var threads: Int?

    @Option(help: "Side branches forking deeper than this many blocks below the tip are refused and pruned (default 1000).")
    var maxForkDepth: UInt64?

    @OptionGroup var networkOptions: NetworkOptions
    @OptionGroup var peerNetwork: NodePeerNetworkOptions
    @OptionGroup var passphrase: WalletPassphraseOptions

    func run() async throws {
        let file = try ConfigFile.load(config)
        var settings = networkOptions.requested
        if settings == nil, let network = file.network {
            settings = NetworkSettings(
                network: network, blockTimeMs: file.blockTimeMs, maxTargetZeros: file.maxTargetZeros,
                polwThresholdHashRate: file.polwThresholdHashRate, coinbaseLockupMs: file.lockupMs)
        }
        let networkName = settings?.network ?? "devnet"
        let defaultPort = networkName == "devnet" ? 19_271 : 9_271
        let key = try loadMinerKey(path: minerKey ?? file.minerKey, network: networkName)
        let configuration = NodeConfiguration(
            dataDir: dataDir ?? file.dataDir ?? "./.ember/\(networkName)", network: settings,
            apiHost: apiBind ?? file.apiBind ?? "127.0.0.1", apiPort: apiPort ?? file.apiPort ?? defaultPort,
            apiKey: apiKey ?? file.apiKey, mine: mine || (file.mine ?? false), minerKey: key,
            threads: threads ?? file.threads ?? ProcessInfo.processInfo.activeProcessorCount,
            p2p: try peerNetwork.settings(file: file, network: networkName),
            maxForkDepth: maxForkDepth ?? file.maxForkDepth ?? Chain.defaultMaxForkDepth)
        try await NodeRunner.run(configuration)
    }

    private func loadMinerKey(path: String?, network: String) throws -> SigningKey? {
        guard let path else { return network == "devnet" ? SigningKey.devnet(index: 0) : nil }
        do {
            let keystore = try Keystore.read(path: path)
            return try keystore.unlock(passphrase: try passphrase.passphrase(confirm: false))
        } catch let error as ExitCode {
            throw error
        } catch {
            throw commandFailure("cannot use miner key \(path): \(error)")
        }
    }
}

/// Starts a node, prints what a person needs to know, and runs it until Ctrl-C or SIGTERM.
enum NodeRunner {
    static func run(_ configuration: NodeConfiguration) async throws {
        guard (1...65_535).contains(configuration.apiPort) else { throw commandFailure("--api-port must be 1…65535") }
        guard (1...1_024).contains(configuration.threads) else { throw commandFailure("--threads must be 1…1024") }
        guard NodeConfiguration.maxForkDepthRange.contains(configuration.maxForkDepth) else {
            throw NodePeerNetworkOptions.outOfRange("--max-fork-depth", configuration.maxForkDepth, NodeConfiguration.maxForkDepthRange)
        }
        if !configuration.isLoopbackOnly && configuration.apiKey == nil {
            throw commandFailure("the API would listen on \(configuration.apiHost) without protection: give --api-key KEY")
        }
        try configuration.p2p?.check(apiHost: configuration.apiHost, apiPort: configuration.apiPort)
        var logger = Logger(label: "ember")
        logger.logLevel = .warning
        let node: Node
        do {
            node = try await Node(configuration: configuration, logger: logger) { say($0) }
        } catch {
            throw commandFailure("\(error)")
        }
        let tip = await node.chain.tip
        let folder = node.folder
        say("ember \(folder.settings.network) node: data \(folder.url.path), tip \(tip.height) \(tip.hash.hex.prefix(16))…")
        say("API on http://\(configuration.apiHost):\(configuration.apiPort)/v1/info"
            + (configuration.mine ? ", mining on \(configuration.threads) threads" : ""))
        if let p2p = configuration.p2p {
            say("P2P on \(p2p.listenAddress), peers: \(p2p.peers.isEmpty ? "none given" : p2p.peers.joined(separator: ", "))")
        } else {
            say("P2P off: this node runs without peer-to-peer networking")
        }
        do {
            try await node.run()
        } catch {
            throw commandFailure("the node stopped: \(error)")
        }
        say("stopped cleanly at height \(await node.chain.tip.height)")
    }
}

/// One line on standard output, unbuffered, so block lines and status lines keep their order.
@Sendable func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The JSON config file of `ember node --config`.
struct ConfigFile: Decodable {
    var network: String?
    var dataDir: String?
    var apiBind: String?
    var apiPort: Int?
    var apiKey: String?
    var mine: Bool?
    var minerKey: String?
    var threads: Int?
    var blockTimeMs: UInt64?
    var maxTargetZeros: UInt8?
    var polwThresholdHashRate: String?
    var lockupMs: UInt64?
    /// False runs without peer-to-peer networking unless a P2P option on the command line asks for it.
    var p2p: Bool?
    var p2pBind: String?
    var p2pPort: Int?
    var peers: [String]?
    var maxInbound: Int?
    var maxOutbound: Int?
    var maxInboundPerAddress: Int?
    var maxInboundPerGroup: Int?
    var frameBudgetMiB: Int?
    var maxDialsPerMinute: Int?
    var maxForkDepth: UInt64?

    /// A config file is a few lines of JSON; a larger file is refused before it is read whole.
    static let maxSize = 1 << 20

    static func load(_ path: String?) throws -> ConfigFile {
        guard let path else { return ConfigFile() }
        guard let data = try? BoundedFile.read(path: path, limit: maxSize) else { throw commandFailure("cannot read config file \(path)") }
        guard data.count <= maxSize else { throw commandFailure("config file \(path) is larger than 1 MiB") }
        do {
            return try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch {
            throw commandFailure("config file \(path) is not valid: \(error)")
        }
    }
}
