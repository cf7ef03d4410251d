import EmberCore
import EmberCrypto
import EmberStore
import Testing

/// The behaviour every `ChainStore` shares, run against each implementation.
@Suite struct ChainStoreBehaviourTests {
    @Test(arguments: StoreKind.allCases)
    func emptyStoreHoldsNothing(kind: StoreKind) throws {
        try kind.withStore { store throws in
            #expect(store.identity == StoreKind.identity)
            #expect(try store.tip() == nil)
            #expect(try store.activeHash(atHeight: 0) == nil)
            #expect(try store.allIndexEntries().isEmpty)
            #expect(try store.utxoSet(after: nil, limit: 10).isEmpty)
            #expect(try store.balance(of: ChainBuilder.locks[0]) == LockBalance(amount: .zero, outputCount: 0))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func connectRecordsTipUTXOsUndoAndTransactions(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 1)
        let steps = builder.nextBlocks(3, transactionCount: 6)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            let last = try #require(steps.last)
            #expect(try store.tip() == last.connection.newTip)
            for (height, step) in steps.enumerated() {
                #expect(try store.activeHash(atHeight: UInt64(height)) == step.hash)
                #expect(try store.undo(for: step.hash) == step.connection.spent)
                #expect(try store.block(step.hash) == step.block)
                for (position, txid) in step.connection.txids.enumerated() {
                    let location = TransactionLocation(blockHash: step.hash, position: position)
                    #expect(try store.transactionLocation(of: txid) == location)
                }
            }
            #expect(try store.activeHash(atHeight: 3) == nil)
            let stored = try store.utxoSet(after: nil, limit: .max)
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.outpoint, $0.entry) }) == builder.utxos)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func disconnectingEveryBlockRestoresEachEarlierState(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 2)
        let steps = builder.nextBlocks(6, transactionCount: 5)
        try kind.withStore { store in
            try store.insertIndexEntries(steps.map(\.indexEntry))
            for step in steps { try store.storeBody(step.block) }
            var before: [StoreSnapshot] = []
            for step in steps {
                before.append(try StoreSnapshot(of: store, txids: builder.txids))
                try store.connect(step.connection)
            }
            for (step, expected) in zip(steps, before).reversed() {
                try store.disconnect(step.disconnection)
                #expect(try StoreSnapshot(of: store, txids: builder.txids) == expected)
            }
            #expect(try store.tip() == nil)
            #expect(try store.utxoSet(after: nil, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reorgToACompetingBranchAndBack(kind: StoreKind) throws {
        var common = ChainBuilder(seed: 3)
        let trunk = common.nextBlocks(3)
        var branchA = common.branch(seed: 31)
        var branchB = common.branch(seed: 32)
        let stepsA = branchA.nextBlocks(2)
        let stepsB = branchB.nextBlocks(3)
        try kind.withStore { store in
            for step in trunk + stepsA { try store.append(step) }
            let onA = try StoreSnapshot(of: store, txids: branchA.txids + branchB.txids)
            for step in stepsA.reversed() { try store.disconnect(step.disconnection) }
            for step in stepsB { try store.append(step) }
            let stored = try store.utxoSet(after: nil, limit: .max)
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.outpoint, $0.entry) }) == branchB.utxos)
            #expect(try store.children(of: trunk[2].hash).map(\.hash) == [stepsA[0].hash, stepsB[0].hash].sorted())
            for step in stepsB.reversed() { try store.disconnect(step.disconnection) }
            for step in stepsA { try store.connect(step.connection) }
            var back = try StoreSnapshot(of: store, txids: branchA.txids + branchB.txids)
            // Branch B stays indexed and stored; everything else is as it was on branch A.
            back.index.removeAll { entry in stepsB.contains { $0.hash == entry.hash } }
            #expect(back == onA)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func addressIndexListsAndTotalsEachLocksOutputs(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 4)
        let steps = builder.nextBlocks(4, transactionCount: 8)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            for lock in ChainBuilder.locks {
                let expected = builder.utxos.filter { $0.value.output.lock == lock }
                var listed: [UTXO] = []
                var after: OutPoint?
                while true {
                    let page = try store.utxos(lockedBy: lock, after: after, limit: 3)
                    listed += page
                    guard let last = page.last else { break }
                    after = last.outpoint
                }
                #expect(listed.map(\.outpoint) == expected.keys.sorted { ($0.txid, $0.index) < ($1.txid, $1.index) })
                #expect(Dictionary(uniqueKeysWithValues: listed.map { ($0.outpoint, $0.entry) }) == expected)
                let total = expected.values.map(\.output.amount).checkedSum()
                #expect(try store.balance(of: lock) == LockBalance(amount: try #require(total), outputCount: expected.count))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func batchedLookupReturnsOnlyUnspentOutputs(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 5)
        let steps = builder.nextBlocks(3)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            let spent = steps.flatMap(\.connection.spent).map(\.outpoint)
            let unspent = Array(builder.utxos.keys)
            let missing = OutPoint(txid: Hash32(Array(repeating: 0xEE, count: 32))!, index: 7)
            let found = try store.utxos(at: unspent + spent + [missing])
            #expect(found == builder.utxos)
            #expect(!spent.isEmpty)
            for outpoint in unspent { #expect(try store.utxo(at: outpoint) == builder.utxos[outpoint]) }
            #expect(try store.utxo(at: missing) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func blockIndexAnswersByHashParentAndHeight(kind: StoreKind) throws {
        var common = ChainBuilder(seed: 6)
        let trunk = common.nextBlocks(2)
        var sideBuilder = common.branch(seed: 61)
        let main = common.nextBlock()
        let side = sideBuilder.nextBlock()
        try kind.withStore { store in
            let entries = trunk.map(\.indexEntry) + [main.indexEntry, side.indexEntry]
            try store.insertIndexEntries(entries.reversed())
            #expect(try store.indexEntry(for: main.hash) == main.indexEntry)
            #expect(try store.indexEntry(for: Hash32.zero) == nil)
            let forkChildren = [main.hash, side.hash].sorted()
            #expect(try store.children(of: trunk[1].hash).map(\.hash) == forkChildren)
            #expect(try store.indexEntries(atHeight: 2).map(\.hash) == forkChildren)
            #expect(try store.indexEntries(atHeight: 3).isEmpty)
            let all = try store.allIndexEntries()
            #expect(all.map(\.hash) == [trunk[0].hash, trunk[1].hash] + forkChildren)

            var changed = main.indexEntry
            changed.cumulativeWork = [0xFF]
            try store.insertIndexEntries([changed])
            #expect(try store.indexEntry(for: main.hash) == main.indexEntry, "an indexed block is left as it is")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statusFlagsFollowCallerAndStore(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 7)
        let step = builder.nextBlock()
        try kind.withStore { store in
            try store.insertIndexEntries([step.indexEntry])
            try store.updateStatus(of: step.hash, inserting: .invalid, removing: .headerValid)
            #expect(try store.indexEntry(for: step.hash)?.status == .invalid)
            try store.updateStatus(of: step.hash, inserting: .headerValid, removing: .invalid)
            try store.storeBody(step.block)
            #expect(try store.indexEntry(for: step.hash)?.status == [.headerValid, .bodyStored])
            try store.connect(step.connection)
            #expect(try store.indexEntry(for: step.hash)?.status == [.headerValid, .bodyStored, .connected])
            try store.disconnect(step.disconnection)
            #expect(try store.indexEntry(for: step.hash)?.status == [.headerValid, .bodyStored])

            #expect(throws: StoreError.storeManagedStatus(.connected)) {
                try store.updateStatus(of: step.hash, inserting: .connected, removing: [])
            }
            #expect(throws: StoreError.storeManagedStatus(.bodyStored)) {
                try store.updateStatus(of: step.hash, inserting: [], removing: .bodyStored)
            }
            var claimsBody = builder.nextBlock().indexEntry
            claimsBody.status.insert(.bodyStored)
            #expect(throws: StoreError.storeManagedStatus(.bodyStored)) { try store.insertIndexEntries([claimsBody]) }
            #expect(throws: StoreError.unknownBlock(.zero)) {
                try store.updateStatus(of: .zero, inserting: .invalid, removing: [])
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func bodiesNeedAnIndexEntry(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 8)
        let step = builder.nextBlock()
        try kind.withStore { store in
            #expect(throws: StoreError.unknownBlock(step.hash)) { try store.storeBody(step.block) }
            #expect(try store.block(step.hash) == nil)
            try store.insertIndexEntries([step.indexEntry])
            try store.storeBody(step.block)
            try store.storeBody(step.block)
            #expect(try store.block(step.hash) == step.block)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pruningDeletesOnlyOldSideBranches(kind: StoreKind) throws {
        var common = ChainBuilder(seed: 9)
        let trunk = common.nextBlocks(2)
        var oldSideBuilder = common.branch(seed: 91)
        let main = common.nextBlocks(3)
        let oldSide = oldSideBuilder.nextBlocks(2)
        var recentSideBuilder = common.branch(seed: 92)
        let recentSide = recentSideBuilder.nextBlock()
        try kind.withStore { store in
            for step in trunk + main { try store.append(step) }
            for step in oldSide + [recentSide] {
                try store.insertIndexEntries([step.indexEntry])
                try store.storeBody(step.block)
            }
            #expect(try store.pruneSideBranches(below: 4) == 2)
            for step in oldSide {
                #expect(try store.indexEntry(for: step.hash) == nil)
                #expect(try store.block(step.hash) == nil)
            }
            #expect(try store.indexEntry(for: recentSide.hash) != nil, "height 5 is not below 4")
            for step in trunk + main {
                #expect(try store.indexEntry(for: step.hash) != nil)
                #expect(try store.block(step.hash) == step.block)
            }
            #expect(try store.pruneSideBranches(below: 4) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cursorWalksTheActiveChainPageByPage(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 10)
        let steps = builder.nextBlocks(7, transactionCount: 2)
        try kind.withStore { store in
            for step in steps { try store.append(step) }
            var cursor = store.activeBlocks(from: 0, pageSize: 3)
            var walked: [Block] = []
            while let block = try cursor.next() { walked.append(block) }
            #expect(walked == steps.map(\.block))
            var fromMiddle = store.activeBlocks(from: 5)
            #expect(try fromMiddle.next() == steps[5].block)
            #expect(try store.activeBlocks(from: 2, limit: 2) == [steps[2].block, steps[3].block])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cursorFollowsAReorgAboveItAndReportsOneBelowIt(kind: StoreKind) throws {
        var common = ChainBuilder(seed: 11)
        let trunk = common.nextBlocks(2, transactionCount: 2)
        var other = common.branch(seed: 111)
        let tail = common.nextBlocks(2, transactionCount: 2)
        let replacement = other.nextBlocks(2, transactionCount: 2)
        try kind.withStore { store in
            for step in trunk + tail { try store.append(step) }
            var cursor = store.activeBlocks(from: 0, pageSize: 2)
            _ = try cursor.next()
            _ = try cursor.next()
            for step in tail.reversed() { try store.disconnect(step.disconnection) }
            for step in replacement { try store.append(step) }
            #expect(try cursor.next() == replacement[0].block)
            #expect(try cursor.next() == replacement[1].block)
            #expect(try cursor.next() == nil)
            var staleCursor = store.activeBlocks(from: 0, pageSize: 3)
            _ = try staleCursor.next()
            _ = try staleCursor.next()
            _ = try staleCursor.next()
            for step in replacement.reversed() { try store.disconnect(step.disconnection) }
            for step in tail { try store.connect(step.connection) }
            #expect(throws: StoreError.activeChainChanged(atHeight: 3)) { _ = try staleCursor.next() }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func disconnectingGenesisEmptiesTheChain(kind: StoreKind) throws {
        var builder = ChainBuilder(seed: 12)
        let genesis = builder.nextBlock()
        try kind.withStore { store in
            try store.append(genesis)
            #expect(try store.tip() == genesis.connection.newTip)
            try store.disconnect(genesis.disconnection)
            #expect(try store.tip() == nil)
            #expect(try store.utxoSet(after: nil, limit: 10).isEmpty)
            #expect(try store.undo(for: genesis.hash) == nil)
        }
    }
}
