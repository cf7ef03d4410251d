import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Foundation
import GRDB
import Testing

/// Each block's minted and burnt amounts are stored with its undo data when it connects, read back on
/// disconnection and at start-up; blocks connected before the store kept them get them once, from the
/// pre-v2 formula, which must refuse a block it cannot be exact for.
@Suite("Supply figures kept with the undo data")
struct SupplyFiguresTests {
    typealias Fixture = CovenantChainFixture

    /// The shared blocks, a commit, and an exit burning 5 coins of covenant money.
    static func chainWithExit() throws -> Fixture {
        let (shared, escrow) = try Fixture.shared()
        var fixture = shared
        let commit = fixture.commit(escrow, number: 1, blob: [1, 2, 3], seed: 2)
        try fixture.append([commit])
        try fixture.append([fixture.exit(OutPoint(txid: commit.txid, index: 0), seed: 4)])
        return fixture
    }

    /// The shared blocks, then payments paying fees and no covenant spend: what a v1 chain held.
    static func chainWithFees() throws -> Fixture {
        var (fixture, _) = try Fixture.shared()
        let lock = Lock.pubKeyHash(SigningKey.devnet(index: 3).publicKey.publicKeyHash)
        let first = fixture.builder.payment(
            from: fixture.builder.seedOutPoint(3), key: .devnet(index: 3), amount: Amount(coins: 4)!, fee: Fixture.fee, to: lock)
        try fixture.append([first])
        let second = fixture.builder.payment(
            from: OutPoint(txid: first.txid, index: 0), key: .devnet(index: 3), amount: Amount(coins: 1)!, fee: Fixture.fee, to: lock)
        try fixture.append([second])
        return fixture
    }

