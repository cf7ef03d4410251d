import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import EmberTestSupport
import Foundation
import Logging
import Testing

/// The watcher's decisions, with a real SQLite wallet in a temporary folder, a node answered from a
/// ChainBuilder chain, and an operator's answers; every transaction it submits is then mined through
/// the consensus rules.
@Suite("Plasma watcher")
struct WatcherTests {
    typealias F = CoinChainFixture

    static func kinds(_ actions: [PlasmaWatcherAction]) -> [PlasmaWatcherAction.Kind] { actions.map(\.kind) }

    @Test("a committed block the operator withholds makes the holder exit once the limit passes, and the exit is valid")
    func withheldBlockExits() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        try chain.commit([])
        var fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.hold(coin)
        fixture.operatorTransport.withhold(1)
        try fixture.settle()
        let watcher = fixture.watcher(withholdLimit: 3)
        #expect(try await watcher.pass().isEmpty)
        #expect(try fixture.wallet.coin(coin.coinId)?.unservedSince != nil)
        try fixture.settle(blocks: 3)
        let actions = try await watcher.pass()
        #expect(Self.kinds(actions) == [.exit])
        try fixture.mineSubmitted()
        // The next pass sees its own exit on layer 1.
        _ = try await watcher.pass()
        #expect(try fixture.wallet.coin(coin.coinId)?.status == .exiting)
    }

    @Test("a move of my coin with a bad signature is proven fraud and the coin exits; both transactions are valid")
    func invalidMoveProvesFraud() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        let toBob = F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)
        let theft = F.move(coin.coinId, parent: 1, to: F.mallory, by: F.mallory)
        try chain.commit([toBob])
        try chain.commit([theft])
        var fixture = try WatcherFixture(chain: chain, owner: F.bob)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.settle()
        let actions = try await fixture.watcher().pass()
        #expect(Self.kinds(actions) == [.fraudProof, .exit])
        #expect(actions.first?.reason.hasPrefix("ground 2") == true)
        try fixture.mineSubmitted()
        #expect(try fixture.wallet.coin(coin.coinId)?.checkedThrough == 1)
    }

    @Test("a forged first move is proven by ground 5 from the wallet's own deposit record")
    func forgedFirstMove() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        try chain.commit([F.move(coin.coinId, parent: 0, to: F.mallory, by: F.mallory)])
        var fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.settle()
        let actions = try await fixture.watcher().pass()
        #expect(Self.kinds(actions) == [.fraudProof, .exit])
        #expect(actions.first?.reason.hasPrefix("ground 5") == true)
        try fixture.mineSubmitted()
    }

    /// Carol's history (1: Alice → Bob, 3: Bob → Carol) checked by her watcher.
    static func carolsWallet() async throws -> (WatcherFixture, PlasmaCoinTransactions.DepositedCoin, ChildTransaction, PlasmaWatcher) {
        var chain = try F()
        let coin = try chain.deposit()
        let toBob = F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)
        try chain.commit([toBob])
        try chain.commit([])
        try chain.commit([F.move(coin.coinId, parent: 1, to: F.carol, by: F.bob)])
        var fixture = try WatcherFixture(chain: chain, owner: F.carol)
        try fixture.hold(coin)
        try fixture.settle()
        let watcher = fixture.watcher()
        #expect(try await watcher.pass().isEmpty)
        #expect(try fixture.wallet.coin(coin.coinId)?.checkedThrough == 3)
        return (fixture, coin, toBob, watcher)
    }

    @Test("a thief's exit resting on a forged link after my entry is preempted with my own exit")
    func thiefIsPreempted() async throws {
        var (fixture, coin, _, watcher) = try await Self.carolsWallet()
        defer { fixture.remove() }
        let forged = F.move(coin.coinId, parent: 3, to: F.mallory, by: F.mallory)
        let onward = F.move(coin.coinId, parent: 4, to: F.mallory, by: F.mallory)
        try fixture.chain.commit([forged])
        try fixture.chain.commit([onward])
        let thief = try fixture.chain.transactions.exit(
            coin: try fixture.chain.output(coin.outpoint),
            evidence: .laterMove(exit: try fixture.chain.included(onward, in: 5), parent: try fixture.chain.included(forged, in: 4)), in: fixture.chain.context)
        try fixture.chain.mine(thief.transaction)
        fixture.node.update(fixture.chain.builder)
        // The operator withholds the forged blocks from Carol: she acts on layer 1 alone.
        fixture.operatorTransport.withhold(4)
        let actions = try await watcher.pass()
        #expect(Self.kinds(actions).contains(.preempt))
        try fixture.mineSubmitted()
    }

    @Test("Bob's stale exit of the coin he paid to me is cancelled with my entry (spent)")
    func staleExitIsChallenged() async throws {
        var (fixture, coin, toBob, watcher) = try await Self.carolsWallet()
        defer { fixture.remove() }
        let stale = try fixture.chain.transactions.exit(
            coin: try fixture.chain.output(coin.outpoint), evidence: .firstMove(try fixture.chain.included(toBob, in: 1)), in: fixture.chain.context)
        try fixture.chain.mine(stale.transaction)
        fixture.node.update(fixture.chain.builder)
        let actions = try await watcher.pass()
        #expect(Self.kinds(actions) == [.challengeSpent])
        try fixture.mineSubmitted()
        // The cancel gave the coin back: a new watcher over the same file sees it held again.
        _ = try await fixture.watcher().pass()
        #expect(try fixture.wallet.coin(coin.coinId)?.status == .held)
    }

    @Test("my own exit is finalized when due, paid to my key")
    func finalizesWhenDue() async throws {
        var (fixture, coin, _, watcher) = try await Self.carolsWallet()
        defer { fixture.remove() }
        let exit = try #require(try await watcher.exitNow(coin.coinId))
        #expect(exit.kind == .exit)
        try fixture.mineSubmitted()
        #expect(try await watcher.pass().isEmpty)
        let exitLock = try #require(try fixture.wallet.watched().compactMap { if case .plasmaExit(let lock) = $0.output.lock { lock } else { nil } }.first)
        try fixture.chain.advance(toNextHeight: exitLock.deadline + 3 * UInt64(fixture.chain.window))
        fixture.node.update(fixture.chain.builder)
        #expect(Self.kinds(try await watcher.pass()) == [.finalize])
        let finalize = try #require(fixture.node.submitted.first)
        #expect(finalize.outputs[0].lock == F.pkh(F.carol))
        try fixture.mineSubmitted()
        _ = try await watcher.pass()
        #expect(try fixture.wallet.coin(coin.coinId)?.status == .exited)
    }

    @Test("malformed operator answers never crash and never change the wallet; the block counts as unserved")
    func malformedOperatorAnswers() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        try chain.commit([])
        var fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.settle()
        let coinHex = coin.coinId.hex
        let answers = [
            "not json",
            #"{"coinId":"\#(coinHex)"}"#,
            #"{"coinId":"\#(coinHex)","evidence":{"block":1,"included":false,"proof":"zz"}}"#,
            #"{"coinId":"\#(coinHex)","evidence":{"block":1,"included":false,"proof":"\#(String(repeating: "ff", count: 9_000))"}}"#,
            #"{"coinId":"\#(coinHex)","evidence":{"block":1,"included":true,"proof":"\#(String(repeating: "00", count: 32))","transaction":"00"}}"#,
            // Well formed, but the proof does not lead to the committed root.
            #"{"coinId":"\#(coinHex)","evidence":{"block":1,"included":false,"proof":"\#(String(repeating: "00", count: 32))"}}"#,
            #"{"coinId":"\#(String(repeating: "ab", count: 32))","evidence":{"block":1,"included":false,"proof":"\#(String(repeating: "00", count: 32))"}}"#,
        ]
        let watcher = fixture.watcher(withholdLimit: 1_000)
        for answer in answers {
            fixture.operatorTransport.answerRaw(1, answer)
            #expect(try await watcher.pass().isEmpty)
            let stored = try #require(try fixture.wallet.coin(coin.coinId))
            #expect(stored.checkedThrough == 0)
            #expect(stored.unservedSince != nil)
            #expect(try fixture.wallet.history(of: stored).evidence.isEmpty)
        }
    }

    @Test("an unreachable operator is named in a clear message and the wallet keeps following layer 1")
    func unreachableOperator() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        try chain.commit([])
        let unreachable = OperatorClient(baseURL: URL(string: "http://127.0.0.1:9")!, timeout: 2)
        var fixture = try WatcherFixture(chain: chain, owner: F.alice, operatorClient: unreachable)
        defer { fixture.remove() }
        try fixture.hold(coin)
        try fixture.settle()
        let watcher = fixture.watcher()
        #expect(try await watcher.pass().isEmpty)
        let problem = try #require(await watcher.operatorProblem)
        #expect(problem.description.contains("127.0.0.1:9") && problem.description.contains("not reachable"))
        #expect(try fixture.wallet.blocks().keys.sorted() == [1])
    }

    @Test("someone else's fraud proof freezes the chain; the holder of an honest coin exits it")
    func frozenChainExits() async throws {
        var chain = try F()
        let honest = try chain.deposit()
        let victim = try chain.deposit(for: F.bob)
        let theft = F.move(victim.coinId, parent: 0, to: F.mallory, by: F.mallory)
        try chain.commit([theft])
        let preimage = PlasmaFraudGround.coinPreimage(firstInput: victim.firstInput, outputIndex: 0, amount: victim.amount, depositorKey: F.raw(F.bob))
        let proof = try chain.transactions.fraudProof(
            bond: try chain.output(chain.bond), ground: .forgedFirstMove(try chain.included(theft, in: 1), coinPreimage: preimage), in: chain.context)
        try chain.mine(proof.transaction)
        var fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.hold(honest)
        try fixture.settle()
        let actions = try await fixture.watcher().pass()
        #expect(Self.kinds(actions) == [.exit])
        #expect(actions.first?.reason.contains("frozen") == true)
        try fixture.mineSubmitted()
    }

    @Test("a reorganisation that removes a commit removes its block from the wallet; the new branch's commit replaces it")
    func reorganisationForgetsCommit() async throws {
        var chain = try F()
        let coin = try chain.deposit()
        let beforeCommit = chain
        try chain.commit([])
        let fixture = try WatcherFixture(chain: chain, owner: F.alice)
        defer { fixture.remove() }
        try fixture.hold(coin)
        let watcher = fixture.watcher()
        _ = try await watcher.pass()
        let first = try #require(try fixture.wallet.blocks()[1])
        // Another branch from before the commit, longer, whose commit of block 1 holds Alice's move.
        var branch = beforeCommit
        try branch.advance(toNextHeight: branch.nextHeight + 2)
        try branch.commit([F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)])
        fixture.node.update(branch.builder)
        _ = try await watcher.pass()
        let replaced = try #require(try fixture.wallet.blocks()[1])
        #expect(replaced.root != first.root && replaced.outpoint != first.outpoint)
        #expect(replaced.root == branch.childBlocks[1]?.root)
    }
}
