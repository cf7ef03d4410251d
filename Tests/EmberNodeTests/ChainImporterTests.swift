import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import Foundation
import Testing

/// `ChainImporter` and `DataFolder.verifyChain` on generated devnet chains in temporary folders, with
/// real SQLite files: what `ember chain import` and `ember chain verify` do, without a process.
@Suite("Importing a blocks file")
struct ChainImporterTests {
    /// A temporary folder, a devnet blocks file of `blocks` generated blocks in it (leaving out the
    /// heights in `omitting`), and the blocks generated.
    struct Fixture {
        let folder: URL
        let file: String
        let blocks: [Block]

        init(blocks count: Int, transactions: Int = 12, omitting: Set<UInt64> = []) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            file = folder.appendingPathComponent("chain.blocks").path
            let params = try NetworkSettings().consensusParams()
            var generator = SyntheticChain(params: params)
            let writer = try BlocksFileWriter(path: file, networkID: params.networkID, genesis: params.genesisBlock.hash)
            var blocks = [Block]()
            for _ in 0..<count {
                let block = try generator.nextBlock(transactions: transactions)
                blocks.append(block)
                if !omitting.contains(block.header.height) { try writer.append(block) }
            }
            try writer.close()
            self.blocks = blocks
        }

        func dataFolder() throws -> DataFolder {
            try DataFolder.open(path: folder.appendingPathComponent("data").path, requested: NetworkSettings())
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// Imports `fixture`'s file into its data folder, collecting what the importer reports.
    static func importFile(_ fixture: Fixture) async throws -> (ChainImportSummary, [ChainImportProgress]) {
        var reports = [ChainImportProgress]()
        let summary = try await ChainImporter(folder: try fixture.dataFolder(), file: fixture.file).run { reports.append($0) }
        return (summary, reports)
    }

    @Test("every block of a generated chain connects and is reported durable once, in order; verify agrees")
    func importsAGeneratedChain() async throws {
        let fixture = try Fixture(blocks: 6)
        defer { fixture.remove() }
        let (summary, reports) = try await Self.importFile(fixture)

        #expect(summary.connected == 6)
        #expect(summary.alreadyPresent == 0)
        #expect(summary.transactions == fixture.blocks.map(\.transactions.count).reduce(0, +))
        #expect(summary.tip.height == 6 && summary.tip.hash == fixture.blocks[5].hash)
        let durable = reports.filter { if case .durable = $0 { true } else { false } }
        #expect(durable == fixture.blocks.enumerated().map { .durable(ordinal: $0.offset + 1, height: $0.element.header.height, hash: $0.element.hash) })

        let report = try await fixture.dataFolder().verifyChain()
        #expect(report.isConsistent)
        #expect(report.tip.height == 6 && report.tip.hash == fixture.blocks[5].hash)
    }

    @Test("a second import of the same file finds every block present and connects none")
    func resumesAfterTheBlocksPresent() async throws {
        let fixture = try Fixture(blocks: 4)
        defer { fixture.remove() }
        _ = try await Self.importFile(fixture)
        let (again, reports) = try await Self.importFile(fixture)

        #expect(again.connected == 0 && again.transactions == 0)
        #expect(again.alreadyPresent == 4)
        #expect(again.tip.height == 4)
        #expect(reports.isEmpty)
    }

    @Test("a block whose parent is missing stops the import; the blocks before it stay, durable")
    func keepsTheBlocksBeforeAGap() async throws {
        let fixture = try Fixture(blocks: 5, omitting: [3])
        defer { fixture.remove() }
        let error = await #expect(throws: ChainImportError.self) { _ = try await Self.importFile(fixture) }
        guard case .notConnected(let height, let hash, .orphan, let imported) = error else {
            Issue.record("expected block 4 to be an orphan, got \(String(describing: error))")
            return
        }
        #expect(height == 4 && hash == fixture.blocks[3].hash)
        #expect(imported == 2)
        #expect(error?.description.hasPrefix("block 4 (\(hash)) was not connected") == true)

        let report = try await fixture.dataFolder().verifyChain()
        #expect(report.isConsistent && report.tip.height == 2)
    }

    @Test("a file cut inside block 31 imports the 30 complete blocks, all written, and every message counts 30")
    func cutFileKeepsEveryCompleteBlock() async throws {
        let fixture = try Fixture(blocks: 40, transactions: 2)
        defer { fixture.remove() }
        // Each block is stored as a 4-byte length and its encoding, after the file's header.
        let framed = fixture.blocks.map { 4 + $0.encoded.count }
        let fileSize = try FileManager.default.attributesOfItem(atPath: fixture.file)[.size] as! Int
        let headerSize = fileSize - framed.reduce(0, +)
        let cut = headerSize + framed.prefix(30).reduce(0, +) + framed[30] / 2
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.file))
        try handle.truncate(atOffset: UInt64(cut))
        try handle.close()

        var reports = [ChainImportProgress]()
        let error = await #expect(throws: ChainImportError.self) {
            _ = try await ChainImporter(folder: try fixture.dataFolder(), file: fixture.file).run { reports.append($0) }
        }
        guard case .unreadableBlock(.truncated(index: 30), imported: 30) = error else {
            Issue.record("expected the 31st block cut short after 30 imported, got \(String(describing: error))")
            return
        }
        let message = error?.description ?? ""
        #expect(message.contains("inside its block 31, after 30 complete blocks"), "\(message)")
        #expect(message.contains("30 blocks imported and written"), "\(message)")
        let durable = reports.filter { if case .durable = $0 { true } else { false } }
        #expect(durable.count == 30)

        let report = try await fixture.dataFolder().verifyChain()
        #expect(report.isConsistent)
        #expect(report.tip.height == 30 && report.tip.hash == fixture.blocks[29].hash)
    }

    @Test("a blocks file of another devnet genesis is refused before the chain is touched")
    func refusesAnotherGenesis() async throws {
        let fixture = try Fixture(blocks: 1)
        defer { fixture.remove() }
        let other = try NetworkSettings(blockTimeMs: 1_000).consensusParams()
        let foreign = fixture.folder.appendingPathComponent("foreign.blocks").path
        let writer = try BlocksFileWriter(path: foreign, networkID: other.networkID, genesis: other.genesisBlock.hash)
        try writer.close()

        #expect {
            _ = try ChainImporter(folder: try fixture.dataFolder(), file: foreign)
        } throws: { error in
            guard case ChainImportError.unreadableFile = error else { return false }
            return true
        }
        #expect(try fixture.dataFolder().store.tip() == nil)
    }

    @Test("an empty folder verifies: genesis is connected first")
    func verifiesAnEmptyFolder() async throws {
        let fixture = try Fixture(blocks: 0)
        defer { fixture.remove() }
        let report = try await fixture.dataFolder().verifyChain()
        #expect(report.isConsistent && report.tip.height == 0)
    }
}
