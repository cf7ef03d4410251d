import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberP2P
import EmberTestSupport
import EmberWire
import Foundation
import Synchronization
import Testing

/// DESIGN.md section 11 on the P2P path: a fetched block's header passes its own proof of work (tier 1)
/// and, when its parent is known, its context (tier 2) before any signature of its body is checked.
@Suite("peer network: proof of work before signatures")
struct ProofOfWorkFirstTests {
    static let params = ChainBuilder.fastParams()
    /// Transactions × inputs: every input carries a valid signature.
    static let transactions = 40
    static let inputsPerTransaction = 50

    /// Hashes of the blocks whose body checks (tier 3) the node started.
    final class BodyChecks: Sendable {
        private let hashes = Mutex<[Hash32]>([])
        func record(_ hash: Hash32) { hashes.withLock { $0.append(hash) } }
        var all: [Hash32] { hashes.withLock { $0 } }
    }

    /// Transactions whose every input is signed validly by `key`, spending outputs nobody has: tier 3
    /// passes them (and checks every signature), tier 4 refuses them.
    static func signedTransactions(_ builder: ChainBuilder, key: SigningKey) throws -> [Transaction] {
        try (0..<transactions).map { number in
            let inputs = (0..<inputsPerTransaction).map { index in
                Input(
                    outpoint: OutPoint(txid: Hash32(Array(repeating: UInt8(number + 1), count: 32))!, index: UInt32(index)),
                    unlock: .publicKey(RawPublicKey(key.publicKey.bytes)!))
            }
            var transaction = Transaction(
                inputs: inputs, outputs: [Output(amount: Amount(coins: 1)!, lock: .pubKeyHash(key.publicKey.publicKeyHash))], witnesses: [])
            // Every input signs the same txid with the same key: one signature, checked once per input.
            let signature = try key.sign(txid: transaction.txid, network: params.networkID).bytes
            transaction.witnesses = Array(repeating: Witness(items: [signature]), count: inputs.count)
            return transaction
        }
    }

    /// A raw connection from `host` that has completed the handshake with `node`.
    static func handshaken(to node: TestPeer, from host: String) async throws -> RawSocket {
        let socket = try RawSocket(connectingTo: node.port, from: host)
        socket.send(HostilePeerTests.frame(HostilePeerTests.version()) + HostilePeerTests.frame(.verack))
        let done = try await TestPeer.eventually {
            await node.network.snapshot().contains { $0.address.hasPrefix(host + ":") && $0.handshakeComplete }
        }
        #expect(done, "\(host) did not complete the handshake")
        return socket
    }

    /// Announces `block` from `socket`, waits for the node to ask for it, and delivers it.
    static func announceAndDeliver(_ block: Block, on socket: RawSocket) async throws {
        socket.send(HostilePeerTests.frame(.inventory(InventoryMessage(items: [InventoryItem(kind: .block, hash: block.hash)]))))
        var asked = false
        let deadline = Date().addingTimeInterval(60)
        while !asked, Date() < deadline {
            guard let payload = await socket.awaitFrame(command: WireCommand.getData.rawValue, seconds: 60) else { break }
            asked = try GetDataMessage.decode(payload: payload).items.contains { $0.hash == block.hash }
        }
        #expect(asked, "the node never asked for the announced block")
        socket.send(HostilePeerTests.frame(.block(BlockMessage(block: block))))
    }

    @Test("a fetched block whose header fails proof of work costs no signature check and bans its sender")
    func badWorkChecksNoSignature() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let checks = BodyChecks()
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst()) { configuration in
            configuration.bodyCheckObserver = { checks.record($0) }
        }
        let body = try Self.signedTransactions(builder, key: .devnet(index: 1))
        let costly = builder.makeBlock(body)
        // The body is valid through tier 3: every one of its 2 000 signatures would have to be checked.
        _ = try Self.params.checkBlockSanity(costly)
        var badWork = costly
        var nonce: UInt64 = 1
        while (try? Self.params.checkHeaderSanity(badWork.header, hash: badWork.hash)) != nil {
            badWork.header.nonce = Nonce(high: 0, middle: 0, low: nonce)
            nonce += 1
        }

        let attacker = try await Self.handshaken(to: node, from: "127.0.0.111")
        try await Self.announceAndDeliver(badWork, on: attacker)
        #expect(await attacker.readUntilClosed(seconds: 60).closed, "the node kept talking to the attacker")
        #expect(try await TestPeer.eventually { await node.network.bans().map(\.host).contains("127.0.0.111") })
        let reason = await node.network.bans().first { $0.host == "127.0.0.111" }?.reason ?? ""
        #expect(reason.contains("does not meet target"), "banned for \(reason)")

        // The same body under a header with valid work: tier 3 runs (the observer sees it) and tier 4
        // refuses the missing inputs. This shows the observer is where the signatures are checked.
        let control = try await Self.handshaken(to: node, from: "127.0.0.112")
        try await Self.announceAndDeliver(costly, on: control)
        #expect(try await TestPeer.eventually { await node.network.bans().map(\.host).contains("127.0.0.112") })
        #expect(checks.all == [costly.hash], "body checks ran for \(checks.all), expected only the control block \(costly.hash)")
        #expect(await node.chain.tip.height == 3)
        await node.stop()
    }

    @Test("a fetched block whose header breaks a rule against its known parent costs no signature check and bans its sender")
    func badContextChecksNoSignature() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let checks = BodyChecks()
        let node = try await TestPeer.start(params: Self.params, blocks: builder.blocks.dropFirst()) { configuration in
            configuration.bodyCheckObserver = { checks.record($0) }
        }
        var wrongHeight = builder.makeBlock(try Self.signedTransactions(builder, key: .devnet(index: 2)))
        wrongHeight.header.height += 5
        // Valid work for its own target, so only tier 2 (height after the parent's) can refuse it.
        wrongHeight = ChainBuilder.mined(wrongHeight)
        let attacker = try await Self.handshaken(to: node, from: "127.0.0.113")
        try await Self.announceAndDeliver(wrongHeight, on: attacker)
        #expect(await attacker.readUntilClosed(seconds: 60).closed, "the node kept talking to the attacker")
        #expect(try await TestPeer.eventually { await node.network.bans().map(\.host).contains("127.0.0.113") })
        let reason = await node.network.bans().first { $0.host == "127.0.0.113" }?.reason ?? ""
        #expect(reason.contains("height 9, expected 4"), "banned for \(reason)")
        #expect(checks.all.isEmpty, "body checks ran for \(checks.all)")
        await node.stop()
    }
}
