import Dispatch
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Testing

/// Issue 16's load test with real processes: 100 000 child transactions through an `ember plasma
/// operator` process, committed to a devnet node in a few layer-1 transactions.
@Suite("Plasma: 100 000 child transactions in a few commits", .serialized)
struct PlasmaThroughputProcessTests {
    static let coinCount = 25_000
    static let rounds = 4
    static let perDeposit = 1_000
    static let payer = SigningKey.devnet(index: 1)
    static let coinValue = Amount(units: 10_000_000_000_000_000)  // 0.01 EMB
    static let fee = Amount(units: 10_000_000_000_000_000)

    /// The blocks' transactions, page by page, as coin → block.
    static func blocksOfMoves(_ running: PlasmaProcessFixture.Operator, from first: UInt64, through last: UInt64) async throws -> [Hash32: UInt64] {
        var placed = [Hash32: UInt64]()
        for number in first...last {
            var after: String?
            repeat {
                let path = "/v1/plasma/blocks/\(number)" + (after.map { "?after=\($0)" } ?? "")
                let page = try #require(await running.get(path), "block \(number)")
                for hex in page["transactions"] as? [String] ?? [] {
                    let move = try ChildTransaction.decode(from: try #require([UInt8](hexString: hex)), limit: ChildTransaction.byteCount)
                    placed[move.coinId] = number
                }
                after = page["nextAfter"] as? String
            } while after != nil
        }
        return placed
    }

    @Test("25 000 deposited coins move 4 times: 100 000 child transactions sealed, every block's root committed on layer 1")
    func hundredThousandMoves() async throws {
        // The operator runs niced: its 100 000 verifications must not starve the node processes of other suites.
        let fixture = try await PlasmaProcessFixture.start(name: "plasma-load", window: 4, blockInterval: "15", operatorNiceness: 10)
        defer { fixture.stop() }
        let network = PlasmaProcessFixture.network
        let payerKey = RawPublicKey(Self.payer.publicKey.bytes)!
        let payerLock = Lock.pubKeyHash(Self.payer.publicKey.publicKeyHash)

        // Fan out one funding output per deposit, so each deposit has its own first input (its coinIds bind it).
        let depositCount = Self.coinCount / Self.perDeposit
        let seed = try #require(try await fixture.client.outputs(of: Self.payer.publicKey.address(on: network)).max { $0.amount < $1.amount })
        let each = Amount(units: Self.coinValue.units * UInt128(Self.perDeposit) + Self.fee.units)
        var fanOut = Transaction(
            inputs: [Input(outpoint: seed.outpoint, unlock: .publicKey(payerKey))],
            outputs: Array(repeating: Output(amount: each, lock: payerLock), count: depositCount)
                + [Output(amount: try #require(seed.amount.subtracting(Amount(units: each.units * UInt128(depositCount) + Self.fee.units))), lock: payerLock)],
            witnesses: [])
        fanOut.witnesses = [Witness(items: [try Self.payer.sign(txid: fanOut.txid, network: network).bytes])]
        _ = try await fixture.client.submit(fanOut)
        _ = try await fixture.node.mineBlock()

        // 25 deposits of 1 000 coins each, read against the open bond.
        var coins = [Hash32]()
        for deposit in 0..<depositCount {
            let input = OutPoint(txid: fanOut.txid, index: UInt32(deposit))
            var outputs = [Output]()
            for index in 0..<Self.perDeposit {
                let coinId = PlasmaCoinId.derive(
                    chainId: fixture.chainId, firstInput: input, outputIndex: UInt32(index), amount: Self.coinValue, depositorKey: payerKey)
                coins.append(coinId)
                outputs.append(Output(amount: Self.coinValue, lock: .plasmaCoin(PlasmaCoinLock(
                    chainId: fixture.chainId, coinId: coinId, depositorKey: payerKey, exitWindow: fixture.window, firstBlock: 1))))
            }
            var transaction = Transaction(
                version: Transaction.version2, inputs: [Input(outpoint: input, unlock: .publicKey(payerKey))], reads: [fixture.bond],
                outputs: outputs, blobs: [], witnesses: [])
            transaction.witnesses = [Witness(items: [try Self.payer.sign(txid: transaction.txid, network: network).bytes])]
            _ = try await fixture.client.submit(transaction)
        }
        // Every deposit registered by the operator once final (8 blocks deep on devnet).
        let last = coins[coins.count - 1]
        #expect(try await fixture.mineUntil(blocks: 40) { await fixture.running.get("/v1/plasma/coins/\(last.hex)/history") != nil },
                "\(fixture.running.output.suffix(1500))")

        // Four rounds: every coin moves between two keys; a round is posted once the previous one is sealed.
        let keys = [Self.payer, SigningKey.devnet(index: 2)]
        var parents = [Hash32: UInt64](uniqueKeysWithValues: coins.map { ($0, 0) })
        var sealedThrough: UInt64 = 0
        var accepted = 0
        for round in 0..<Self.rounds {
            let signer = keys[round % 2], receiver = RawPublicKey(keys[(round + 1) % 2].publicKey.bytes)!
            // 25 000 signatures on a Dispatch thread: on the two cooperative threads they would starve the
            // in-process nodes of the suites running beside this one.
            let round = (coins, parents)
            let moves = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[ChildTransaction], any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Result {
                        try round.0.map { coin in
                            try ChildTransaction(coinId: coin, parentBlock: round.1[coin]!, newOwnerKey: receiver, signedBy: signer, network: network)
                        }
                    })
                }
            }
            for start in stride(from: 0, to: moves.count, by: 4_096) {
                let answer = try await OperatorProcessTests.post(Array(moves[start..<min(start + 4_096, moves.count)]), to: fixture.running.url)
                accepted += answer["accepted"] as? Int ?? 0
            }
            #expect(await EmberProcess.eventually(seconds: 120) {
                guard let status = await fixture.running.get("/v1/plasma/status") else { return false }
                return status["pending"] as? Int == 0 && (status["latestBlock"] as? Int ?? 0) > Int(sealedThrough)
            }, "\(fixture.running.output.suffix(1500))")
            let latest = UInt64(try #require(await fixture.running.get("/v1/plasma/status")?["latestBlock"] as? Int))
            let placed = try await Self.blocksOfMoves(fixture.running, from: sealedThrough + 1, through: latest)
            #expect(placed.count == Self.coinCount, "round \(round): \(placed.count) coins moved")
            parents = placed
            sealedThrough = latest
        }
        #expect(accepted == Self.coinCount * Self.rounds)

        // Every sealed block's root is committed on layer 1, one commit per block.
        var commitTxids = Set<String>()
        for number in 1...sealedThrough {
            let block = try #require(await fixture.running.get("/v1/plasma/blocks/\(number)"))
            let rootText = try #require(block["root"] as? String)
            let root = try #require(Hash32(hex: rootText))
            let committed = Lock.plasmaBlock(PlasmaBlockLock(chainId: fixture.chainId, number: number, root: root))
            #expect(try await fixture.mineUntil(blocks: 30) { try await !fixture.client.outputs(under: committed).isEmpty },
                    "block \(number): \(fixture.running.output.suffix(1500))")
            #expect(await EmberProcess.eventually(seconds: 30) {
                (await fixture.running.get("/v1/plasma/blocks/\(number)"))?["commitTxid"] as? String != nil
            })
            let recorded = await fixture.running.get("/v1/plasma/blocks/\(number)")
            commitTxids.insert(try #require(recorded?["commitTxid"] as? String, "block \(number) has no recorded commit"))
        }
        #expect(commitTxids.count == Int(sealedThrough))
        #expect(sealedThrough <= 8, "100 000 moves took \(sealedThrough) child blocks, so as many commits")
    }
}
