import ArgumentParser
import EmberCrypto
import EmberNode
import Foundation

/// The option that chooses the node a wallet talks to.
struct WalletNodeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The node's API (default: http://127.0.0.1:19271 on devnet, port 9271 otherwise).", valueName: "url"))
    var node: String?

    /// A client of the node, checked to run the wallet's network.
    func connect(for network: NetworkID) async throws -> NodeClient {
        let client = try client(for: network)
        try await orFail { () async throws(WalletNodeError) in try await client.requireNetwork(network) }
        return client
    }

    /// A client of the node given by `--node`, or the default one for `network`; not contacted yet.
    func client(for network: NetworkID) throws -> NodeClient {
        let url: URL
        if let node {
            guard let parsed = NodeClient.parseURL(node) else {
                throw commandFailure("--node '\(node)' is not an http:// or https:// URL with a host")
            }
            url = parsed
        } else {
            url = NodeClient.defaultURL(for: network)
        }
        return NodeClient(baseURL: url)
    }
}

/// The result of a node request, or the one-line failure of `ember` with the node's error.
@discardableResult
func orFail<Value>(_ request: () async throws(WalletNodeError) -> Value) async throws -> Value {
    do {
        return try await request()
    } catch {
        throw commandFailure(error.description)
    }
}