    /// Each active block's stored figures are those the consensus rules reported when it connected.
    static func expectStoredFigures(_ store: any ChainStore, _ fixture: Fixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try store.supply(of: fixture.builder.blocks[0].hash) == .zero, sourceLocation: sourceLocation)
        for block in fixture.builder.blocks.dropFirst() {
            let effects = fixture.effects[block.hash]!
            let expected = BlockSupply(minted: effects.reward.reward, burnt: effects.burnt)
            #expect(try store.supply(of: block.hash) == expected, "block \(block.header.height)", sourceLocation: sourceLocation)
        }
    }

    /// Clears the stored figures of `blocks`, as a database from before schema 3 holds them.
    static func forgetFigures(of blocks: [Block], in store: SQLiteChainStore) throws {
        let database = try DatabaseQueue(path: store.databasePath)
        defer { try? database.close() }
        try database.write { db in
            for block in blocks {
                try db.execute(sql: "UPDATE block_undo SET minted = NULL, burnt = NULL WHERE hash = ?", arguments: [Data(block.hash.bytes)])
            }
        }
    }

    @Test("figures are stored when a block connects, one block per transaction or in write-back batches", arguments: [1, 16])
    func figuresAreStored(batch: Int) async throws {
        let fixture = try Self.chainWithExit()
        let folder = TemporaryChainFolder()
        let base = try folder.openStore()
        let store: any ChainStore = batch == 1 ? base : WriteBackChainStore(base: base, maxPendingBlocks: batch)
        let chain = try await Chain(params: Fixture.params, store: store)
        try await Fixture.submit(fixture.builder.blocks.dropFirst(), to: chain)
        if let writeBack = store as? WriteBackChainStore { try writeBack.flush() }
        #expect(await chain.supply == fixture.expectedSupply)
        try Self.expectStoredFigures(try folder.openStore(), fixture)
        let exit = fixture.builder.tip
        #expect(fixture.effects[exit.hash]!.covenantBurnt == Amount(coins: 5)!)
        withExtendedLifetime(folder) {}
    }

    @Test("a restart sums the stored figures: altered figures show, so the blocks are not replayed")
    func restartReadsStoredFigures() async throws {
        let fixture = try Self.chainWithExit()
        let folder = TemporaryChainFolder()
        let chain = try await Chain(params: Fixture.params, store: try folder.openStore())
        try await Fixture.submit(fixture.builder.blocks.dropFirst(), to: chain)
        let store = try folder.openStore()
        let database = try DatabaseQueue(path: store.databasePath)
        let oneUnit = Data((0..<16).map { $0 == 15 ? 1 : 0 })
        let tipHash = Data(fixture.builder.tip.hash.bytes)
        try await database.write { db in
            try db.execute(sql: "UPDATE block_undo SET minted = ?, burnt = ? WHERE hash = ?", arguments: [oneUnit, oneUnit, tipHash])
        }
        try database.close()
        let exit = fixture.effects[fixture.builder.tip.hash]!
        var expected = fixture.expectedSupply
        expected.minted = Amount(units: expected.minted.units - exit.reward.reward.units + 1)
        expected.burnt = Amount(units: expected.burnt.units - exit.burnt.units + 1)
        let reopened = try await Chain(params: Fixture.params, store: store)
        #expect(await reopened.supply == expected)
        withExtendedLifetime(folder) {}
    }

    @Test("blocks connected before schema 3 get their figures once, from the pre-v2 formula")
    func preV2BlocksGetFigures() async throws {
        let fixture = try Self.chainWithFees()
        let folder = TemporaryChainFolder()
        let chain = try await Chain(params: Fixture.params, store: try folder.openStore())
        try await Fixture.submit(fixture.builder.blocks.dropFirst(), to: chain)
        try Self.forgetFigures(of: fixture.builder.blocks, in: try folder.openStore())
        let store = try folder.openStore()
        #expect(try store.activeSupply().blocksWithoutFigures == fixture.builder.blocks.map(\.hash))
        let reopened = try await Chain(params: Fixture.params, store: store)
        #expect(await reopened.supply == fixture.expectedSupply)
        #expect(try store.activeSupply().blocksWithoutFigures == [])
        try Self.expectStoredFigures(store, fixture)
        withExtendedLifetime(folder) {}
    }

    @Test("a block without figures that spends a covenant output stops the start: its burn cannot be re-derived")
    func preV2FormulaRefusesCovenantSpends() async throws {
        let fixture = try Self.chainWithExit()
        let folder = TemporaryChainFolder()
        let chain = try await Chain(params: Fixture.params, store: try folder.openStore())
        try await Fixture.submit(fixture.builder.blocks.dropFirst(), to: chain)
        try Self.forgetFigures(of: [fixture.builder.tip], in: try folder.openStore())
        let store = try folder.openStore()
        do throws(ChainError) {
            _ = try await Chain(params: Fixture.params, store: store)
            Issue.record("the chain opened with a covenant burn it cannot count")
        } catch {
            guard case .inconsistentStore(let detail) = error else { throw error }
            #expect(detail.contains("spends covenant output"))
        }
        withExtendedLifetime(folder) {}
    }

    @Test("the pre-v2 formula refuses an input found neither in the undo data nor in the block")
    func preV2FormulaRefusesMissingInputs() throws {
        let fixture = try Self.chainWithFees()
        let block = fixture.builder.tip
        #expect(throws: ChainError.self) {
            try SupplyTotals.preV2Figures(of: block, spent: [], params: Fixture.params)
        }
    }

    @Test("the pre-v2 formula counts every input minus output as fee, half of it burnt")
    func preV2FormulaOnFees() throws {
        var fixture = try Self.chainWithFees()
        let lock = Lock.pubKeyHash(SigningKey.devnet(index: 6).publicKey.publicKeyHash)
        let payment = fixture.builder.payment(
            from: fixture.builder.seedOutPoint(6), key: .devnet(index: 6), amount: Amount(coins: 3)!, fee: Fixture.fee, to: lock)
        let spentEntry = fixture.builder.utxos.unspentOutput(at: fixture.builder.seedOutPoint(6))!
        let block = try fixture.append([payment])
        let effects = fixture.effects[block.hash]!
        let figures = try SupplyTotals.preV2Figures(
            of: block, spent: [UTXO(outpoint: fixture.builder.seedOutPoint(6), entry: spentEntry)], params: Fixture.params)
        #expect(figures.minted == effects.reward.reward)
        #expect(figures.burnt.units == effects.reward.burnt.units + Fixture.fee.units - Fixture.fee.units / 2)
    }
}
