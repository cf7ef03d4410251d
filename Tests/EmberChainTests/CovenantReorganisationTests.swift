import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Testing

/// Reorganisations across blocks with covenant spends, reads and blobs, on real SQLite stores: after
/// each switch the chain must hold exactly what a fresh chain that only ever saw the winning branch
/// holds (UTXO set and its hash, blob index, supply figures), and `ChainVerifier` must agree.
@Suite("Reorganisations across covenants, reads and blobs")
struct CovenantReorganisationTests {
    typealias Fixture = CovenantChainFixture

    static let blobA: [UInt8] = Array("plasma block 1 of branch A".utf8)
    static let blobB: [UInt8] = Array("plasma block 2 of branch B".utf8)
    static let blobShared: [UInt8] = Array("committed on both branches, at different places".utf8)

    /// Branch A: a commit (blob A); a read of its commitment and a second commit (blob shared); an
    /// exit of the escrow, burning 5 coins.
    static func branchA(from shared: Fixture, escrow: OutPoint) throws -> Fixture {
        var branch = shared
        let first = branch.commit(escrow, number: 1, blob: blobA, seed: 2)
        try branch.append([first])
        let second = branch.commit(OutPoint(txid: first.txid, index: 0), number: 2, blob: blobShared, seed: 7)
        try branch.append([branch.reader([OutPoint(txid: first.txid, index: 1)], blobs: [], seed: 3), second])
        try branch.append([branch.exit(OutPoint(txid: second.txid, index: 0), seed: 4)])
        return branch
    }

    /// Branch B, mined by another key: a bond and a read of it; a commit (blob shared) and a read of
    /// its commitment in the same block; a second commit (blob B); an empty block.
    static func branchB(from shared: Fixture, escrow: OutPoint) throws -> Fixture {
        var branch = shared
        branch.builder.minerKey = .devnet(index: 6)
        let bond = branch.builder.payment(
            from: branch.builder.seedOutPoint(5), key: .devnet(index: 5), amount: Amount(coins: 2)!, fee: Fixture.fee, to: Fixture.bondLock)
        try branch.append([bond, branch.reader([OutPoint(txid: bond.txid, index: 0)], blobs: [], seed: 4)])
        let first = branch.commit(escrow, number: 1, blob: blobShared, seed: 2)
        try branch.append([first, branch.reader([OutPoint(txid: first.txid, index: 1)], blobs: [], seed: 3)])
        try branch.append([branch.commit(OutPoint(txid: first.txid, index: 0), number: 2, blob: blobB, seed: 7)])
        try branch.append([])
        return branch
    }

    /// A fresh chain in its own folder that imports `fixture`'s blocks only.
    static func freshChain(importing fixture: Fixture, in folder: TemporaryChainFolder) async throws -> Chain {
        let chain = try await Chain(params: Fixture.params, store: try folder.openStore())
        try await Fixture.submit(fixture.builder.blocks.dropFirst(), to: chain)
        return chain
    }

    /// `chain` ends on `fixture`'s tip and holds what `fresh` (which imported only that branch) holds.
    static func expectSameState(
        _ chain: Chain, as fresh: Chain, fixture: Fixture, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let tip = await chain.tip
        #expect(tip.hash == fixture.builder.tip.hash, sourceLocation: sourceLocation)
        #expect(tip.utxoSetHash == (await fresh.tip).utxoSetHash, sourceLocation: sourceLocation)
        #expect(try Fixture.utxoSet(of: chain.store) == Fixture.utxoSet(of: fresh.store), sourceLocation: sourceLocation)
        // The builder's UTXO set is the consensus rules' own: the same outputs, whoever stored them.
        let expectedOutputs = Dictionary(uniqueKeysWithValues: fixture.builder.utxos.outputs.map { ($0.key, $0.value.output) })
        let storedOutputs = Dictionary(uniqueKeysWithValues: try Fixture.utxoSet(of: chain.store).map { ($0.outpoint, $0.entry.output) })
        #expect(storedOutputs == expectedOutputs, sourceLocation: sourceLocation)
        #expect(try Fixture.blobIndex(of: chain.store) == Fixture.blobIndex(of: fresh.store), sourceLocation: sourceLocation)
        #expect(await chain.supply == fixture.expectedSupply, sourceLocation: sourceLocation)
        #expect(await fresh.supply == fixture.expectedSupply, sourceLocation: sourceLocation)
        for store in [chain.store, fresh.store] {
            let report = try ChainVerifier.verify(store)
            #expect(report.differences == [], sourceLocation: sourceLocation)
            #expect(report.recomputedHash == tip.utxoSetHash, sourceLocation: sourceLocation)
        }
    }

