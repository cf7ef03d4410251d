import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A whole Plasma operator, as `ember plasma operator` runs it: the store in a data folder, the service
/// sealing a block every interval, its HTTP API (with `/v1/plasma/layer1`), the committer and the deposit
/// watcher, stopped together by SIGINT or SIGTERM. Restarting on the same folder resumes: the store
/// holds the pending moves, the blocks and the commit queue, and layer 1 says what is committed.
public struct PlasmaOperatorNode: Sendable {
    public struct Configuration: Sendable {
        public var params: ConsensusParams
        public var operatorKey: SigningKey
        public var chainId: Hash32
        public var exitWindow: UInt32
        public var nodeURL: URL
        public var dataFolder: URL
        public var host: String
        /// 0 lets the system choose; `run`'s `onListening` gets the port bound.
        public var port: Int
        public var blockInterval: Duration
        public var pollInterval: Duration
        /// Blocks on top of a deposit before it is registered; the network's finality depth by default.
        public var finalityDepth: UInt64

        public init(
            params: ConsensusParams, operatorKey: SigningKey, chainId: Hash32, exitWindow: UInt32, nodeURL: URL, dataFolder: URL,
            host: String = "127.0.0.1", port: Int, blockInterval: Duration = .seconds(5), pollInterval: Duration = .seconds(1),
            finalityDepth: UInt64? = nil
        ) {
            self.params = params
            self.operatorKey = operatorKey
            self.chainId = chainId
            self.exitWindow = exitWindow
            self.nodeURL = nodeURL
            self.dataFolder = dataFolder
            self.host = host
            self.port = port
            self.blockInterval = blockInterval
            self.pollInterval = pollInterval
            self.finalityDepth = finalityDepth ?? params.layer2.finalityDepth
        }
    }

    public let configuration: Configuration
    public let service: OperatorService
    public let layer1: PlasmaOperatorLayer1
    let logger: Logger

    /// Opens (or creates) the store `operator.sqlite` in the data folder and wires the parts.
    public init(_ configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let store = try OperatorStore(
            path: configuration.dataFolder.appendingPathComponent("operator.sqlite").path, chainId: configuration.chainId,
            network: configuration.params.networkID)
        let client = NodeAPIClient(baseURL: configuration.nodeURL)
        let committerBox = CommitterBox()
        let service = OperatorService(
            store: store, configuration: .init(blockInterval: configuration.blockInterval), logger: logger,
            onSealed: { block in await committerBox.committer?.blockSealed(block) })
        let committer = PlasmaCommitter(
            service: service, transactions: PlasmaOperatorTransactions(params: configuration.params, operatorKey: configuration.operatorKey),
            client: client, exitWindow: configuration.exitWindow, pollInterval: configuration.pollInterval, logger: logger)
        committerBox.committer = committer
        let watcher = PlasmaDepositWatcher(
            service: service, client: client, exitWindow: configuration.exitWindow, finalityDepth: configuration.finalityDepth,
            pollInterval: configuration.pollInterval, logger: logger)
        self.service = service
        layer1 = PlasmaOperatorLayer1(committer: committer, watcher: watcher)
    }

    /// The HTTP API: the operator's routes and the layer-1 status, with the sealing loop as its service.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let server = OperatorServer(service: service, host: configuration.host, port: configuration.port, logger: logger)
        let router = server.router()
        OperatorLayer1Routes(layer1: layer1).add(to: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ember-plasma-operator"),
            services: [service], onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Runs everything until SIGINT or SIGTERM (or cancellation), then stops each part cleanly.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [application(onListening: onListening), layer1.committer, layer1.watcher], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        try service.store.close()
    }
}

/// Hands the committer to the service's `onSealed` hook, which is made before the committer (the
/// committer needs the service). Written once, before anything runs; read by the sealing loop only.
private final class CommitterBox: @unchecked Sendable {
    // Safe without a lock: the one write happens in `PlasmaOperatorNode.init`, before `run` starts any
    // task that reads it.
    var committer: PlasmaCommitter?
}
