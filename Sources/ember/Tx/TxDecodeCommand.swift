import ArgumentParser
import EmberConsensus
import EmberLayer2
import Foundation

/// `ember tx decode`: a transaction as JSON with every field named.
struct TxDecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print a transaction as JSON: ids, size, weight, inputs, reads, outputs (locks field by field), blobs, witnesses.",
        discussion: "Malformed bytes print the failing field, such as transaction.outputs[0].lock.tag, and exit with status 1."
    )

    @Argument(help: ArgumentHelp("The transaction in hex, or a file of hex text or raw bytes.", valueName: "hex-or-file"))
    var transaction: String

    func run() async throws {
        let transaction = try TxBytesArgument.transaction(transaction)
        // Weight depends only on the declared steps, priced the same on every network.
        let params: ConsensusParams
        do {
            params = try ConsensusParams.devnet()
        } catch {
            throw commandFailure("\(error)")
        }
        print(TransactionDescription.describe(transaction, params: params).text())
    }
}
