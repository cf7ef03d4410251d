import EmberChain
import EmberConsensus
import EmberCore
import EmberP2P
import EmberStore
import EmberTestSupport
import EmberWire
import Foundation
import Logging

/// An in-process node for network tests: a chain on an in-memory store, a mempool and a running
/// `PeerNetwork` on an ephemeral port of 127.0.0.1.
struct TestPeer {
    let chain: Chain
    let mempool: Mempool
    let network: PeerNetwork
    let task: Task<Void, any Error>
    let port: Int

    static func start(
        params: ConsensusParams, blocks: ArraySlice<Block> = [], peers: [PeerEndpoint] = [], policy: MempoolPolicy = MempoolPolicy(),
        configure: (inout PeerNetworkConfiguration) -> Void = { _ in }
    ) async throws -> TestPeer {
        let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
        let chain = try await Chain(params: params, store: InMemoryChainStore(identity: identity))
        for block in blocks {
            let outcome = try await chain.submit(block, nowMs: UInt64.max / 2)
            guard case .connected = outcome else { throw TestFailure("block \(block.header.height) did not connect: \(outcome)") }
        }
        let mempool = Mempool(params: params, policy: policy)
        var configuration = PeerNetworkConfiguration(port: 0, peers: peers, handshakeTimeoutMs: 2_000, tickIntervalMs: 100)
        configure(&configuration)
        var logger = Logger(label: "test-peer")
        logger.logLevel = ProcessInfo.processInfo.environment["EMBER_TEST_LOG"] == nil ? .critical : .debug
        let network = try PeerNetwork(configuration: configuration, chain: chain, mempool: mempool, logger: logger)
        let task = Task { try await network.run() }
        let deadline = Date().addingTimeInterval(120)
        while await network.boundPort == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        guard let port = await network.boundPort else { throw TestFailure("the network did not start listening") }
        return TestPeer(chain: chain, mempool: mempool, network: network, task: task, port: port)
    }

    var endpoint: PeerEndpoint { PeerEndpoint(host: "127.0.0.1", port: port) }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Waits until `condition` holds, polling, for at most `seconds`.
    static func eventually(seconds: Double = 90, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
