import EmberChain
import EmberCore
import EmberP2P
import EmberWire
import Foundation
import Logging

/// A node inside a benchmark's process: a data folder's chain and mempool, and a peer network on an
/// ephemeral port of 127.0.0.1 once started. No API and no miner: blocks arrive through `submit` or
/// from peers.
public final class BenchNode: Sendable {
    private let chain: Chain
    private let mempool: Mempool
    private let state = BenchNodeState()

    private init(chain: Chain, mempool: Mempool) {
        self.chain = chain
        self.mempool = mempool
    }

    /// Opens (creating when new) the data folder at `folder` and its chain.
    public static func open(folder: String, settings: NetworkSettings) async throws -> BenchNode {
        let opened = try DataFolder.open(path: folder, requested: settings)
        let chain = try await Chain(params: opened.params, store: opened.store)
        return BenchNode(chain: chain, mempool: Mempool(params: opened.params))
    }

    /// The tip of the node's active chain.
    public var tip: ChainTipSummary {
        get async { await chain.tip }
    }

    /// Submits `block` as if a miner of this node had found it now; peers hear of it once it connects.
    @discardableResult
    public func submit(_ block: Block) async throws -> SubmitOutcome {
        try await chain.submit(block, nowMs: UInt64(Date().timeIntervalSince1970 * 1_000))
    }

    /// Starts the peer network on an ephemeral port, dialling `peers`; returns once it listens.
    public func startNetwork(peers: [PeerEndpoint], maxOutbound: Int = 8) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let network = try PeerNetwork(
            configuration: PeerNetworkConfiguration(port: 0, peers: peers, maxOutbound: maxOutbound), chain: chain, mempool: mempool,
            logger: logger)
        let task = Task { try await network.run() }
        while await network.boundPort == nil { try await Task.sleep(for: .milliseconds(5)) }
        await state.set(network: network, task: task, port: await network.boundPort ?? 0)
    }

    /// Where peers reach this node once its network is started.
    public var endpoint: PeerEndpoint {
        get async { PeerEndpoint(host: "127.0.0.1", port: await state.port) }
    }

    /// Peers that completed the handshake.
    public var peerCount: Int {
        get async { await state.network?.snapshot().filter(\.handshakeComplete).count ?? 0 }
    }

    /// Stops the peer network, if started, and waits for it to end.
    public func stop() async {
        guard let task = await state.task else { return }
        task.cancel()
        _ = try? await task.value
    }
}

/// What a `BenchNode` learns once its network starts.
private actor BenchNodeState {
    var network: PeerNetwork?
    var task: Task<Void, any Error>?
    var port = 0

    func set(network: PeerNetwork, task: Task<Void, any Error>, port: Int) {
        self.network = network
        self.task = task
        self.port = port
    }
}
