import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Foundation
import GRDB
import Testing

/// `ember chain verify` rebuilds the blob index from the active chain's blocks and compares it with the
/// stored one: a row lost, a stray row or a row pointing to the wrong place is reported.
@Suite("Chain verification of the blob index")
struct ChainVerifierBlobIndexTests {
    typealias Fixture = CovenantChainFixture

    static let committed: [UInt8] = Array("committed plasma block".utf8)
    static let published: [UInt8] = Array("second committed plasma block".utf8)

    /// A chain on SQLite whose active blocks publish two blobs, one commit each (the second block also reads the first commitment).
    static func chain(in folder: TemporaryChainFolder) async throws -> (Chain, Fixture) {
        let (shared, escrow) = try Fixture.shared()
        var fixture = shared
        let commit = fixture.commit(escrow, number: 1, blob: committed, seed: 2)
        try fixture.append([commit])
        let second = fixture.commit(OutPoint(txid: commit.txid, index: 0), number: 2, blob: published, seed: 3)
        try fixture.append([second, fixture.reader([OutPoint(txid: commit.txid, index: 1)], blobs: [], seed: 4)])
        let chain = try await Chain(params: Fixture.params, store: try folder.openStore())
        try await Fixture.submit(fixture.builder.blocks.dropFirst(), to: chain)
        return (chain, fixture)
    }

    static func execute(_ sql: String, _ arguments: StatementArguments, on store: any ChainStore) throws {
        let database = try DatabaseQueue(path: (store as! SQLiteChainStore).databasePath)
        defer { try? database.close() }
        try database.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    @Test("an intact blob index verifies")
    func intactIndex() async throws {
        let folder = TemporaryChainFolder()
        let (chain, _) = try await Self.chain(in: folder)
        #expect(try ChainVerifier.verify(chain.store).differences == [])
        #expect(try chain.store.blobLocations(after: nil, limit: 10).count == 2)
        withExtendedLifetime(folder) {}
    }

    @Test("a blob of the active chain missing from the index is reported")
    func missingRow() async throws {
        let folder = TemporaryChainFolder()
        let (chain, fixture) = try await Self.chain(in: folder)
        let hash = Blake3.hash(Self.published)
        try Self.execute("DELETE FROM blob_index WHERE hash = ?", [Data(hash.bytes)], on: chain.store)
        let report = try ChainVerifier.verify(chain.store)
        let location = BlobLocation(hash: hash, blockHash: fixture.builder.tip.hash, height: 4, position: 1, index: 0)
        #expect(!report.isConsistent)
        #expect(report.differences == [
            "the blob index lacks \(location)",
            "blob \(hash) answers nothing, not \(location)",
        ])
        withExtendedLifetime(folder) {}
    }

    @Test("a stray row naming a blob no active block publishes is reported")
    func strayRow() async throws {
        let folder = TemporaryChainFolder()
        let (chain, fixture) = try await Self.chain(in: folder)
        let stray = Hash32(Array(repeating: 0x5a, count: 32))!
        let block = fixture.builder.tip.hash
        try Self.execute(
            "INSERT INTO blob_index (hash, block_hash, height, position, blob_index) VALUES (?, ?, 4, 1, 0)",
            [Data(stray.bytes), Data(block.bytes)], on: chain.store)
        let report = try ChainVerifier.verify(chain.store)
        let location = BlobLocation(hash: stray, blockHash: block, height: 4, position: 1, index: 0)
        #expect(report.differences == ["the blob index holds \(location), which the active chain does not publish there"])
        withExtendedLifetime(folder) {}
    }

    @Test("a row moved to another place is reported, and so is the answer it gives")
    func movedRow() async throws {
        let folder = TemporaryChainFolder()
        let (chain, fixture) = try await Self.chain(in: folder)
        let hash = Blake3.hash(Self.committed)
        let block = fixture.builder.blocks[3].hash
        try Self.execute("UPDATE blob_index SET blob_index = 1 WHERE hash = ?", [Data(hash.bytes)], on: chain.store)
        let report = try ChainVerifier.verify(chain.store)
        let right = BlobLocation(hash: hash, blockHash: block, height: 3, position: 1, index: 0)
        var wrong = right
        wrong.index = 1
        #expect(report.differences.count == 3)
        #expect(report.differences.contains("the blob index holds \(wrong), which the active chain does not publish there"))
        #expect(report.differences.contains("the blob index lacks \(right)"))
        #expect(report.differences.contains { $0.hasPrefix("blob \(hash) answers a damaged record") })
        withExtendedLifetime(folder) {}
    }
}
