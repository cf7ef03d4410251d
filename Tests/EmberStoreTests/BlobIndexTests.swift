import EmberCore
import EmberCrypto
import Foundation
import GRDB
@testable import EmberStore
import Testing

/// The blob index (DESIGN.md section 15): a blob published on the active chain is found by its hash
/// with the block and transaction that carry it, and only while that block is active.
@Suite struct BlobIndexTests {
    /// Distinct blobs: `count` bytes of `fill`.
    static func blob(_ fill: UInt8, count: Int = 40) -> [UInt8] { Array(repeating: fill, count: count) }

    /// What the store should answer for the `index`th blob of `step`'s last transaction, from the
    /// builder's values and an independent hash.
    static func expected(_ step: ChainStep, index: Int) throws -> StoredBlob {
        let transaction = try #require(step.block.transactions.last)
        let bytes = transaction.blobs[index]
        return StoredBlob(
            hash: Blake3.hash(bytes), blockHash: step.hash, height: step.connection.height, txid: transaction.txid,
            index: index, bytes: bytes)
    }

    @Test("a connected block's blobs are found by hash, with their block, height and transaction", arguments: StoreKind.allCases)
    func connectIndexesBlobs(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 300)
        let genesis = builder.nextBlock()
        let publishing = builder.nextBlock(transactionCount: 3, blobs: [Self.blob(1), Self.blob(2, count: 1_000), []])
        try kind.withStore { store in
            try store.append(genesis)
            try store.append(publishing)
            for index in 0..<3 {
                let expected = try Self.expected(publishing, index: index)
                #expect(try store.blob(expected.hash) == expected)
            }
            #expect(try store.blob(Blake3.hash(Self.blob(9))) == nil)
            #expect(try store.blob(.zero) == nil)
        }
    }

    @Test("disconnecting a block drops its blobs and keeps its parent's", arguments: StoreKind.allCases)
    func disconnectDropsBlobs(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 301)
        let genesis = builder.nextBlock()
        let first = builder.nextBlock(blobs: [Self.blob(1)])
        let second = builder.nextBlock(blobs: [Self.blob(2), Self.blob(3)])
        try kind.withStore { store in
            for step in [genesis, first, second] { try store.append(step) }
            try store.disconnect(second.disconnection)
            #expect(try store.blob(Blake3.hash(Self.blob(2))) == nil)
            #expect(try store.blob(Blake3.hash(Self.blob(3))) == nil)
            #expect(try store.blob(Blake3.hash(Self.blob(1))) == Self.expected(first, index: 0))
            try store.disconnect(first.disconnection)
            #expect(try store.blob(Blake3.hash(Self.blob(1))) == nil)
        }
    }

    @Test("after a reorganisation only the new branch's blobs are found", arguments: StoreKind.allCases)
    func reorgKeepsOnlyTheActiveBranchsBlobs(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 302)
        let genesis = builder.nextBlock()
        var other = builder.branch(seed: 303)
        let old = builder.nextBlock(blobs: [Self.blob(1), Self.blob(5)])
        let new = [other.nextBlock(blobs: [Self.blob(2), Self.blob(5)]), other.nextBlock(blobs: [Self.blob(3)])]
        try kind.withStore { store in
            try store.append(genesis)
            try store.append(old)
            try store.insertIndexEntries(new.map(\.indexEntry))
            for step in new { try store.storeBody(step.block) }
            try store.disconnect(old.disconnection)
            for step in new { try store.connect(step.connection) }

            #expect(try store.blob(Blake3.hash(Self.blob(1))) == nil)
            #expect(try store.blob(Blake3.hash(Self.blob(2))) == Self.expected(new[0], index: 0))
            #expect(try store.blob(Blake3.hash(Self.blob(3))) == Self.expected(new[1], index: 0))
            // Published by both branches: the answer is the active branch's transaction.
            let shared = try #require(try store.blob(Blake3.hash(Self.blob(5))))
            #expect(shared == (try Self.expected(new[0], index: 1)))
            #expect(shared.txid != old.block.transactions.last?.txid)
        }
    }

    @Test("the same bytes published twice are answered with the lowest block's copy until it leaves", arguments: StoreKind.allCases)
    func duplicateBlobsAnswerTheLowestBlock(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 304)
        let genesis = builder.nextBlock()
        let first = builder.nextBlock(blobs: [Self.blob(7)])
        let second = builder.nextBlock(blobs: [Self.blob(8), Self.blob(7)])
        try kind.withStore { store in
            for step in [genesis, first, second] { try store.append(step) }
            #expect(try store.blob(Blake3.hash(Self.blob(7))) == Self.expected(first, index: 0))
            try store.disconnect(second.disconnection)
            try store.disconnect(first.disconnection)
            try store.connect(first.connection)
            try store.connect(second.connection)
            #expect(try store.blob(Blake3.hash(Self.blob(7))) == Self.expected(first, index: 0))
            try store.disconnect(second.disconnection)
            #expect(try store.blob(Blake3.hash(Self.blob(7))) == Self.expected(first, index: 0))
        }
    }

    @Test("a connect that fails adds no blob", arguments: StoreKind.allCases)
    func failedConnectIndexesNothing(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 305)
        let genesis = builder.nextBlock()
        var step = builder.nextBlock(blobs: [Self.blob(4)])
        step.connection.spent.append(UTXO(
            outpoint: OutPoint(txid: Hash32(Array(repeating: 0xEE, count: 32))!, index: 0),
            entry: UTXOEntry(output: Output(amount: Amount(units: 1), lock: ChainBuilder.locks[0]), height: 0, isCoinbase: false)))
        try kind.withStore { store in
            try store.append(genesis)
            try store.insertIndexEntries([step.indexEntry])
            try store.storeBody(step.block)
            #expect(throws: StoreError.self) {
                try store.connect(step.connection)
                if let writeBack = store as? WriteBackChainStore { try writeBack.flush() }
            }
            #expect(try store.blob(Blake3.hash(Self.blob(4))) == nil)
        }
    }

    @Test("a write-back batch indexes every block's blobs in its one transaction")
    func batchPathIndexesBlobs() throws {
        var builder = ChainBuilder(seed: 306)
        let steps = [builder.nextBlock()] + (1...4).map { builder.nextBlock(blobs: [Self.blob(UInt8($0)), Self.blob(9)]) }
        let folder = TemporaryFolder()
        let base = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? base.close() }
        let store = WriteBackChainStore(base: base, maxPendingBlocks: 10)
        for step in steps { try store.append(step) }
        #expect(store.pendingBlockCount == 5)
        #expect(try base.blob(Blake3.hash(Self.blob(1))) == nil)
        try store.flush()
        for (offset, step) in steps.dropFirst().enumerated() {
            #expect(try base.blob(Blake3.hash(Self.blob(UInt8(offset + 1)))) == Self.expected(step, index: 0))
        }
        #expect(try base.blob(Blake3.hash(Self.blob(9))) == Self.expected(steps[1], index: 1))
        // The batch's rows go with each block's disconnection.
        try store.disconnect(steps[4].disconnection)
        #expect(try store.blob(Blake3.hash(Self.blob(4))) == nil)
        #expect(try store.blob(Blake3.hash(Self.blob(3))) == Self.expected(steps[3], index: 0))
    }

    @Test("the blob index survives closing and reopening the database, disconnections included")
    func reopenedDatabaseKeepsTheIndex() throws {
        var builder = ChainBuilder(seed: 307)
        let steps = [builder.nextBlock(), builder.nextBlock(blobs: [Self.blob(1)]), builder.nextBlock(blobs: [Self.blob(2)])]
        let folder = TemporaryFolder()
        do {
            let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
            for step in steps { try store.append(step) }
            try store.disconnect(steps[2].disconnection)
            try store.close()
        }
        let reopened = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? reopened.close() }
        #expect(try reopened.blob(Blake3.hash(Self.blob(1))) == Self.expected(steps[1], index: 0))
        #expect(try reopened.blob(Blake3.hash(Self.blob(2))) == nil)
    }

    @Test("a database the v1 schema wrote is migrated to an empty blob index and keeps working")
    func v1DatabaseGainsTheBlobIndex() throws {
        var builder = ChainBuilder(seed: 308)
        let steps = [builder.nextBlock(), builder.nextBlock(blobs: [Self.blob(1)])]
        let folder = TemporaryFolder()
        let v1 = try DatabaseQueue(path: folder.file(StoreSchema.fileName))
        try StoreSchema.migrator(identity: StoreKind.identity).migrate(v1, upTo: "v1")
        try v1.close()
        let store = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? store.close() }
        let version = try store.read { db in try Int.fetchOne(db, sql: "SELECT schema_version FROM meta") }
        #expect(version == StoreSchema.version)
        for step in steps { try store.append(step) }
        #expect(try store.blob(Blake3.hash(Self.blob(1))) == Self.expected(steps[1], index: 0))
    }
}
