import EmberCore
import EmberCrypto
import Foundation
import GRDB
@testable import EmberStore
import Testing

/// The supply figures kept with each connected block's undo data (schema 3): written by `connect`,
/// gone with `disconnect`, summed for the active chain, and filled in once for older blocks.
@Suite struct SupplyFigureStoreTests {
    static func figures(_ minted: UInt128, _ burnt: UInt128) -> BlockSupply {
        BlockSupply(minted: Amount(units: minted), burnt: Amount(units: burnt))
    }

    /// Four blocks, each with figures of its own but the third, which has none (as before schema 3).
    static func steps(seed: UInt64) -> [ChainStep] {
        var builder = ChainBuilder(seed: seed)
        var steps = (0..<4).map { _ in builder.nextBlock() }
        for index in steps.indices where index != 2 {
            steps[index].connection.supply = figures(UInt128(100 + index), UInt128(10 * index))
        }
        return steps
    }

    @Test("a connection's figures are stored, summed for the active chain and removed with the block", arguments: StoreKind.allCases)
    func storedWithTheUndoData(kind: StoreKind) throws {
        let steps = Self.steps(seed: 410)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            #expect(try store.supply(of: steps[1].hash) == Self.figures(101, 10))
            #expect(try store.supply(of: steps[2].hash) == nil)
            #expect(try store.activeSupply() == ActiveChainSupply(recorded: Self.figures(100 + 101 + 103, 10 + 30), blocksWithoutFigures: [steps[2].hash]))
            try store.disconnect(steps[3].disconnection)
            #expect(try store.supply(of: steps[3].hash) == nil)
            #expect(try store.activeSupply().recorded == Self.figures(201, 10))
            // Connected again, the block has its figures again.
            try store.connect(steps[3].connection)
            #expect(try store.supply(of: steps[3].hash) == Self.figures(103, 30))
        }
    }

    @Test("figures are filled in once, only for connected blocks that have none", arguments: StoreKind.allCases)
    func recordSupplyOnce(kind: StoreKind) throws {
        let steps = Self.steps(seed: 411)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            try store.recordSupply([steps[2].hash: Self.figures(7, 8)])
            #expect(try store.supply(of: steps[2].hash) == Self.figures(7, 8))
            #expect(try store.activeSupply().blocksWithoutFigures == [])
            #expect(throws: StoreError.supplyAlreadyRecorded(steps[2].hash)) { try store.recordSupply([steps[2].hash: Self.figures(9, 9)]) }
            #expect(throws: StoreError.supplyAlreadyRecorded(steps[1].hash)) { try store.recordSupply([steps[1].hash: Self.figures(9, 9)]) }
            try store.disconnect(steps[3].disconnection)
            #expect(throws: StoreError.notConnected(steps[3].hash)) { try store.recordSupply([steps[3].hash: Self.figures(9, 9)]) }
            #expect(try store.supply(of: steps[2].hash) == Self.figures(7, 8))
        }
    }

    @Test("write-back batches store every block's figures", arguments: [2, 16])
    func writeBackBatches(batch: Int) throws {
        let steps = Self.steps(seed: 412)
        let folder = TemporaryFolder()
        let base = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? base.close() }
        let store = WriteBackChainStore(base: base, maxPendingBlocks: batch)
        for step in steps { try store.append(step) }
        try store.flush()
        for step in steps { #expect(try base.supply(of: step.hash) == step.connection.supply) }
    }

    @Test("a schema-2 database gains empty figure columns and keeps its blocks")
    func schema2Migration() throws {
        var builder = ChainBuilder(seed: 413)
        let steps = [builder.nextBlock(), builder.nextBlock()]
        let folder = TemporaryFolder()
        let old = try DatabaseQueue(path: folder.file(StoreSchema.fileName))
        try StoreSchema.migrator(identity: StoreKind.identity).migrate(old, upTo: "v2-blob-index")
        try old.close()
        do {
            let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
            defer { try? store.close() }
            for step in steps { try store.append(step) }
            // Written as schema 2 wrote them: no figures.
            try store.write { db in try db.execute(sql: "ALTER TABLE block_undo DROP COLUMN minted; ALTER TABLE block_undo DROP COLUMN burnt") }
            try store.write { db in
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-block-supply'; UPDATE meta SET schema_version = 2")
            }
        }
        let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? store.close() }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT schema_version FROM meta") } == 3)
        #expect(try store.activeSupply() == ActiveChainSupply(recorded: .zero, blocksWithoutFigures: steps.map(\.hash)))
        #expect(try store.undo(for: steps[1].hash) == steps[1].connection.spent)
    }

    @Test("a damaged figure is a corrupt record, not a zero", arguments: ["one NULL", "short amount"])
    func damagedFigures(damage: String) throws {
        let steps = Self.steps(seed: 414)
        let folder = TemporaryFolder()
        let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? store.close() }
        for step in steps { try store.append(step) }
        let value: (any DatabaseValueConvertible)? = damage == "one NULL" ? nil : Data([1, 2, 3])
        try store.write { db in
            try db.execute(sql: "UPDATE block_undo SET burnt = ? WHERE hash = ?", arguments: [value, Data(steps[1].hash.bytes)])
        }
        for error in [#expect(throws: StoreError.self) { try store.supply(of: steps[1].hash) },
                      #expect(throws: StoreError.self) { try store.activeSupply() }] {
            guard case .corruptRecord(table: "block_undo", _) = error else {
                Issue.record("expected a corrupt block_undo record, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("the blob index is listed in key order, page by page", arguments: StoreKind.allCases)
    func blobLocationsInPages(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 415)
        let steps = [
            builder.nextBlock(), builder.nextBlock(blobs: [[1], [2], [3]]), builder.nextBlock(blobs: [[1], [4]]),
        ]
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            var expected = [BlobLocation]()
            for step in steps {
                let position = step.block.transactions.count - 1
                for (index, blob) in step.block.transactions[position].blobs.enumerated() {
                    expected.append(BlobLocation(
                        hash: Blake3.hash(blob), blockHash: step.hash, height: step.connection.height, position: position, index: index))
                }
            }
            // SQLite compares blobs byte by byte, then the integers.
            expected.sort { left, right in
                if left.hash.bytes != right.hash.bytes { return left.hash.bytes.lexicographicallyPrecedes(right.hash.bytes) }
                return (left.height, left.position, left.index) < (right.height, right.position, right.index)
            }
            var listed = [BlobLocation]()
            while true {
                let page = try store.blobLocations(after: listed.last, limit: 2)
                guard !page.isEmpty else { break }
                listed += page
            }
            #expect(listed == expected)
        }
    }
}
