import EmberCore
import EmberCrypto
import EmberStore
import Testing

/// Batches of blocks in a write-back store: its own reads see them at once, the database only after
/// a flush, and the result is what connecting block by block gives.
@Suite struct WriteBackChainStoreTests {
    /// Runs `body` with a write-back store of batches of `batch` blocks over a new SQLite store.
    private func withStores(batch: Int, _ body: (WriteBackChainStore, SQLiteChainStore) throws -> Void) throws {
        let folder = TemporaryFolder()
        let base = try SQLiteChainStore(folder: folder.path, identity: StoreKind.identity)
        defer { try? base.close() }
        try body(WriteBackChainStore(base: base, maxPendingBlocks: batch), base)
    }

    @Test func pendingBlocksAreVisibleThroughTheStoreButNotYetInTheDatabase() throws {
        var builder = ChainBuilder(seed: 60)
        let steps = builder.nextBlocks(3, transactionCount: 6)
        try withStores(batch: 10) { store, base in
            for step in steps { try store.append(step) }

            #expect(store.pendingBlockCount == 3)
            #expect(try base.tip() == nil)
            #expect(try store.tip() == steps[2].connection.newTip)
            // Outputs spent by pending blocks are gone, those they created are there, through the store.
            for step in steps {
                for spent in step.connection.spent {
                    #expect(try store.utxo(at: spent.outpoint) == builder.utxos[spent.outpoint])
                }
                for created in step.connection.created {
                    #expect(try store.utxo(at: created.outpoint) == builder.utxos[created.outpoint])
                }
            }
            let everyOutpoint = steps.flatMap { $0.connection.created.map(\.outpoint) + $0.connection.spent.map(\.outpoint) }
            #expect(try store.utxos(at: everyOutpoint) == builder.utxos.filter { everyOutpoint.contains($0.key) })

            try store.flush()
            #expect(store.pendingBlockCount == 0)
            #expect(try base.tip() == steps[2].connection.newTip)
            let stored = try base.utxoSet(after: nil, limit: .max)
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.outpoint, $0.entry) }) == builder.utxos)
        }
    }

    @Test func aFullBatchIsWrittenByTheConnectThatFillsIt() throws {
        var builder = ChainBuilder(seed: 61)
        let steps = builder.nextBlocks(5, transactionCount: 4)
        try withStores(batch: 2) { store, base in
            for step in steps { try store.append(step) }
            #expect(try base.tip() == steps[3].connection.newTip)
            #expect(store.pendingBlockCount == 1)
            // A read the memory cannot answer writes the batch first.
            #expect(try store.activeHash(atHeight: 4) == steps[4].hash)
            #expect(try base.tip() == steps[4].connection.newTip)
        }
    }

    @Test func aBatchThatFailsIsDiscardedWhole() throws {
        var builder = ChainBuilder(seed: 62)
        let before = builder.nextBlocks(2, transactionCount: 4)
        let batch = builder.nextBlocks(2, transactionCount: 4)
        try withStores(batch: 2) { store, base in
            for step in before { try store.append(step) }
            try store.append(batch[0])
            var faulty = batch[1].connection
            let missing = OutPoint(txid: .zero, index: 7)
            faulty.spent.append(UTXO(outpoint: missing, entry: try #require(batch[1].connection.created.first).entry))
            try store.insertIndexEntries([batch[1].indexEntry])
            try store.storeBody(batch[1].block)
            #expect(throws: StoreError.missingUTXO(missing)) { try store.connect(faulty) }
            #expect(store.pendingBlockCount == 0)
            #expect(try store.tip() == before[1].connection.newTip)
            #expect(try base.tip() == before[1].connection.newTip)
        }
    }

    @Test func aBlockNotExtendingThePendingTipIsRefusedAtOnce() throws {
        var builder = ChainBuilder(seed: 63)
        let steps = builder.nextBlocks(3, transactionCount: 4)
        try withStores(batch: 10) { store, base in
            try store.append(steps[0])
            try store.append(steps[1])
            #expect(throws: StoreError.notExtendingTip(block: steps[1].hash, height: 1, tip: steps[1].connection.newTip)) {
                try store.connect(steps[1].connection)
            }
            #expect(store.pendingBlockCount == 2)
            try store.append(steps[2])
            try store.flush()
            #expect(try base.tip() == steps[2].connection.newTip)
        }
    }

    @Test func aBatchWritesWhatBlockByBlockConnectionWritesAndUndoesAlike() throws {
        var builder = ChainBuilder(seed: 64)
        // Blocks of many transactions spend outputs of the blocks just before, within the batch.
        let steps = builder.nextBlocks(12, transactionCount: 40)
        let created = Set(steps.flatMap { $0.connection.created.map(\.outpoint) })
        #expect(steps.contains { $0.connection.spent.contains { created.contains($0.outpoint) } })
        let txids = builder.txids
        let oneByOne = TemporaryFolder()
        let reference = try SQLiteChainStore(folder: oneByOne.path, identity: StoreKind.identity)
        defer { try? reference.close() }
        try withStores(batch: 12) { store, base in
            var snapshots: [StoreSnapshot] = []
            for step in steps {
                try reference.append(step)
                snapshots.append(try StoreSnapshot(of: reference, txids: txids))
                try store.append(step)
            }
            #expect(try base.tip() == steps[11].connection.newTip)
            #expect(try StoreSnapshot(of: base, txids: txids) == snapshots[11])
            // The undo data each block kept takes the batch back one block at a time.
            for index in stride(from: 11, through: 1, by: -1) {
                try base.disconnect(steps[index].disconnection)
                var expected = snapshots[index - 1]
                // Index statuses are the chain actor's to restore; the rest must match exactly.
                expected.index = try base.allIndexEntries()
                #expect(try StoreSnapshot(of: base, txids: txids) == expected)
            }
        }
    }

    @Test func anOutputSpentTwiceWithinOneBatchIsMissingAtTheFlush() throws {
        var builder = ChainBuilder(seed: 65)
        let before = builder.nextBlocks(1, transactionCount: 4)
        let batch = builder.nextBlocks(2, transactionCount: 4)
        try withStores(batch: 10) { store, base in
            try store.append(before[0])
            try store.flush()
            try store.append(batch[0])
            var doubleSpend = batch[1].connection
            let spentAgain = try #require(batch[0].connection.spent.first)
            doubleSpend.spent.append(spentAgain)
            try store.insertIndexEntries([batch[1].indexEntry])
            try store.storeBody(batch[1].block)
            try store.connect(doubleSpend)
            #expect(throws: StoreError.missingUTXO(spentAgain.outpoint)) { try store.flush() }
            #expect(try base.tip() == before[0].connection.newTip)
        }
    }

    @Test func loweringTheBatchSizeWritesWhatAlreadyFillsIt() throws {
        var builder = ChainBuilder(seed: 66)
        let steps = builder.nextBlocks(4, transactionCount: 4)
        try withStores(batch: 16) { store, base in
            for step in steps.prefix(3) { try store.append(step) }
            #expect(store.pendingBlockCount == 3)
            try store.setMaxPendingBlocks(4)
            #expect(store.pendingBlockCount == 3)
            #expect(try base.tip() == nil)
            try store.setMaxPendingBlocks(1)
            #expect(store.pendingBlockCount == 0)
            #expect(try base.tip() == steps[2].connection.newTip)
            // From now on every block is written as it connects.
            try store.append(steps[3])
            #expect(try base.tip() == steps[3].connection.newTip)
        }
    }
}
