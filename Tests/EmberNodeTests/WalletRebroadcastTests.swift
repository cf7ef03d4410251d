import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing
@testable import EmberNode

@Suite("wallet records what it sent and sends it again")
struct WalletRebroadcastTests {
    @Test("a sent payment is recorded beside the keystore, sent again while the node does not know it, and forgotten once refused")
    func recordsAndRebroadcasts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-wallet-sent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sent = WalletSentTransactions(keystorePath: folder.appendingPathComponent("wallet.json").path)
        #expect(try sent.load().isEmpty)

        let node = try ChainBackedNode()
        defer { node.stop() }
        let keystore = try Keystore.create(
            key: .devnet(index: 0), network: .devnet, passphrase: WalletSenderTests.passphrase, kdf: try KeystoreTests.cheapKDF())
        let sender = WalletSender(keystore: keystore, client: NodeClient(baseURL: node.url, timeout: 10), sent: sent)
        let payment = try await sender.send(amount: "1", to: WalletSenderTests.payee, nowMs: node.chain.nowMs) { WalletSenderTests.passphrase }
        #expect(try sent.load().map(\.txid) == [payment.digests.txid])

        // The fake node keeps no mempool (it answers 404 for the transaction): the payment goes again.
        let first = try await sender.rebroadcast(sent)
        #expect(first == WalletRebroadcast(resent: [payment.digests.txid]))
        #expect(node.submissions == ["valid", "valid"])
        #expect(try sent.load().map(\.txid) == [payment.digests.txid])

        // A recorded transaction the node refuses (here: seed 2's output signed by seed 3's key) is forgotten.
        let forged = node.chain.payment(
            from: node.chain.seedOutPoint(2), key: .devnet(index: 3), amount: Amount(coins: 1)!,
            fee: Amount(units: 10_000_000_000 * 1_000), to: payment.transaction.outputs[0].lock)
        try sent.record(forged)
        let second = try await sender.rebroadcast(sent)
        #expect(second.dropped == [forged.txid])
        #expect(try sent.load().map(\.txid) == [payment.digests.txid])
    }
}
