import ArgumentParser
import EmberChain
import EmberCore
import EmberNode
import EmberStore
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
        // Several blocks per SQLite transaction: each block dirties pages all over the UTXO set, and
        // a batch writes each such page once (docs/storage.md, "Import batches").
        let store = WriteBackChainStore(base: folder.store)
        var report = DurableBlockReport(every: reportEvery)
        let chain: Chain
        do {
            chain = try await Chain(params: folder.params, store: store)
        } catch {
            throw commandFailure("cannot open the chain: \(error)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        // Blocks connected in this run (durable or not yet), for the summary and progress.
        var connected = 0
        var skipped = 0
        var transactions = 0
        // A resumed import first passes the blocks already on the chain, without checking them.
        var upcoming = try readBlock(&reader, connected: connected)
        while let block = upcoming, await chain.isActive(block.hash) {
            skipped += 1
            upcoming = try readBlock(&reader, connected: connected)
        }
        var ahead = BlockCheckAhead(reader: reader, first: upcoming, params: folder.params, depth: 8)
        while let checked = try await nextChecked(&ahead, connected: connected) {
            let block = checked.block
            if await chain.isActive(checked.hash) {
                skipped += 1
                continue
            }
            // The chain actor connects this block while this task reads the next ones and their
            // checks run: the store transaction is mostly one thread's work.
            async let submitted = chain.submit(checked, nowMs: UInt64(Date().timeIntervalSince1970 * 1000))
            do {
                try ahead.readAhead()
            } catch {
                throw commandFailure("\(error) (after \(connected) blocks imported)")
            }
            let outcome: SubmitOutcome
            do {
                outcome = try await submitted
            } catch {
                throw commandFailure("storage failed at height \(block.header.height): \(error)")
            }
            switch outcome {
            case .connected, .duplicate:
                connected += 1
                transactions += block.transactions.count
            case .sideBranch, .orphan, .forkTooDeep, .rejected, .knownInvalid:
                // The blocks before it are valid: keep them, so a corrected file resumes after them.
                try flush(store, &report)
                throw commandFailure("block \(block.header.height) (\(block.hash)) was not connected: \(outcome)")
            }
            report.connected(height: block.header.height, hash: checked.hash)
            if store.pendingBlockCount == 0 { report.allDurable() }
            if clock.now - lastProgress > .seconds(1) {
                lastProgress = clock.now
                let rate = Double(connected) / (clock.now - start).seconds
                FileHandle.standardError.write(Data(String(format: "height %llu, %.1f blocks/s\n", block.header.height, rate).utf8))
            }
        }
        try flush(store, &report)
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

/// Writes the blocks the write-back store still holds, then reports them.
private func flush(_ store: WriteBackChainStore, _ report: inout DurableBlockReport) throws {
    do {
        try store.flush()
    } catch {
        throw commandFailure("storage failed: \(error) (\(report.durableCount) blocks imported)")
    }
    report.allDurable()
}

/// The next checked block of the file, or nil at its end.
private func nextChecked(_ ahead: inout BlockCheckAhead, connected: Int) async throws -> CheckedBlock? {
    do {
        return try await ahead.next()
    } catch {
        throw commandFailure("\(error) (after \(connected) blocks imported)")
    }
}

/// The next block of the file, or nil at its end.
private func readBlock(_ reader: inout BlocksFileReader, connected: Int) throws -> Block? {
    do {
        return try reader.next()
    } catch {
        throw commandFailure("\(error) (after \(connected) blocks imported)")
    }
}

/// The most memory this process has held at once, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    // Linux reports ru_maxrss in KiB.
    return usage.ru_maxrss * 1_024
}
