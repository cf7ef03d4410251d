import EmberChain
import EmberP2P
import EmberStore
import EmberWire
import Logging

extension Node {
    /// The file bans are kept in, beside the database, so they survive restarts.
    static let banListFileName = "bans.json"

    /// Blocks behind the best known header beyond which the node writes blocks in batches.
    static let batchingDistance: UInt64 = 32
    /// Blocks per SQLite transaction while batching, as `ember chain import` writes them.
    static let catchUpBatchBlocks = 16

    static func makeNetwork(
        _ settings: PeerNetworkSettings, folder: DataFolder, chain: Chain, mempool: Mempool, store: WriteBackChainStore,
        faults: StoreFaults, logger: Logger, report: @escaping @Sendable (String) -> Void
    ) throws -> PeerNetwork {
        var peers = [PeerEndpoint]()
        for text in settings.peers {
            guard let endpoint = PeerEndpoint(text) else {
                throw DataFolder.OpenError(description: "peer \(text) is not HOST:PORT")
            }
            peers.append(endpoint)
        }
        let configuration = PeerNetworkConfiguration(
            bindHost: settings.bindHost, port: settings.port, peers: peers, maxInbound: settings.maxInbound,
            maxOutbound: settings.maxOutbound, banListPath: folder.url.appendingPathComponent(banListFileName).path,
            userAgent: "ember/0.1 (\(folder.settings.network))",
            blocksBehindObserver: { behind in
                // Far behind, a kill costs at most one batch, fetched again from peers; caught up,
                // every block is written as it connects (docs/storage.md, "Catching up").
                do throws(StoreError) {
                    try store.setMaxPendingBlocks(behind > batchingDistance ? catchUpBatchBlocks : 1)
                } catch {
                    // The batch is gone and the chain in memory is ahead of the disk: the node stops.
                    faults.record(.store(error, operation: "writing a batch of blocks"))
                }
            },
            maxInboundPerAddress: settings.maxInboundPerAddress, maxInboundPerNetworkGroup: settings.maxInboundPerNetworkGroup,
            maxBufferedFrameBytes: settings.maxBufferedFrameBytes, maxDialsPerMinute: settings.maxDialsPerMinute)
        do {
            return try PeerNetwork(configuration: configuration, chain: chain, mempool: mempool, logger: logger, report: report)
        } catch {
            throw DataFolder.OpenError(description: "\(error)")
        }
    }
}
