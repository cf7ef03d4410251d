import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

@Suite("mempool saved to a file and restored")
struct MempoolSnapshotTests {
    static let recipient = Lock.pubKeyHash(SigningKey.devnet(index: 7).publicKey.publicKeyHash)
    /// Twice the minimum fee for 1 000 bytes; every payment here is smaller.
    static let fee = Amount(units: 10_000_000_000 * 1_000 * 2)

    static func payment(_ chain: ChainBuilder, seed: UInt32) -> Transaction {
        chain.payment(from: chain.seedOutPoint(seed), key: .devnet(index: seed), amount: Amount(coins: 1)!, fee: fee, to: recipient)
    }

    @Test("a saved pool restores the same transactions, and drops one whose input was spent meanwhile")
    func savedPoolRestores() async throws {
        var chain = ChainBuilder()
        try chain.extend(by: 1)
        let (first, second) = (Self.payment(chain, seed: 1), Self.payment(chain, seed: 2))
        let pool = Mempool(params: chain.params)
        for transaction in [first, second] { _ = try await pool.add(transaction, view: chain.utxos, nowMs: chain.nowMs) }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-mempool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mempool.bin")
        try await pool.snapshot().write(to: file)
        let read = try #require(try MempoolSnapshot.read(from: file))
        #expect(read.transactions.map(\.txid) == [first.txid, second.txid])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["mempool.bin"])

        let restored = Mempool(params: chain.params)
        let outcome = await restored.restore(read, view: chain.utxos, nowMs: chain.nowMs)
        #expect(outcome.accepted == 2 && outcome.dropped.isEmpty)
        #expect(await restored.contents.map(\.transaction.txid) == [first.txid, second.txid])

        // Meanwhile a block spent the second payment's input: only the first comes back.
        var spentMeanwhile = chain.utxos
        spentMeanwhile.outputs.removeValue(forKey: chain.seedOutPoint(2))
        let later = Mempool(params: chain.params)
        let laterOutcome = await later.restore(read, view: spentMeanwhile, nowMs: chain.nowMs)
        #expect(laterOutcome.dropped == [second.txid])
        #expect(await later.contents.map(\.transaction.txid) == [first.txid])
        #expect(await later.state.isOrphan(second.txid) == false)
    }

    @Test("no file means no snapshot; a damaged file is an error, not a pool")
    func missingAndDamagedFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-mempool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mempool.bin")
        #expect(try MempoolSnapshot.read(from: file) == nil)
        try Data("EMBPOOL\u{1}\u{5}garbage".utf8).write(to: file)
        #expect(throws: DecodingError.self) { try MempoolSnapshot.read(from: file) }
    }

    @Test("a mempool file over its size limit is refused before it is read whole")
    func oversizeFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-mempool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mempool.bin")
        // An empty pool's file is the 8-byte magic and a zero count: 9 bytes.
        try MempoolSnapshot(transactions: []).write(to: file)
        #expect(try MempoolSnapshot.read(from: file, maxBytes: 9)?.transactions == [])
        #expect(throws: DecodingError(.sizeOverLimit(limit: 8), at: "mempool file")) {
            try MempoolSnapshot.read(from: file, maxBytes: 8)
        }
    }
}
