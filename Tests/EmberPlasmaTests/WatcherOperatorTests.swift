import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// The watcher with a real operator (`OperatorService` behind `OperatorServer` on 127.0.0.1) and the
/// watcher's duties that need the history over several passes: a send, its inclusion, a restart, a
/// move left out, a challenge of the wallet's exit.
@Suite("Plasma watcher with an operator")
struct WatcherOperatorTests {
    typealias F = CoinChainFixture

    @Test("Alice sends through a real operator; the sealed block is committed; her watcher checks it, marks the coin sent, and a restarted watcher resumes")
    func sendThroughRealOperator() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-plasma-operator-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OperatorStore(path: folder.appendingPathComponent("operator.sqlite").path, chainId: chain.chainId, network: chain.params.networkID)
        let service = OperatorService(store: store, configuration: .init(blockInterval: .seconds(3_600)), logger: WatcherFixture.quietLogger)
        // Registered on the store directly: `OperatorService.registerDeposit` (async, on a Dispatch thread)
        // crashes this toolchain's test binary with a null resume pointer; the store call is what it wraps.
        try store.registerDeposit(coinId: coin.coinId, depositorKey: F.raw(F.alice), amount: coin.amount, firstBlock: 1)
        let (port, serving) = try await OperatorServer(service: service, port: 0, logger: WatcherFixture.quietLogger).start(sealing: false)
        defer { serving.cancel() }
        let operatorClient = OperatorClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
        var fixture = try WatcherFixture(chain: chain, owner: F.alice, operatorClient: operatorClient)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.settle()
        let watcher = fixture.watcher()
        _ = try await watcher.pass()
        #expect(try await watcher.send(coin.coinId, to: F.raw(F.bob), signer: F.alice) == "accepted")
        // A resend after a lost answer is the same bytes, never a second signature.
        #expect(try await watcher.send(coin.coinId, to: F.raw(F.bob), signer: F.alice) == "alreadyAccepted")
        let sealed = try #require(try await service.sealBlock())
        let moves = try await service.moves(inBlock: 1, after: nil, limit: 10)
        try fixture.chain.commit(moves, filler: false)
        #expect(fixture.chain.childBlocks[1]?.root == sealed.root)
        try fixture.settle()
        #expect(try await watcher.pass().isEmpty)
        let stored = try #require(try fixture.wallet.coin(coin.coinId))
        #expect(stored.status == .sent && stored.checkedThrough == 1)
        #expect(try fixture.wallet.pending().isEmpty)
        // A new watcher over the same file resumes: nothing to re-check, nothing to do.
        let restarted = fixture.watcher()
        #expect(try await restarted.pass().isEmpty)
        #expect(try fixture.wallet.coin(coin.coinId)?.checkedThrough == 1)
    }

    @Test("the wallet's own move left out of every block past the limit makes it exit from its own entry")
    func pendingLeftOutExits() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        var fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.wallet.savePending(F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice), afterBlock: 0)
        for _ in 0..<4 { try fixture.chain.commit([]) }
        try fixture.settle()
        let watcher = fixture.watcher()
        #expect(try await watcher.pass().isEmpty)
        try fixture.chain.commit([])
        try fixture.settle()
        let actions = try await watcher.pass()
        #expect(actions.map(\.kind) == [.exit])
        try fixture.mineSubmitted()
    }

    @Test("an invalid-history challenge of the wallet's exit is answered from its history")
    func answersChallenge() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        try chain.commit([F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)])
        try chain.commit([F.move(coin.coinId, parent: 1, to: F.carol, by: F.bob)])
        var fixture = try WatcherFixture(chain: chain, owner: F.carol)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.settle()
        let watcher = fixture.watcher()
        _ = try await watcher.pass()
        _ = try #require(try await watcher.exitNow(coin.coinId))
        let exitTransaction = try #require(fixture.node.submitted.first)
        try fixture.mineSubmitted()
        let challenge = try fixture.chain.transactions.challengeInvalidHistory(
            exit: try fixture.chain.output(OutPoint(txid: exitTransaction.txid, index: 0)), entry: nil, challengerKey: F.raw(F.mallory),
            in: fixture.chain.context)
        try fixture.chain.mine(challenge.transaction)
        fixture.node.update(fixture.chain.builder)
        let actions = try await watcher.pass()
        #expect(actions.map(\.kind) == [.answer])
        let answer = try #require(fixture.node.submitted.first)
        #expect(answer.outputs[0].lock == F.pkh(F.carol))
        try fixture.mineSubmitted()
    }

    @Test("a deposit through the watcher finds the chain's bond on layer 1, reads its newest final block, and the coin joins the wallet")
    func depositThroughWatcher() async throws {
        var chain = try F()
        try chain.commit([])
        try chain.commit([])
        var fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.settle()
        // Block 3 is committed but not final yet: the deposit must not depend on it.
        try fixture.chain.commit([])
        fixture.node.update(fixture.chain.builder)
        let watcher = fixture.watcher()
        let (txid, coins) = try await watcher.deposit([Amount(coins: 1)!, Amount(coins: 3)!])
        #expect(coins.count == 2)
        let deposit = try #require(fixture.node.submitted.first)
        #expect(deposit.txid == txid)
        try fixture.mineSubmitted()
        try await watcher.followLayerOne()
        let stored = try fixture.wallet.coins()
        #expect(stored.map(\.firstBlock) == [3, 3])
        #expect(stored.allSatisfy { $0.output != nil && $0.status == .held })
        #expect(Set(stored.map(\.amount)) == [Amount(coins: 1)!, Amount(coins: 3)!])
    }
}
