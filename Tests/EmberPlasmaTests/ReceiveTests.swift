import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// Receiving a coin: a payee's wallet finds the coin on layer 1, fetches its history from a real operator
/// (`OperatorService` behind `OperatorServer` on 127.0.0.1), checks it and holds the coin.
@Suite("Plasma receive")
struct ReceiveTests {
    typealias F = CoinChainFixture

    /// A chain with Alice's coin (and Carol's), a real operator that knows both, and Bob's wallet.
    struct Setup {
        var fixture: WatcherFixture
        let coin: PlasmaCoinTransactions.DepositedCoin
        let other: PlasmaCoinTransactions.DepositedCoin
        let service: OperatorService
        let operatorClient: OperatorClient
        let serving: Task<Void, any Error>
        let folder: URL

        init(maxHistoryBlocks: Int = OperatorServer.defaultMaxHistoryBlocks) async throws {
            var chain = try F()
            coin = try chain.deposit()
            other = try chain.deposit(for: F.carol)
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-plasma-receive-\(UUID().uuidString)")
            let store = try OperatorStore(path: folder.appendingPathComponent("operator.sqlite").path, chainId: chain.chainId, network: chain.params.networkID)
            service = OperatorService(store: store, configuration: .init(blockInterval: .seconds(3_600)), logger: WatcherFixture.quietLogger)
            // On the store directly, as WatcherOperatorTests does (the async wrapper crashes this toolchain's test binary).
            try store.registerDeposit(coinId: coin.coinId, depositorKey: F.raw(F.alice), amount: coin.amount, firstBlock: coin.lock.firstBlock)
            try store.registerDeposit(coinId: other.coinId, depositorKey: F.raw(F.carol), amount: other.amount, firstBlock: other.lock.firstBlock)
            let (port, serving) = try await OperatorServer(
                service: service, port: 0, logger: WatcherFixture.quietLogger, maxHistoryBlocks: maxHistoryBlocks
            ).start(sealing: false)
            self.serving = serving
            operatorClient = OperatorClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            fixture = try WatcherFixture(chain: chain, owner: F.bob, operatorClient: operatorClient)
        }

        /// Gives the operator `moves`, seals a block of them and commits it on layer 1.
        mutating func seal(_ moves: [ChildTransaction]) async throws {
            if !moves.isEmpty { #expect(try await operatorClient.submit(moves).allSatisfy { $0 == "accepted" }) }
            let sealed = try #require(try await service.sealBlock())
            let included = try await service.moves(inBlock: sealed.number, after: nil, limit: 100)
            try fixture.chain.commit(included, filler: false)
            #expect(fixture.chain.childBlocks[sealed.number]?.root == sealed.root)
        }

        /// A watcher over a fresh wallet file of `owner` on the same node and operator.
        func watcher(of owner: SigningKey) throws -> PlasmaWatcher {
            let wallet = try PlasmaWallet(
                path: folder.appendingPathComponent("wallet-\(UUID().uuidString).sqlite").path, chainId: fixture.chain.chainId,
                network: fixture.chain.params.networkID)
            return PlasmaWatcher(
                wallet: wallet, node: NodeAPIClient(transport: fixture.node), operatorClient: operatorClient, transactions: fixture.chain.transactions,
                ownerKey: F.raw(owner), configuration: .init(finalityDepth: fixture.chain.params.layer2.finalityDepth), logger: WatcherFixture.quietLogger,
                clock: { [nowMs = fixture.chain.builder.nowMs] in nowMs })
        }

        func stop() {
            serving.cancel()
            fixture.remove()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test("Alice sends her coin to Bob through a real operator; Bob's wallet receives it over paged history, holds it, and can move it on")
    func receivesPaidCoin() async throws {
        var setup = try await Setup(maxHistoryBlocks: 1)
        defer { setup.stop() }
        let coin = setup.coin
        try await setup.seal([F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)])
        try await setup.seal([F.move(setup.other.coinId, parent: 0, to: F.dave, by: F.carol)])
        try setup.fixture.settle()
        let watcher = setup.fixture.watcher()
        let received = try await watcher.receive(coinId: coin.coinId)
        #expect(received.status == .held && received.checkedThrough == 2)
        #expect(received.firstInput == coin.firstInput && received.outputIndex == coin.outpoint.index)
        #expect(received.output == coin.outpoint && received.amount == coin.amount && received.depositorKey == F.raw(F.alice))
        let stored = try #require(try setup.fixture.wallet.coin(coin.coinId))
        #expect(stored == received)
        let history = try setup.fixture.wallet.history(of: stored)
        #expect(history.evidence.keys.sorted() == [1, 2])
        #expect(history.evidence[1]?.move?.newOwnerKey == F.raw(F.bob) && history.evidence[2]?.move == nil)
        // The watcher now treats it as its own: nothing to do, and Bob can pay it on.
        #expect(try await watcher.pass().isEmpty)
        #expect(try setup.fixture.wallet.coin(coin.coinId)?.status == .held)
        #expect(try await watcher.send(coin.coinId, to: F.raw(F.carol), signer: F.bob) == "accepted")
        // A second receive of the same coin is refused.
        await #expect(throws: PlasmaReceiveError.alreadyInWallet(coin.coinId, status: .held)) { try await watcher.receive(coinId: coin.coinId) }
    }

    @Test("a receive of a coin whose latest owner is not the wallet's key is refused, and nothing is stored")
    func refusesCoinOwnedByAnother() async throws {
        var setup = try await Setup()
        defer { setup.stop() }
        let coin = setup.coin
        try await setup.seal([F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)])
        try setup.fixture.settle()
        let carol = try setup.watcher(of: F.carol)
        await #expect(throws: PlasmaReceiveError.notPaidToWallet(coin.coinId, owner: F.raw(F.bob), block: 1)) {
            try await carol.receive(coinId: coin.coinId)
        }
        #expect(try carol.wallet.coins().isEmpty)
        // The same history is accepted by its owner.
        #expect(try await setup.watcher(of: F.bob).receive(coinId: coin.coinId).status == .held)
    }

    @Test("a history missing a block committed on layer 1 (the operator does not serve it) is refused")
    func refusesHistoryWithWithheldBlock() async throws {
        var setup = try await Setup()
        defer { setup.stop() }
        let coin = setup.coin
        try await setup.seal([F.move(coin.coinId, parent: 0, to: F.bob, by: F.alice)])
        // Block 2 is committed on layer 1, but the operator serves no evidence for it.
        try setup.fixture.chain.commit([F.filler(2)], filler: false)
        try setup.fixture.settle()
        let watcher = setup.fixture.watcher()
        await #expect(throws: PlasmaReceiveError.historyRefused(coin.coinId, .gap(block: 2))) { try await watcher.receive(coinId: coin.coinId) }
        #expect(try setup.fixture.wallet.coins().isEmpty)
    }

    @Test("a coin never deposited into the chain is not found on layer 1")
    func refusesUnknownCoin() async throws {
        var setup = try await Setup()
        defer { setup.stop() }
        try setup.fixture.settle()
        let unknown = Hash32(Array(repeating: 7, count: 32))!
        await #expect(throws: PlasmaReceiveError.notOnLayerOne(unknown)) { try await setup.fixture.watcher().receive(coinId: unknown) }
    }
}
