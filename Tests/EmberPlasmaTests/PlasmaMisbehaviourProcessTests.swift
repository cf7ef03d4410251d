import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// Issue 16's attacks, end to end with real processes: a devnet node the test mines, an `ember plasma
/// operator` process, and one `ember plasma watch` process per client. The operator turns thief by having
/// its store edited while it is down (what a compromised operator's software would write), then started again.
@Suite("Plasma: a misbehaving operator against watching clients", .serialized)
struct PlasmaMisbehaviourProcessTests {
    typealias Fixture = PlasmaProcessFixture
    static let clients: [UInt32] = [1, 2, 3]
    static let coinValue = Amount(coins: 1)!
    // The node runs devnet with 500 ms blocks (PlasmaProcessFixture).
    static var params: ConsensusParams { try! ConsensusParams.devnet(blockTimeMs: 500) }

    /// A client: its key and wallet file, and its `watch` process.
    struct Client {
        let index: UInt32
        let key: SigningKey
        let wallet: String
        let watch: Fixture.Operator
        var coins: [Hash32] = []
        var raw: RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
        var payee: Lock { .pubKeyHash(key.publicKey.publicKeyHash) }
    }

    static func clientArguments(_ fixture: Fixture, index: UInt32, wallet: String) -> [String] {
        ["--chain", fixture.chainId.hex, "--devnet-key", "\(index)", "--node", fixture.nodeURL, "--operator", fixture.running.url, "--wallet", wallet]
    }

