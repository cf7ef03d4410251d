import EmberCore
import EmberCrypto
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// The client's parts on their own: `CoinHistory` verification (a pure function), the wallet's SQLite
/// file, and the operator client against a real `OperatorServer` on 127.0.0.1.
@Suite("Plasma client")
struct ClientTests {
    static let network = NetworkID.devnet
    static let alice = SigningKey.devnet(index: 31)
    static let bob = SigningKey.devnet(index: 32)
    static let carol = SigningKey.devnet(index: 33)
    static let coin = Blake3.hash(Array("client tests coin".utf8))

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
    static func move(parent: UInt64, to: SigningKey, by: SigningKey) -> ChildTransaction {
        try! ChildTransaction(coinId: coin, parentBlock: parent, newOwnerKey: raw(to), signedBy: by, network: network)
    }

    /// Blocks 1…3: Alice → Bob at 1, nothing at 2, Bob → Carol at 3 (each block moves another coin too).
    static func chain(_ moves: [UInt64: ChildTransaction]) throws -> (roots: [UInt64: Hash32], evidence: [UInt64: CoinProof]) {
        var roots = [UInt64: Hash32]()
        var evidence = [UInt64: CoinProof]()
        for number in UInt64(1)...3 {
            let other = try ChildTransaction(
                coinId: Blake3.hash([UInt8(number)]), parentBlock: 0, newOwnerKey: raw(carol), signedBy: carol, network: network)
            let block = try ChildBlock(number: number, transactions: [other] + (moves[number].map { [$0] } ?? []))
            roots[number] = block.root
            evidence[number] = block.proof(for: coin)
        }
        return (roots, evidence)
    }

    static func history(_ evidence: [UInt64: CoinProof]) -> CoinHistory {
        CoinHistory(coinId: coin, depositorKey: raw(alice), firstBlock: 1, evidence: evidence)
    }

    @Test("a complete, signed history verifies up to block 3 and names Carol the owner of entry 3")
    func honestHistory() throws {
        let (roots, evidence) = try Self.chain([1: Self.move(parent: 0, to: Self.bob, by: Self.alice), 3: Self.move(parent: 1, to: Self.carol, by: Self.bob)])
        let latest = try Self.history(evidence).verify(through: 3, roots: roots, network: Self.network)
        #expect(latest.block == 3 && latest.owner == Self.raw(Self.carol) && latest.parentBlock == 1)
    }

    @Test("a history with a gap, a foreign root, a bad signature or a wrong parent is refused, naming the block")
    func refusedHistories() throws {
        let toBob = Self.move(parent: 0, to: Self.bob, by: Self.alice)
        let (roots, evidence) = try Self.chain([1: toBob, 3: Self.move(parent: 1, to: Self.carol, by: Self.bob)])
        var gap = evidence
        gap[2] = nil
        #expect(throws: CoinHistoryError.gap(block: 2)) { try Self.history(gap).verify(through: 3, roots: roots, network: Self.network) }
        var otherRoots = roots
        otherRoots[2] = Blake3.hash([9])
        #expect(throws: CoinHistoryError.proofDoesNotHold(block: 2)) { try Self.history(evidence).verify(through: 3, roots: otherRoots, network: Self.network) }
        #expect(throws: CoinHistoryError.missingRoot(block: 3)) { try Self.history(evidence).verify(through: 3, roots: roots.filter { $0.key < 3 }, network: Self.network) }
        let (badRoots, badEvidence) = try Self.chain([1: toBob, 3: Self.move(parent: 1, to: Self.carol, by: Self.carol)])
        #expect(throws: CoinHistoryError.invalidMove(block: 3, .notSignedByOwner(owner: Self.raw(Self.bob)))) {
            try Self.history(badEvidence).verify(through: 3, roots: badRoots, network: Self.network)
        }
        let (skipRoots, skipEvidence) = try Self.chain([1: toBob, 3: Self.move(parent: 2, to: Self.carol, by: Self.bob)])
        #expect(throws: CoinHistoryError.invalidMove(block: 3, .spendsMissingEntry(parentBlock: 2, latestBlock: 1))) {
            try Self.history(skipEvidence).verify(through: 3, roots: skipRoots, network: Self.network)
        }
        let (forgedRoots, forgedEvidence) = try Self.chain([1: Self.move(parent: 0, to: Self.bob, by: Self.bob)])
        #expect(throws: CoinHistoryError.invalidMove(block: 1, .forgedFirstMove)) {
            try Self.history(forgedEvidence).verify(through: 1, roots: forgedRoots, network: Self.network)
        }
    }

    @Test("the wallet file keeps coins, evidence and pending moves across a reopen, and refuses another chain's or program's file")
    func walletFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-plasma-wallet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("wallet.sqlite").path
        let chainId = Blake3.hash([1])
        let (_, evidence) = try Self.chain([1: Self.move(parent: 0, to: Self.bob, by: Self.alice)])
        let coin = WalletCoin(
            coinId: Self.coin, depositorKey: Self.raw(Self.alice), amount: Amount(units: 12_345), firstBlock: 1, exitWindow: 30,
            firstInput: OutPoint(txid: Blake3.hash([2]), index: 3), outputIndex: 1, output: OutPoint(txid: Blake3.hash([4]), index: 1), outputHeight: 17)
        let pendingMove = Self.move(parent: 1, to: Self.carol, by: Self.bob)
        do {
            let wallet = try PlasmaWallet(path: path, chainId: chainId, network: Self.network)
            try wallet.save(coin, evidence: evidence)
            try wallet.savePending(pendingMove, afterBlock: 3)
        }
        let reopened = try PlasmaWallet(path: path, chainId: chainId, network: Self.network)
        #expect(try reopened.coins() == [coin])
        #expect(try reopened.history(of: coin).evidence == evidence)
        #expect(try reopened.pending()[Self.coin]?.move == pendingMove)
        #expect(throws: PlasmaWalletError.self) { try PlasmaWallet(path: path, chainId: Blake3.hash([9]), network: Self.network) }
        let foreign = folder.appendingPathComponent("foreign.sqlite").path
        _ = try OperatorStore(path: foreign, chainId: chainId, network: Self.network)
        #expect(throws: PlasmaWalletError.notAWallet(path: foreign)) { try PlasmaWallet(path: foreign, chainId: chainId, network: Self.network) }
    }

    @Test("the operator client reads a real operator's proofs, history pages and verdicts over HTTP")
    func realOperator() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("client", by: Self.alice, into: service.store)
        let server = OperatorServer(service: service, port: 0, logger: OperatorFixture.quietLogger)
        let (port, task) = try await server.start(sealing: false)
        defer { task.cancel() }
        let client = OperatorClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
        let move = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await client.submit([move]) == ["accepted"])
        #expect(try await client.submit([move]) == ["alreadyAccepted"])
        let sealed = try #require(try await service.sealBlock())
        let status = try await client.status()
        #expect(status.chainId == fixture.chainId && status.latestBlock == 1)
        let proof = try #require(try await client.proof(of: coin, inBlock: 1))
        #expect(proof.move == move && proof.holds(for: coin, root: sealed.root))
        #expect(try await client.proof(of: coin, inBlock: 2) == nil)
        let page = try await client.history(of: coin, from: 1)
        #expect(page.entries.count == 1 && page.next == nil)
    }
}
