import EmberCore
import EmberCrypto
import EmberStore
import Testing

/// A connect or disconnect that fails part-way leaves the store exactly as it was.
@Suite struct ChainStoreAtomicityTests {
    /// Ways a connection can go wrong after some of its changes would already have been applied.
    enum Fault: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// The last created output is already unspent: the UTXO insert hits the primary key.
        case createsExistingOutput
        /// The last spent output does not exist.
        case spendsMissingOutput
        /// The last txid repeats one already indexed.
        case repeatsIndexedTransaction

        var testDescription: String { rawValue }
    }

    @Test(arguments: StoreKind.allCases, Fault.allCases)
    func failedConnectChangesNothing(kind: StoreKind, fault: Fault) throws {
        var builder = ChainBuilder(seed: 20)
        let before = builder.nextBlocks(2, transactionCount: 4)
        let next = builder.nextBlock(transactionCount: 6)
        var faulty = next.connection
        // An output created before and still unspent after `next`, so adding it again must fail.
        let existing = try #require(before[1].connection.created.first { builder.utxos[$0.outpoint] != nil })
        let expectedError: StoreError
        switch fault {
        case .createsExistingOutput:
            faulty.created.append(existing)
            expectedError = .duplicateUTXO(existing.outpoint)
        case .spendsMissingOutput:
            let missing = UTXO(outpoint: OutPoint(txid: .zero, index: 9), entry: existing.entry)
            faulty.spent.append(missing)
            expectedError = .missingUTXO(missing.outpoint)
        case .repeatsIndexedTransaction:
            let txid = before[0].connection.txids[0]
            faulty.txids.append(txid)
            expectedError = .duplicateTransaction(txid)
        }
        try kind.withStore { store in
            for step in before { try store.append(step) }
            try store.insertIndexEntries([next.indexEntry])
            try store.storeBody(next.block)
            let snapshot = try StoreSnapshot(of: store, txids: builder.txids)
            #expect(throws: expectedError) { try store.connect(faulty) }
            #expect(try StoreSnapshot(of: store, txids: builder.txids) == snapshot)
            try store.connect(next.connection)
            #expect(try store.tip() == next.connection.newTip)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func failedDisconnectChangesNothing(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 21)
        let steps = builder.nextBlocks(3, transactionCount: 5)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            let snapshot = try StoreSnapshot(of: store, txids: builder.txids)
            var faulty = steps[2].disconnection
            let stillUnspent = try #require(steps[1].connection.created.first { builder.utxos[$0.outpoint] != nil })
            faulty.restored.append(stillUnspent)
            #expect(throws: StoreError.duplicateUTXO(stillUnspent.outpoint)) { try store.disconnect(faulty) }
            #expect(try StoreSnapshot(of: store, txids: builder.txids) == snapshot)

            var wrongTxid = steps[2].disconnection
            wrongTxid.txids.append(steps[0].connection.txids[0])
            #expect(throws: StoreError.missingTransaction(steps[0].connection.txids[0])) {
                try store.disconnect(wrongTxid)
            }
            #expect(try StoreSnapshot(of: store, txids: builder.txids) == snapshot)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func connectOnlyExtendsTheTip(kind: StoreKind) throws {
        var common = ChainBuilder(seed: 22)
        let genesis = common.nextBlock()
        var sideBuilder = common.branch(seed: 99)
        let first = common.nextBlock()
        let second = common.nextBlock()
        let side = sideBuilder.nextBlock()
        try kind.withStore { store in
            #expect(throws: StoreError.unknownBlock(genesis.hash)) { try store.connect(genesis.connection) }
            try store.insertIndexEntries([genesis.indexEntry, first.indexEntry, second.indexEntry, side.indexEntry])
            #expect(throws: StoreError.missingBody(genesis.hash)) { try store.connect(genesis.connection) }
            #expect(throws: StoreError.notExtendingTip(block: first.hash, height: 1, tip: nil)) {
                try store.connect(first.connection)
            }
            try store.storeBody(genesis.block)
            try store.connect(genesis.connection)
            let tip = genesis.connection.newTip
            #expect(throws: StoreError.notExtendingTip(block: second.hash, height: 2, tip: tip)) {
                try store.connect(second.connection)
            }
            var wrongHeight = first.connection
            wrongHeight.height = 5
            #expect(throws: StoreError.notExtendingTip(block: first.hash, height: 5, tip: tip)) {
                try store.connect(wrongHeight)
            }
            #expect(throws: StoreError.notTip(block: first.hash, height: 1, tip: tip)) {
                try store.disconnect(first.disconnection)
            }
            try store.storeBody(side.block)
            try store.connect(side.connection)
            #expect(throws: StoreError.notExtendingTip(block: first.hash, height: 1, tip: side.connection.newTip)) {
                try store.connect(first.connection)
            }
        }
    }
}