    /// Where `blob` must be found on `fixture`'s chain: block height, the transaction's position.
    static func expectBlob(
        _ blob: [UInt8], in store: any ChainStore, fixture: Fixture, height: Int, position: Int, index: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let block = fixture.builder.blocks[height]
        let stored = try store.blob(Blake3.hash(blob))
        #expect(stored?.blockHash == block.hash, sourceLocation: sourceLocation)
        #expect(stored?.height == UInt64(height), sourceLocation: sourceLocation)
        #expect(stored?.txid == block.transactions[position].txid, sourceLocation: sourceLocation)
        #expect(stored?.index == index, sourceLocation: sourceLocation)
        #expect(stored?.bytes == blob, sourceLocation: sourceLocation)
    }

    @Test("A (commits, read, exit) loses to a heavier B (bond, reads, commits), then wins again")
    func reorganiseAcrossCovenants() async throws {
        let (shared, escrow) = try Fixture.shared()
        var a = try Self.branchA(from: shared, escrow: escrow)
        let b = try Self.branchB(from: shared, escrow: escrow)
        // The exit burnt 5 coins that are no fee: the miner got half the fee only.
        let exitEffects = a.effects[a.builder.tip.hash]!
        #expect(exitEffects.covenantBurnt == Amount(coins: 5)!)

        let folder = TemporaryChainFolder()
        let chain = try await Chain(params: Fixture.params, store: try folder.openStore())
        try await Fixture.submit(a.builder.blocks.dropFirst(), to: chain)
        let freshAFolder = TemporaryChainFolder()
        let freshA = try await Self.freshChain(importing: a, in: freshAFolder)
        try await Self.expectSameState(chain, as: freshA, fixture: a)
        try Self.expectBlob(Self.blobA, in: chain.store, fixture: a, height: 3, position: 1, index: 0)
        try Self.expectBlob(Self.blobShared, in: chain.store, fixture: a, height: 4, position: 2, index: 0)

        // B has one block more than A: the chain moves to it.
        try await Fixture.submit(b.builder.blocks.dropFirst(3), to: chain)
        let freshBFolder = TemporaryChainFolder()
        let freshB = try await Self.freshChain(importing: b, in: freshBFolder)
        try await Self.expectSameState(chain, as: freshB, fixture: b)
        #expect(try chain.store.blob(Blake3.hash(Self.blobA)) == nil)
        try Self.expectBlob(Self.blobShared, in: chain.store, fixture: b, height: 4, position: 1, index: 0)
        try Self.expectBlob(Self.blobB, in: chain.store, fixture: b, height: 5, position: 1, index: 0)

        // A comes back with two more blocks, heavier than B.
        try a.append([])
        try a.append([])
        try await Fixture.submit(a.builder.blocks.dropFirst(6), to: chain)
        let freshA2Folder = TemporaryChainFolder()
        let freshA2 = try await Self.freshChain(importing: a, in: freshA2Folder)
        try await Self.expectSameState(chain, as: freshA2, fixture: a)
        #expect(try chain.store.blob(Blake3.hash(Self.blobB)) == nil)
        try Self.expectBlob(Self.blobA, in: chain.store, fixture: a, height: 3, position: 1, index: 0)
        try Self.expectBlob(Self.blobShared, in: chain.store, fixture: a, height: 4, position: 2, index: 0)

        // A restart reads the stored figures and finds the same supply.
        let reopened = try await Chain(params: Fixture.params, store: try folder.openStore())
        #expect(await reopened.supply == a.expectedSupply)
        withExtendedLifetime((folder, freshAFolder, freshBFolder, freshA2Folder)) {}
    }
}