    /// Each client deposits `perClient` coins with `ember plasma deposit`, then watches with `ember plasma watch`;
    /// returns once the operator has registered every coin (final on layer 1).
    static func depositAndWatch(_ fixture: Fixture, perClient: Int) async throws -> [Client] {
        var clients = [Client]()
        for index in Self.clients {
            // Several funding outputs, as a client keeps for its bonds and fees: one pass may send a preempt and
            // a fraud proof, and the change of the first is not spendable until it confirms.
            try await Self.fanOut(fixture, key: .devnet(index: index), into: 4)
            let wallet = fixture.root.appendingPathComponent("client-\(index).sqlite").path
            let finished = EmberProcess.Finished()
            let deposit = try await EmberProcess.runEmber(
                ["plasma", "deposit"] + clientArguments(fixture, index: index, wallet: wallet) + Array(repeating: ["--amount", "1"], count: perClient).flatMap { $0 },
                finished: finished).value
            #expect(deposit.status == 0, "\(deposit.standardError)\(deposit.standardOutput)")
            let coins = deposit.standardOutput.split(separator: "\n").compactMap { Hash32(hex: $0.trimmingCharacters(in: .whitespaces)) }
            #expect(coins.count == perClient, "\(deposit.standardOutput)")
            _ = try await fixture.node.mineBlock()
            let watch = Fixture.Operator(
                arguments: ["plasma", "watch"] + clientArguments(fixture, index: index, wallet: wallet), port: 0,
                log: fixture.root.appendingPathComponent("watch-\(index).log"))
            try watch.start()
            clients.append(Client(index: index, key: .devnet(index: index), wallet: wallet, watch: watch, coins: coins))
        }
        let all = clients.flatMap(\.coins)
        #expect(try await fixture.mineUntil(blocks: 40) {
            for coin in all where await fixture.running.get("/v1/plasma/coins/\(coin.hex)/history") == nil { return false }
            return true
        }, "\(fixture.running.output.suffix(1500))")
        return clients
    }

    /// Splits `key`'s largest output into `count` equal outputs of 10 EMB and change, mined.
    static func fanOut(_ fixture: Fixture, key: SigningKey, into count: Int) async throws {
        let raw = RawPublicKey(key.publicKey.bytes)!
        let lock = Lock.pubKeyHash(key.publicKey.publicKeyHash)
        let seed = try #require(try await fixture.client.outputs(of: key.publicKey.address(on: Fixture.network)).max { $0.amount < $1.amount })
        let each = Amount(coins: 10)!, fee = Amount(units: 10_000_000_000_000_000)
        let rest = try #require(seed.amount.subtracting(Amount(units: each.units * UInt128(count) + fee.units)))
        var transaction = Transaction(
            inputs: [Input(outpoint: seed.outpoint, unlock: .publicKey(raw))],
            outputs: Array(repeating: Output(amount: each, lock: lock), count: count) + [Output(amount: rest, lock: lock)], witnesses: [])
        transaction.witnesses = [Witness(items: [try key.sign(txid: transaction.txid, network: Fixture.network).bytes])]
        _ = try await fixture.client.submit(transaction)
        _ = try await fixture.node.mineBlock()
    }

    /// Stops the operator, stores `blocks` as the next sealed blocks (moves no honest operator admits), and
    /// starts it again: it commits them as its own.
    static func tamper(_ fixture: Fixture, blocks: [[ChildTransaction]]) async throws -> [ChildBlock] {
        kill(fixture.running.process.processIdentifier, SIGKILL)
        fixture.running.process.waitUntilExit()
        let store = try OperatorStore(
            path: fixture.root.appendingPathComponent("operator/operator.sqlite").path, chainId: fixture.chainId, network: Fixture.network)
        var stored = [ChildBlock]()
        for moves in blocks {
            // The store keeps what admission would have refused: it checks no signature, only the coin's state.
            _ = try store.addPending(moves)
            let block = try ChildBlock(number: try store.lastBlockNumber() + 1, transactions: moves)
            _ = try store.storeSealed(block, sealedAt: Date())
            stored.append(block)
        }
        try store.close()
        try fixture.running.start()
        #expect(await EmberProcess.eventually(seconds: 60) { await fixture.running.get("/v1/plasma/status") != nil })
        return stored
    }

    /// The layer-1 output of `block`'s commit, once mined.
    static func committed(_ fixture: Fixture, _ block: ChildBlock) async throws -> CovenantTransactionRequest.ReadOutput? {
        let lock = Lock.plasmaBlock(PlasmaBlockLock(chainId: fixture.chainId, number: block.number, root: block.root))
        guard let output = try await fixture.client.outputs(under: lock).first else { return nil }
        return .init(outpoint: output.outpoint, unspent: UnspentOutput(output: Output(amount: output.amount, lock: lock), height: output.height, isCoinbase: false))
    }

    /// Whether every coin of every client came home: an output paying its owner the coin and an exit bond.
    static func everyCoinPaidOut(_ fixture: Fixture, _ clients: [Client], bond: Amount) async throws -> Bool {
        for client in clients {
            let paid = try await fixture.client.outputs(under: client.payee).filter { $0.amount == coinValue.adding(bond)! }
            if paid.count < client.coins.count { return false }
        }
        return true
    }

    static func logs(_ clients: [Client]) -> String {
        clients.map { "watch \($0.index):\n" + $0.watch.output.suffix(1200) }.joined(separator: "\n")
    }

    @Test("clients pay each other; the operator commits a block and vanishes: every client exits every coin it holds and is paid its full value")
    func withheldBlock() async throws {
        // A window of 10 and a block every 0.5 s leave the watchers (a pass every 2 s) several passes per window.
        let fixture = try await Fixture.start(name: "plasma-withheld", window: 10, blockInterval: "1")
        defer { fixture.stop() }
        var clients = try await Self.depositAndWatch(fixture, perClient: 2)
        defer { for client in clients where client.watch.process.isRunning { client.watch.process.terminate() } }

        // Client 1 pays a coin to client 2 on the child chain; client 2 takes it in with its whole history
        // (`ember plasma receive`) once the block holding the move is final.
        let paid = clients[0].coins[0]
        let sent = try await EmberProcess.runEmber(
            ["plasma", "send"] + Self.clientArguments(fixture, index: clients[0].index, wallet: clients[0].wallet)
                + ["--coin", paid.hex, "--to", clients[1].raw.bytes.hexString], finished: EmberProcess.Finished()).value
        #expect(sent.status == 0, "\(sent.standardError)\(sent.standardOutput)")
        var received = false
        for _ in 0..<40 where !received {
            for _ in 0..<2 { _ = try await fixture.node.mineBlock() }
            let answer = try await EmberProcess.runEmber(
                ["plasma", "receive"] + Self.clientArguments(fixture, index: clients[1].index, wallet: clients[1].wallet) + ["--coin", paid.hex],
                finished: EmberProcess.Finished()).value
            received = answer.status == 0
        }
        #expect(received, "client 2 never received the coin: \(Self.logs(clients))")
        clients[0].coins.removeFirst()
        clients[1].coins.append(paid)

        // A block the operator commits and never serves (its content is nobody's business but the operator's:
        // here, nothing): it is killed once the commit is mined.
        let withheld = try await Self.tamper(fixture, blocks: [[]])
        #expect(try await fixture.mineUntil(blocks: 20) { try await Self.committed(fixture, withheld[0]) != nil }, "\(fixture.running.output.suffix(1500))")
        kill(fixture.running.process.processIdentifier, SIGKILL)

        // Finality, the withholding limit, the exit window and finalize: every coin back on layer 1, with its bond.
        let bond = Self.params.layer2.bondMinimum
        #expect(try await fixture.mineUntil(blocks: 240, every: .milliseconds(500)) { try await Self.everyCoinPaidOut(fixture, clients, bond: bond) },
                "\(Self.logs(clients))")
        for client in clients { #expect(client.watch.output.contains("exit"), "watch \(client.index) never exited") }
    }

    @Test("the operator forges moves of a coin and exits it: the owner preempts, proves fraud for half the bond, the chain freezes and every coin exits")
    func forgedExitAndFraud() async throws {
        let fixture = try await Fixture.start(name: "plasma-thief", window: 10, blockInterval: "1")
        defer { fixture.stop() }
        let clients = try await Self.depositAndWatch(fixture, perClient: 1)
        defer { for client in clients where client.watch.process.isRunning { client.watch.process.terminate() } }
        let victim = clients[0], coin = clients[0].coins[0]
        let thief = SigningKey.devnet(index: Fixture.operatorKeyIndex)
        let thiefKey = RawPublicKey(thief.publicKey.bytes)!

        // Two forged moves: Alice's coin to the operator (not signed by Alice), then on from there.
        let before = try OperatorStore(
            path: fixture.root.appendingPathComponent("operator/operator.sqlite").path, chainId: fixture.chainId, network: Fixture.network)
        let next = try before.lastBlockNumber() + 1
        try before.close()
        let forged = try ChildTransaction(coinId: coin, parentBlock: 0, newOwnerKey: thiefKey, signedBy: thief, network: Fixture.network)
        let onward = try ChildTransaction(coinId: coin, parentBlock: next, newOwnerKey: thiefKey, signedBy: thief, network: Fixture.network)
        let blocks = try await Self.tamper(fixture, blocks: [[forged], [onward]])
        var outputs = [CovenantTransactionRequest.ReadOutput]()
        #expect(try await fixture.mineUntil(blocks: 20) {
            outputs = []
            for block in blocks { if let output = try await Self.committed(fixture, block) { outputs.append(output) } }
            return outputs.count == 2
        }, "\(fixture.running.output.suffix(1500))")

        // The thief exits the coin at once, from its forged history, before the clients see the blocks as final.
        // Deposited before any child block: its history starts at block 1.
        let coinLock = Lock.plasmaCoin(PlasmaCoinLock(chainId: fixture.chainId, coinId: coin, depositorKey: victim.raw, exitWindow: fixture.window, firstBlock: 1))
        let coinOutputs = try await fixture.client.outputs(under: coinLock)
        let coinOutput = try #require(coinOutputs.first, "the victim's coin is not on layer 1")
        let tip = try await fixture.client.tip()
        let funding = try await fixture.client.outputs(of: thief.publicKey.address(on: Fixture.network))
        let transactions = PlasmaCoinTransactions(params: Self.params, fundingKey: thief)
        let evidence = CoinExitEvidence.laterMove(
            exit: IncludedMove(move: onward, proof: blocks[1].proof(for: coin).proof, block: outputs[1]),
            parent: IncludedMove(move: forged, proof: blocks[0].proof(for: coin).proof, block: outputs[0]))
        let theft = try transactions.exit(
            coin: .init(outpoint: coinOutput.outpoint, unspent: UnspentOutput(
                output: Output(amount: coinOutput.amount, lock: coinLock), height: coinOutput.height, isCoinbase: false)),
            evidence: evidence, in: .init(height: tip.height + 1, funding: funding, nowMs: UInt64(Date().timeIntervalSince1970 * 1_000)))
        _ = try await fixture.client.submit(theft.transaction)
        _ = try await fixture.node.mineBlock()

        // The owner keeps the coin (its older exit preempts the thief's), half the bond goes to the prover,
        // the chain freezes, and every client is paid every coin.
        let bond = Self.params.layer2.bondMinimum
        let frozen = Lock.plasmaBond(PlasmaBondLock(chainId: fixture.chainId, exitWindow: fixture.window, state: .frozen))
        #expect(try await fixture.mineUntil(blocks: 200, every: .milliseconds(500)) {
            guard try await !fixture.client.outputs(under: frozen).isEmpty else { return false }
            return try await Self.everyCoinPaidOut(fixture, clients, bond: bond)
        }, "\(Self.logs(clients))")
        let bounty = try await fixture.client.outputs(under: victim.payee).filter { $0.amount == Amount(coins: 1)! }
        #expect(!bounty.isEmpty, "no half of the 2 EMB bond paid to the prover")
        #expect(victim.watch.output.contains("preempt"), "\(victim.watch.output.suffix(1500))")
        #expect(victim.watch.output.contains("fraud"), "\(victim.watch.output.suffix(1500))")
    }
}
