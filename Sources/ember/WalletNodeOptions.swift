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
        let url: URL
        if let node {
            guard let parsed = NodeClient.parseURL(node) else {
                throw commandFailure("--node '\(node)' is not an http:// or https:// URL with a host")
            }
            url = parsed
        } else {
            url = NodeClient.defaultURL(for: network)
        }
        let client = NodeClient(baseURL: url)
        let info = try await orFail { () async throws(WalletNodeError) in try await client.info() }
        guard info.network == network else {
            throw commandFailure("the node at \(url.absoluteString) runs \(info.network), but the wallet is for \(network)")
        }
        return client
    }
}

/// The result of a node request, or the one-line failure of `ember` with the node's error.
func orFail<Value>(_ request: () async throws(WalletNodeError) -> Value) async throws -> Value {
    do {
        return try await request()
    } catch {
        throw commandFailure(error.description)
    }
}
