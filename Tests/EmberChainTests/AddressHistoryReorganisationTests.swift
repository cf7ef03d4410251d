import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Foundation
import Testing

/// The address history index follows the active chain through a reorganisation, on SQLite.
@Suite("Address history across a reorganisation")
struct AddressHistoryReorganisationTests {
    static let payee = Lock.pubKeyHash(SigningKey.devnet(index: 9).publicKey.publicKeyHash)
    static let fee = Amount(units: 10_000_000_000_000_000)

    @Test("a payment on the losing branch leaves the history; the winning branch's payment takes its place")
    func followsTheActiveChain() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-history-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let params = ChainReorganisationTests.params
        let store = try SQLiteChainStore(folder: folder.path, identity: ChainReorganisationTests.identity(params))
        defer { try? store.close() }
        let chain = try await Chain(params: params, store: store)

        var shared = ChainBuilder(params: params)
        try shared.extend(by: 2)
        var left = shared
        let five = left.payment(from: left.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 5)!, fee: Self.fee, to: Self.payee)
        try left.append(left.makeBlock([five]))
        var right = shared
        right.minerKey = .devnet(index: 3)
        let seven = right.payment(from: right.seedOutPoint(2), key: .devnet(index: 2), amount: Amount(coins: 7)!, fee: Self.fee, to: Self.payee)
        try right.append(right.makeBlock([seven]))
        try right.extend(by: 2)

        try await ChainReorganisationTests.submit(left.blocks.dropFirst(), to: chain)
        let before = try store.history(of: Self.payee, limit: 10)
        #expect(before.map(\.activity.txid) == [five.txid])
        #expect(before.first?.height == 3)
        #expect(before.first?.activity.received == Amount(coins: 5)!)
        #expect(before.first?.activity.sent == .zero)
        // The payer's side: its whole genesis output of 1 000 000 EMB sent, the change received.
        let payer = Lock.pubKeyHash(SigningKey.devnet(index: 1).publicKey.publicKeyHash)
        let payerHistory = try store.history(of: payer, limit: 10)
        #expect(payerHistory.map(\.height) == [3, 0])
        let paid = try #require(payerHistory.first)
        #expect(paid.activity.sent == Amount(coins: 1_000_000)!)
        #expect(paid.activity.received == Amount(units: Amount(coins: 1_000_000 - 5)!.units - Self.fee.units))

        try await ChainReorganisationTests.submit(right.blocks.dropFirst(3), to: chain)
        #expect(await chain.tip.hash == right.tip.hash)
        let after = try store.history(of: Self.payee, limit: 10)
        #expect(after.map(\.activity.txid) == [seven.txid])
        #expect(after.first?.activity.received == Amount(coins: 7)!)
        #expect(after.first?.blockHash == right.blocks[3].hash)
        // Only its genesis allocation is left.
        #expect(try store.history(of: payer, limit: 10).map(\.height) == [0])
    }
}
