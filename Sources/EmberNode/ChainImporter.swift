import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import Foundation

/// Validates and connects every block of a blocks file into a data folder's chain (`ember chain
/// import`), resuming where an interrupted import stopped: blocks already on the chain are skipped.
///
/// The chain runs over a `WriteBackChainStore`, so several blocks share one SQLite transaction (each
/// block dirties pages all over the UTXO set, and a batch writes each such page once; docs/storage.md,
/// "Import batches"), and the blocks' tier-3 checks run ahead on every core while the chain actor
/// connects the one before.
public struct ChainImporter {
    /// Blocks read and being checked beyond the one the chain connects (see `BlockCheckAhead`).
    public static let checkAheadDepth = 8

    public let folder: DataFolder
    private let reader: BlocksFileReader

    /// Opens the blocks file at `file`, refusing one of another network or genesis than `folder`'s.
    public init(folder: DataFolder, file: String) throws(ChainImportError) {
        self.folder = folder
        do {
            reader = try BlocksFileReader(path: file, networkID: folder.params.networkID, genesis: folder.params.genesisBlock.hash)
        } catch {
            throw .unreadableFile(error)
        }
    }

    /// Imports the whole file; `report` hears of each block once it is durable and of the rate once
    /// every `progressInterval`. Blocks connected before a failure stay, so a corrected file resumes.
    public consuming func run(
        progressInterval: Duration = .seconds(1), report: (ChainImportProgress) -> Void
    ) async throws(ChainImportError) -> ChainImportSummary {
        let params = folder.params
        let store = WriteBackChainStore(base: folder.store)
        var durable = DurableBlocks()
        let chain: Chain
        do {
            chain = try await Chain(params: params, store: store)
        } catch {
            throw .chainUnavailable(error)
        }
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        // Blocks connected in this run (durable or not yet), for the summary and progress.
        var connected = 0
        var skipped = 0
        var transactions = 0
        var reader = reader
        // A resumed import first passes the blocks already on the chain, without checking them.
        var upcoming = try Self.read(&reader)
        while let block = upcoming, await chain.isActive(block.hash) {
            skipped += 1
            upcoming = try Self.read(&reader)
        }
        var ahead = BlockCheckAhead(reader: reader, first: upcoming, params: params, depth: Self.checkAheadDepth)
        while true {
            let checked: CheckedBlock
            do {
                guard let next = try await ahead.next() else { break }
                checked = next
            } catch {
                // Every complete block before the bad one is connected: write them before saying so.
                try Self.flush(store, &durable, report)
                throw .unreadableBlock(error, imported: durable.durableCount)
            }
            let block = checked.block
            if await chain.isActive(checked.hash) {
                skipped += 1
                continue
            }
            // The chain actor connects this block while this task reads the next ones and their
            // checks run: the store transaction is mostly one thread's work.
            async let submitted = chain.submit(checked, nowMs: UInt64(Date().timeIntervalSince1970 * 1000))
            ahead.readAhead()
            let outcome: SubmitOutcome
            do {
                outcome = try await submitted
            } catch {
                throw .storageFailed(height: block.header.height, error, imported: durable.durableCount)
            }
            switch outcome {
            case .connected, .duplicate:
                connected += 1
                transactions += block.transactions.count
            case .sideBranch, .orphan, .forkTooDeep, .rejected, .knownInvalid:
                // The blocks before it are valid: keep them, so a corrected file resumes after them.
                try Self.flush(store, &durable, report)
                throw .notConnected(height: block.header.height, hash: checked.hash, outcome: outcome, imported: durable.durableCount)
            }
            durable.connected(height: block.header.height, hash: checked.hash)
            if store.pendingBlockCount == 0 { durable.allDurable(report) }
            if clock.now - lastProgress > progressInterval {
                lastProgress = clock.now
                report(.rate(height: block.header.height, blocksPerSecond: Double(connected) / ((clock.now - start) / .seconds(1))))
            }
        }
        try Self.flush(store, &durable, report)
        let tip = await chain.tip
        return ChainImportSummary(
            connected: connected, transactions: transactions, alreadyPresent: skipped, seconds: (clock.now - start) / .seconds(1), tip: tip)
    }

    /// Writes the blocks the write-back store still holds, then reports them.
    private static func flush(
        _ store: WriteBackChainStore, _ durable: inout DurableBlocks, _ report: (ChainImportProgress) -> Void
    ) throws(ChainImportError) {
        do {
            try store.flush()
        } catch {
            throw .flushFailed(error, imported: durable.durableCount)
        }
        durable.allDurable(report)
    }

    /// The next block of the file, or nil at its end (while passing blocks already on the chain, so
    /// none of this run's is connected yet).
    private static func read(_ reader: inout BlocksFileReader) throws(ChainImportError) -> Block? {
        do {
            return try reader.next()
        } catch {
            throw .unreadableBlock(error, imported: 0)
        }
    }
}

/// What a `ChainImporter` tells its caller while it runs.
public enum ChainImportProgress: Sendable, Equatable {
    /// A connected block is written to disk and survives a kill; `ordinal` counts this run's durable
    /// blocks from 1.
    case durable(ordinal: Int, height: UInt64, hash: Hash32)
    /// The height reached and the blocks connected per second so far.
    case rate(height: UInt64, blocksPerSecond: Double)
}

/// What an import did, once every block it connected is durable.
public struct ChainImportSummary: Sendable {
    /// Blocks connected in this run.
    public let connected: Int
    /// Transactions in those blocks, coinbases included.
    public let transactions: Int
    /// Blocks of the file that were already on the chain.
    public let alreadyPresent: Int
    /// From opening the chain to the last flush.
    public let seconds: Double
    public let tip: ChainTipSummary

    public var transactionsPerSecond: Double { Double(transactions) / max(seconds, 1e-9) }
}

/// Why an import stopped; phrased for a person. Blocks connected before it stay on the chain.
///
/// Every `imported` counts the same thing as the summary's `connected`: blocks this run connected and
/// wrote to disk (blocks already on the chain are not counted), so a person can add it to what was there.
public enum ChainImportError: Error, CustomStringConvertible {
    /// The blocks file cannot be opened or is not a blocks file of this network.
    case unreadableFile(BlocksFile.ReadError)
    /// The data folder's chain cannot be opened.
    case chainUnavailable(ChainError)
    /// The file breaks off or holds bytes that are not a block; every complete block before it is imported.
    case unreadableBlock(BlocksFile.ReadError, imported: Int)
    /// The chain could not store a block.
    case storageFailed(height: UInt64, any Error, imported: Int)
    /// A block of the file does not extend the chain (invalid, or not in the file's order).
    case notConnected(height: UInt64, hash: Hash32, outcome: SubmitOutcome, imported: Int)
    /// Writing a batch failed.
    case flushFailed(StoreError, imported: Int)

    public var description: String {
        switch self {
        case .unreadableFile(let error): error.description
        case .chainUnavailable(let error): "cannot open the chain: \(error)"
        case .unreadableBlock(let error, let imported): "\(error) (\(Self.imported(imported)))"
        case .storageFailed(let height, let error, let imported): "storage failed at height \(height): \(error) (\(Self.imported(imported)))"
        case .notConnected(let height, let hash, let outcome, let imported):
            "block \(height) (\(hash)) was not connected: \(outcome) (\(Self.imported(imported)))"
        case .flushFailed(let error, let imported): "storage failed: \(error) (\(Self.imported(imported)))"
        }
    }

    private static func imported(_ count: Int) -> String {
        "\(count) blocks imported and written by this run"
    }
}
