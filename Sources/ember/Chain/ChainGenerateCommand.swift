import ArgumentParser
import EmberChain
import EmberConsensus
import EmberNode
import Foundation

/// `ember chain generate`: a valid devnet chain full of payments, as a blocks file to import.
struct ChainGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a generated devnet chain of one-input, two-output payments to a blocks file (for benchmarks)."
    )

    @Option(help: "Blocks to generate.")
    var blocks: Int = 200

    @Option(help: "Payments per block (the first blocks hold fewer while outputs multiply).")
    var transactions: Int = 1_000

    @Option(help: "The blocks file to write.")
    var out: String

    @OptionGroup var networkOptions: NetworkOptions

    func run() throws {
        guard (1...1_000_000).contains(blocks), (0...19_999).contains(transactions) else {
            throw commandFailure("--blocks must be 1…1000000 and --transactions 0…19999")
        }
        let settings = networkOptions.requested ?? NetworkSettings()
        guard settings.network == "devnet" else { throw commandFailure("only a devnet chain can be generated (its seed accounts fund it)") }
        let params: ConsensusParams
        do {
            params = try settings.consensusParams()
        } catch {
            throw commandFailure(error.description)
        }
        var generator = SyntheticChain(params: params)
        let writer = try BlocksFileWriter(path: out, networkID: params.networkID, genesis: params.genesisBlock.hash)
        var count = 0
        for _ in 0..<blocks {
            let block = try generator.nextBlock(transactions: transactions)
            count += block.transactions.count - 1
            try writer.append(block)
        }
        try writer.close()
        print("wrote \(blocks) blocks with \(count) payments to \(out)")
    }
}
