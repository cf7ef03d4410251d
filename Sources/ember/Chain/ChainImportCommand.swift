import ArgumentParser
import EmberNode
import Foundation

/// `ember chain import`: validates and connects every block of a blocks file, resuming where an
/// interrupted import stopped (blocks already on the chain are skipped). `ChainImporter` does the
/// work; this command prints what it reports.
struct ChainImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Validate and connect the blocks of a blocks file; shows progress and resumes after an interruption."
    )

    @Option(help: "The data folder of one network's chain.")
    var dataDir: String

    @Argument(help: "The blocks file to read.")
    var file: String

    @Option(help: "Print `imported HEIGHT HASH` after every N blocks connected (0: only progress once a second).")
    var reportEvery: Int = 0

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @OptionGroup var networkOptions: NetworkOptions

    func run() async throws {
        let folder = try networkOptions.openDataFolder(dataDir)
        let summary: ChainImportSummary
        do {
            summary = try await ChainImporter(folder: folder, file: file).run { progress in
                switch progress {
                case .durable(let ordinal, let height, let hash):
                    // Printed once the block is written, straight to the descriptor, so no line waits in
                    // a buffer when the process dies: a crash test reads them as proof of what survives.
                    if reportEvery > 0, ordinal % reportEvery == 0 {
                        FileHandle.standardOutput.write(Data("imported \(height) \(hash)\n".utf8))
                    }
                case .rate(let height, let blocksPerSecond):
                    FileHandle.standardError.write(Data(String(format: "height %llu, %.1f blocks/s\n", height, blocksPerSecond).utf8))
                }
            }
        } catch {
            throw commandFailure(error.description)
        }
        let tip = summary.tip
        let peak = peakResidentBytes()
        if json {
            print("{\"blocks\":\(summary.connected),\"transactions\":\(summary.transactions),\"alreadyPresent\":\(summary.alreadyPresent),"
                + "\"seconds\":\(jsonNumber(summary.seconds)),\"txPerSec\":\(jsonNumber(summary.transactionsPerSecond)),\"peakMemoryBytes\":\(peak),"
                + "\"tipHeight\":\(tip.height),\"tipHash\":\"\(tip.hash)\"}")
        } else {
            print(String(format: "imported %d blocks (%d transactions, %d already present) in %.2f s: %.0f tx/s, peak memory %.1f MiB; tip %llu %@",
                         summary.connected, summary.transactions, summary.alreadyPresent, summary.seconds, summary.transactionsPerSecond,
                         Double(peak) / 1_048_576, tip.height, tip.hash.hex))
        }
    }
}
