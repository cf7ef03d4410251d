import ArgumentParser
import EmberChain
import EmberConsensus
import EmberCrypto
import EmberNode
import Foundation

/// `ember bench import`: `ember chain import` of a generated chain full of payments into an empty
/// folder, in a child process, beside the raw Ed25519 verification rate measured in the same run.
struct ImportBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a generated chain of one-input, two-output payments; compare with raw signature checks."
    )

    @Option(help: "Blocks in the generated chain.")
    var blocks: Int = 200

    @Option(help: "Payments per block (the first blocks hold fewer while outputs multiply).")
    var transactions: Int = 1_000

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        guard (2...100_000).contains(blocks), (1...19_999).contains(transactions) else {
            throw commandFailure("--blocks must be 2…100000 and --transactions 1…19999")
        }
        let params = try NetworkSettings().consensusParams()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-import-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        if !json { print("generating \(blocks) blocks of up to \(transactions) payments…") }
        let half = work.appendingPathComponent("half.blocks").path
        let full = work.appendingPathComponent("full.blocks").path
        var generator = SyntheticChain(params: params)
        let halfWriter = try BlocksFileWriter(path: half, networkID: params.networkID, genesis: params.genesisBlock.hash)
        let fullWriter = try BlocksFileWriter(path: full, networkID: params.networkID, genesis: params.genesisBlock.hash)
        for height in 1...blocks {
            let block = try generator.nextBlock(transactions: transactions)
            if height <= blocks / 2 { try halfWriter.append(block) }
            try fullWriter.append(block)
        }
        try halfWriter.close()
        try fullWriter.close()

        let fixture = try ValidationFixture(params: params, transactionCount: 2_000)
        // The reference is measured just before and just after the imports, a second each, and the
        // two pooled: on a shared machine the load changes, and a short burst at a quiet or busy
        // moment would misstate the rate the import competed against.
        let before = try fixture.timeParallelVerifications(forAtLeast: .seconds(1))
        let halfRun = try importInChild(file: half, folder: work.appendingPathComponent("half-data").path)
        let fullRun = try importInChild(file: full, folder: work.appendingPathComponent("full-data").path)
        let after = try fixture.timeParallelVerifications(forAtLeast: .seconds(1))
        let verifiedPerSecond = Double(before.verified + after.verified) / (before.seconds + after.seconds)
        let ratio = fullRun.txPerSec / verifiedPerSecond
        if json {
            print("{\"blocks\":\(blocks),\"transactions\":\(fullRun.transactions),\"txPerSec\":\(jsonNumber(fullRun.txPerSec)),"
                + "\"rawVerificationsPerSec\":\(jsonNumber(verifiedPerSecond)),\"ratio\":\(jsonNumber(ratio)),"
                + "\"peakMemoryBytes\":\(fullRun.peakMemoryBytes),\"peakMemoryBytesHalfChain\":\(halfRun.peakMemoryBytes)}")
            return
        }
        print(String(format: "import          %10.0f tx/s   (%d blocks, %d transactions, %.1f s)", fullRun.txPerSec, blocks, fullRun.transactions, fullRun.seconds))
        print(String(format: "raw Ed25519     %10.0f sig/s on %d cores (%.0f before the imports, %.0f after)", verifiedPerSecond,
                     ProcessInfo.processInfo.activeProcessorCount, Double(before.verified) / before.seconds, Double(after.verified) / after.seconds))
        print(String(format: "ratio           %10.2f   (target ≥ 0.50)", ratio))
        print(String(format: "peak memory     %10.1f MiB for %d blocks, %.1f MiB for %d", Double(fullRun.peakMemoryBytes) / 1_048_576, blocks,
                     Double(halfRun.peakMemoryBytes) / 1_048_576, blocks / 2))
    }

    private struct ImportRun: Decodable {
        let transactions: Int
        let seconds: Double
        let txPerSec: Double
        let peakMemoryBytes: Int
    }

    private func importInChild(file: String, folder: String) throws -> ImportRun {
        let process = Process()
        process.executableURL = OwnExecutable.url()
        process.arguments = ["chain", "import", "--data-dir", folder, "--network", "devnet", "--json", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw commandFailure("the import child process failed with status \(process.terminationStatus)")
        }
        return try JSONDecoder().decode(ImportRun.self, from: Data(line.utf8))
    }
}

extension ValidationFixture {
    /// Verifies the fixture's signatures on every core, again and again for at least `duration`.
    func timeParallelVerifications(forAtLeast duration: Duration) throws -> (verified: Int, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        var verified = 0
        repeat {
            guard verifyAllSignaturesInParallel() else { throw commandFailure("a fixture signature failed") }
            verified += signatures.count
        } while clock.now - start < duration
        return (verified, (clock.now - start).seconds)
    }
}
