import EmberCore
import EmberCrypto
import EmberNode
import EmberTestSupport
import Foundation
import Synchronization
import Testing

@Suite("wallet sender")
struct WalletSenderTests {
    static let passphrase = Array("send with care".utf8)
    static let payee = SigningKey.devnet(index: 5).publicKey.address(on: .devnet).string

    /// Devnet seed account 0's keystore, a node over a fresh chain, and a sender between them.
    static func withSender(
        network: NetworkID = .devnet, _ body: (WalletSender, ChainBackedNode) async throws -> Void
    ) async throws {
        let node = try ChainBackedNode(network: network)
        defer { node.stop() }
        let keystore = try Keystore.create(
            key: .devnet(index: 0), network: .devnet, passphrase: passphrase, kdf: try KeystoreTests.cheapKDF())
        try await body(WalletSender(keystore: keystore, client: NodeClient(baseURL: node.url, timeout: 10)), node)
    }

    /// The send's error, with whether the passphrase was asked for; records an issue if it succeeds.
    static func failedSend(
        _ sender: WalletSender, node: ChainBackedNode, amount: String, to address: String = payee,
        passphrase: [UInt8] = passphrase
    ) async -> (error: WalletSendError?, askedPassphrase: Bool) {
        let asked = Mutex(false)
        do {
            let payment = try await sender.send(amount: amount, to: address, nowMs: node.chain.nowMs) {
                asked.withLock { $0 = true }
                return passphrase
            }
            Issue.record("expected the send to fail; it sent \(payment.digests.txid)")
            return (nil, asked.withLock { $0 })
        } catch {
            return (error as? WalletSendError, asked.withLock { $0 })
        }
    }

    @Test("a payment goes through the node, which finds it valid in a block")
    func sends() async throws {
        try await Self.withSender { sender, node in
            let payment = try await sender.send(amount: "12.345", to: Self.payee, nowMs: node.chain.nowMs) { Self.passphrase }
            #expect(payment.amount == (try CoinAmount.parse("12.345")))
            #expect(payment.transaction.outputs[0].lock == .pubKeyHash(try Address.parse(Self.payee).publicKeyHash))
            #expect(node.submissions == ["valid"])
            #expect(node.requestPaths.last == "POST /v1/transactions")
        }
    }

    @Test("errors found before signing send nothing and ask no passphrase")
    func refusedBeforeSigning() async throws {
        let mainnetPayee = SigningKey.devnet(index: 5).publicKey.address(on: .mainnet).string
        let cases: [(amount: String, address: String, message: String)] = [
            ("1.0000000000000000001", Self.payee, "the amount '1.0000000000000000001' has 19 decimals; EMB has at most 18"),
            ("1", String(Self.payee.dropLast(3)), AddressError.malformed(.checksumMismatch).description),
            ("1", mainnetPayee, AddressError.wrongNetwork(expected: .devnet, found: .mainnet).description),
            // 190 bytes: the larger amount takes three more varint bytes than in the builder tests.
            ("2000000", Self.payee,
             "insufficient funds: 1000000 EMB spendable, 2000000.0000019 EMB needed (including a fee of 0.0000019 EMB)"),
            ("0.0001", Self.payee, "the amount 0.0001 EMB is below the smallest output the network accepts, 0.001 EMB"),
        ]
        try await Self.withSender { sender, node in
            for (amount, address, message) in cases {
                let (error, asked) = await Self.failedSend(sender, node: node, amount: amount, to: address)
                #expect(error?.description == message)
                #expect(!asked)
            }
            #expect(!node.requestPaths.contains { $0.hasPrefix("POST") })
        }
    }

    @Test("a wrong passphrase sends nothing")
    func wrongPassphrase() async throws {
        try await Self.withSender { sender, node in
            let (error, asked) = await Self.failedSend(sender, node: node, amount: "1", passphrase: Array("send with cake".utf8))
            #expect(error?.description == "wrong passphrase or damaged keystore")
            #expect(asked)
            #expect(node.submissions.isEmpty)
        }
    }

    @Test("a node of another network is refused before anything is sent")
    func wrongNodeNetwork() async throws {
        try await Self.withSender(network: .testnet) { sender, node in
            let (error, asked) = await Self.failedSend(sender, node: node, amount: "1")
            #expect(error?.description == "the node at \(node.url.absoluteString) runs testnet, but the wallet is for devnet")
            #expect(!asked)
            #expect(node.requestPaths == ["GET /v1/info"])
        }
    }
}
