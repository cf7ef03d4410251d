import EmberChain
import EmberP2P
import EmberWire
import Logging

extension Node {
    /// The file bans are kept in, beside the database, so they survive restarts.
    static let banListFileName = "bans.json"

    static func makeNetwork(
        _ settings: PeerNetworkSettings, folder: DataFolder, chain: Chain, mempool: Mempool, logger: Logger,
        report: @escaping @Sendable (String) -> Void
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
            userAgent: "ember/0.1 (\(folder.settings.network))")
        do {
            return try PeerNetwork(configuration: configuration, chain: chain, mempool: mempool, logger: logger, report: report)
        } catch {
            throw DataFolder.OpenError(description: "\(error)")
        }
    }
}
