import ArgumentParser
import EmberChain
import EmberCore
import EmberNode
import Foundation

/// `ember chain import`: validates and connects every block of a blocks file, resuming where an
/// interrupted import stopped (blocks already on the chain are skipped).
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
        var reader: BlocksFileReader
        do {
            reader = try BlocksFileReader(path: file, networkID: folder.params.networkID, genesis: folder.params.genesisBlock.hash)
        } catch {
            throw commandFailure(error.description)
        }
        let chain: Chain
        do {
            chain = try await Chain(params: folder.params, store: folder.store)
        } catch {
            throw commandFailure("cannot open the chain: \(error)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        var connected = 0
        var skipped = 0
        var transactions = 0
        while true {
            let next: Block?
            do {
                next = try reader.next()
            } catch {
                throw commandFailure("\(error) (after \(connected) blocks imported)")
            }
            guard let block = next else { break }
            if await chain.isActive(block.hash) {
                skipped += 1
                continue
            }
            let outcome: SubmitOutcome
            do {
                outcome = try await chain.submit(block, nowMs: UInt64(Date().timeIntervalSince1970 * 1000))
            } catch {
                throw commandFailure("storage failed at height \(block.header.height): \(error)")
            }
            switch outcome {
            case .connected, .duplicate:
                connected += 1
                transactions += block.transactions.count
            case .sideBranch, .orphan, .forkTooDeep, .rejected, .knownInvalid:
                throw commandFailure("block \(block.header.height) (\(block.hash)) was not connected: \(outcome)")
            }
            if reportEvery > 0, connected % reportEvery == 0 {
                // Written straight to the descriptor: a crash test reads these lines as proof of what
                // was connected, so none may wait in a buffer.
                FileHandle.standardOutput.write(Data("imported \(block.header.height) \(block.hash)\n".utf8))
            }
            if clock.now - lastProgress > .seconds(1) {
                lastProgress = clock.now
                let rate = Double(connected) / (clock.now - start).seconds
                FileHandle.standardError.write(Data(String(format: "height %llu, %.1f blocks/s\n", block.header.height, rate).utf8))
            }
        }
        let tip = await chain.tip
        let elapsed = (clock.now - start).seconds
        let rate = Double(transactions) / max(elapsed, 1e-9)
        let peak = peakResidentBytes()
        if json {
            print("{\"blocks\":\(connected),\"transactions\":\(transactions),\"alreadyPresent\":\(skipped),"
                + "\"seconds\":\(jsonNumber(elapsed)),\"txPerSec\":\(jsonNumber(rate)),\"peakMemoryBytes\":\(peak),"
                + "\"tipHeight\":\(tip.height),\"tipHash\":\"\(tip.hash)\"}")
        } else {
            print(String(format: "imported %d blocks (%d transactions, %d already present) in %.2f s: %.0f tx/s, peak memory %.1f MiB; tip %llu %@",
                         connected, transactions, skipped, elapsed, rate, Double(peak) / 1_048_576, tip.height, tip.hash.hex))
        }
    }
}

/// The most memory this process has held at once, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    // Linux reports ru_maxrss in KiB.
    return usage.ru_maxrss * 1_024
}
