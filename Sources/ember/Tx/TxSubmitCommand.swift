import ArgumentParser
import EmberLayer2
import EmberNode
import Foundation

/// `ember tx submit`: posts a transaction to a node.
struct TxSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a transaction to a node (POST /v1/transactions); print its txid, or the node's error.",
        discussion: "The transaction is decoded first, so malformed bytes never reach the node."
    )

    @Argument(help: ArgumentHelp("The transaction in hex, or a file of hex text or raw bytes.", valueName: "hex-or-file"))
    var transaction: String

    @Option(help: ArgumentHelp("The node's API, such as http://127.0.0.1:19271.", valueName: "url"))
    var node: String

    @Option(help: ArgumentHelp("The node's API key (sent as X-Ember-API-Key).", valueName: "key"))
    var apiKey: String?

    func run() async throws {
        let transaction = try TxBytesArgument.transaction(transaction)
        guard let url = NodeClient.parseURL(node) else {
            throw commandFailure("--node '\(node)' is not an http:// or https:// URL with a host")
        }
        do {
            print(try await NodeAPIClient(baseURL: url, apiKey: apiKey).submit(transaction))
        } catch {
            throw commandFailure(error.description)
        }
    }
}
