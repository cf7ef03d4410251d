import EmberChannels
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Testing

/// State channels as a new user meets them: a devnet `ember node` process and `ember channel serve`
/// processes on 127.0.0.1, driven by the `ember channel` commands. The test mines each block itself
/// through the node's template route, so nothing waits on a clock.
@Suite("channels end to end, real processes", .serialized)
struct ChannelEndToEndTests {
    static let coin = Amount.unitsPerCoin

    /// A node, and channel services A (devnet key 6) and B (devnet key 7) talking to it.
    struct Devnet {
        let root: URL
        let node: NodeProcess
        let client: NodeAPIClient
        let a: ChannelServiceProcess
        let b: ChannelServiceProcess

        init() async throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("ember-channels-e2e-\(UUID().uuidString)")
            node = try NodeProcess(
                folder: root.appendingPathComponent("node"), apiPort: try PortAllocator.freePort(), p2pPort: try PortAllocator.freePort(),
                arguments: ["--network", "devnet", "--block-time-ms", "500"])
            guard await node.waitForInfo(seconds: 90) != nil else { throw ChannelServiceProcess.Failure(message: "no node: \(node.output.suffix(500))") }
            client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:\(node.apiPort)")!)
            a = try ChannelServiceProcess(folder: root.appendingPathComponent("a"), keyIndex: 6, nodePort: node.apiPort)
            b = try ChannelServiceProcess(folder: root.appendingPathComponent("b"), keyIndex: 7, nodePort: node.apiPort)
            guard await a.waitUntilServing(), await b.waitUntilServing() else {
                throw ChannelServiceProcess.Failure(message: "no channel service: \(a.output.suffix(500)) \(b.output.suffix(500))")
            }
            try await mine()
        }

        func stop() {
            a.stop()
            b.stop()
            node.process.terminate()
            try? FileManager.default.removeItem(at: root)
        }

        /// Mines one block through the node (see `NodeProcess.mineBlock`); returns its height.
        @discardableResult
        func mine() async throws -> UInt64 {
            let mined = try await node.mineBlock()
            #expect(mined.outcome == "connected", "the node refused the mined block: \(String(describing: mined.outcome))")
            return mined.height
        }

        /// Runs `work` (a blocking command) while mining a block a second (the services poll the node
        /// every two seconds and windows are 12 blocks), until it returns.
        func mining<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
            let running = Task.detached { try work() }
            let miner = Task {
                while !Task.isCancelled {
                    _ = try? await mine()
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            defer { miner.cancel() }
            return try await running.value
        }

        /// Mines until `condition` holds (at most `blocks` blocks); whether it did.
        func mineUntil(blocks: Int = 100, _ condition: () async throws -> Bool) async throws -> Bool {
            for _ in 0..<blocks {
                if try await condition() { return true }
                try await mine()
                try? await Task.sleep(for: .milliseconds(250))
            }
            return try await condition()
        }

        /// Waits (without mining) until the node's mempool holds at least `count` transactions.
        func waitForMempool(count: Int = 1, seconds: Double = 60) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if ((try await node.get("/v1/mempool")).json["count"] as? Int ?? 0) >= count { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        /// What the node holds for `key` at `outpoint`, or nil.
        func paid(to keyIndex: UInt32, at outpoint: OutPoint) async throws -> Amount? {
            let key = SigningKey.devnet(index: keyIndex)
            return try await client.outputs(under: .pubKeyHash(key.publicKey.publicKeyHash)).first { $0.outpoint == outpoint }?.amount
        }

        /// Opens a channel from A to B (waiting for the funding to confirm) and returns its id.
        func open(amount: String, peerAmount: String? = nil, app: String? = nil) async throws -> String {
            let a = self.a, peer = b.peerURL
            var arguments = ["open", "--peer", peer, "--amount", amount]
            if let peerAmount { arguments += ["--peer-amount", peerAmount] }
            if let app { arguments += ["--app", app] }
            let fixed = arguments
            return try await mining {
                guard let id = try a.json(fixed)["id"] as? String else { throw ChannelServiceProcess.Failure(message: "open printed no id") }
                return id
            }
        }
    }

    static func units(_ object: [String: Any], _ key: String) -> UInt128? { (object[key] as? String).flatMap(UInt128.init) }

    @Test("open funded by both, 10 000 payments, a cooperative close in one layer-1 transaction with the right balances")
    func tenThousandPaymentsThenClose() async throws {
        let devnet = try await Devnet()
        defer { devnet.stop() }
        let id = try await devnet.open(amount: "10", peerAmount: "5")
        let paid = try devnet.a.json(["pay", id, "--amount", "0.0001", "--count", "10000"])
        #expect(paid["version"] as? Int == 10_000)
        // A paid 10 000 × 0.0001 = 1 EMB: 9 left, B holds 6. B's service agrees.
        #expect(Self.units(paid, "ownBalance") == 9 * Self.coin && Self.units(paid, "peerBalance") == 6 * Self.coin)
        let seenByB = try devnet.b.json(["status", id])
        #expect(seenByB["version"] as? Int == 10_000 && Self.units(seenByB, "ownBalance") == 6 * Self.coin)

        let closed = try devnet.a.json(["close", id])
        let txidHex = try #require(closed["txid"] as? String)
        let txid = try #require(Hash32(hex: txidHex))
        #expect(try await devnet.mineUntil { try await devnet.paid(to: 6, at: OutPoint(txid: txid, index: 0)) != nil })
        #expect(try await devnet.paid(to: 6, at: OutPoint(txid: txid, index: 0)) == Amount(units: 9 * Self.coin))
        #expect(try await devnet.paid(to: 7, at: OutPoint(txid: txid, index: 1)) == Amount(units: 6 * Self.coin))
        // Both services see the channel closed on layer 1.
        #expect(try await devnet.mineUntil(blocks: 10) { (try devnet.b.json(["status", id]))["status"] as? String == "closed" })
        // Clear errors: an unknown channel, an amount above the balance.
        #expect(try devnet.a.cli(["pay", "00ff", "--amount", "1"]).standardError.contains("unknown channel"))
    }

    @Test("a service killed with SIGKILL in the middle of payments restarts with its latest co-signed state")
    func sigkillDuringPayments() async throws {
        let devnet = try await Devnet()
        defer { devnet.stop() }
        // B puts 1 EMB in, so even the first payment of 0.0001 leaves every balance above dust.
        let id = try await devnet.open(amount: "10", peerAmount: "1")
        let a = devnet.a
        // Far more payments than fit in the three seconds before the kill, however fast batches go. The
        // command is waited for on a thread of its own: blocking one of the two cooperative threads for
        // the whole run would stall every other test of a loaded full run, and this one's sleep too.
        let payments = Task {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    _ = try? a.cli(["pay", id, "--amount", "0.00001", "--count", "200000"])
                    done.resume()
                }
            }
        }
        try await Task.sleep(for: .seconds(3))
        devnet.a.kill9()
        _ = await payments.value
        let beforeRestart = try #require(try devnet.b.json(["status", id])["version"] as? Int)
        #expect(beforeRestart > 0 && beforeRestart < 200_000, "the kill came before the end of the payments")
        try devnet.a.start()
        #expect(await devnet.a.waitUntilServing())
        // After the restart the two sides sync: A holds at least what B holds (B acknowledged only stored states).
        var agreed = false
        for _ in 0..<100 where !agreed {
            let fromA = try devnet.a.json(["status", id]), fromB = try devnet.b.json(["status", id])
            agreed = fromA["version"] as? Int == fromB["version"] as? Int && fromA["connected"] as? Bool == true
            if !agreed { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(agreed)
        let resumed = try devnet.a.json(["pay", id, "--amount", "0.0001"])
        #expect((resumed["version"] as? Int ?? 0) > beforeRestart)
        let sum = (Self.units(resumed, "ownBalance") ?? 0) + (Self.units(resumed, "peerBalance") ?? 0)
        #expect(sum == 11 * Self.coin)
    }

    @Test("a party that publishes an old state is overridden by the watchtower and loses nothing but fees")
    func towerOverridesAnOldState() async throws {
        let devnet = try await Devnet()
        defer { devnet.stop() }
        let tower = try ChannelServiceProcess(folder: devnet.root.appendingPathComponent("tower"), keyIndex: 5, nodePort: devnet.node.apiPort)
        defer { tower.stop() }
        #expect(await tower.waitUntilServing(), "tower: \(tower.output.suffix(1_500))")
        let id = try await devnet.open(amount: "10")
        _ = try devnet.a.json(["pay", id, "--amount", "1"])
        let old = try #require(try devnet.a.json(["state", id])["coSignedState"] as? String)
        _ = try devnet.a.json(["pay", id, "--amount", "3"])
        // B hands its latest state (A 6, B 4) to the tower and goes offline.
        _ = try devnet.b.json(["watch", id, "--tower", tower.towerURL])
        devnet.b.stop()
        // A cheats with the state where it still had 9.
        _ = try devnet.a.json(["dispute", id, "--state", old])
        #expect(try await devnet.waitForMempool())
        try await devnet.mine()
        // The tower sees the dispute in that block and sends its override before another block comes.
        #expect(try await devnet.waitForMempool(), "tower: \(tower.output.suffix(1_500))")
        // After the window the guard settles; B is paid 4 EMB.
        let settledForB = try await devnet.mineUntil(blocks: 40) {
            let b = SigningKey.devnet(index: 7)
            return try await devnet.client.outputs(under: .pubKeyHash(b.publicKey.publicKeyHash)).contains { $0.amount == Amount(units: 4 * Self.coin) }
        }
        #expect(settledForB, "A: \(devnet.a.output.suffix(1_500))\ntower: \(tower.output.suffix(1_500))")
        let a = SigningKey.devnet(index: 6)
        let aOutputs = try await devnet.client.outputs(under: .pubKeyHash(a.publicKey.publicKeyHash))
        #expect(!aOutputs.contains { $0.amount == Amount(units: 9 * Self.coin) }, "the old state never settled")
        #expect(aOutputs.contains { $0.amount == Amount(units: 6 * Self.coin) })
    }

    @Test("tic-tac-toe: when B stops answering, A wins by force-moves when B's window runs out")
    func ticTacToeWonByForceMove() async throws {
        let devnet = try await Devnet()
        defer { devnet.stop() }
        let id = try await devnet.open(amount: "1", peerAmount: "1", app: "tictactoe")
        _ = try devnet.a.json(["move", id, "--cell", "0"])
        _ = try devnet.b.json(["move", id, "--cell", "4"])
        _ = try devnet.a.json(["move", id, "--cell", "1"])
        _ = try devnet.b.json(["move", id, "--cell", "8"])
        // An illegal move is refused with the app's reason: cell 4 is taken.
        #expect(try devnet.a.cli(["move", id, "--cell", "4"]).status != 0)
        devnet.b.stop()
        // A completes its row on layer 1: dispute, then force-move, mining as it goes.
        let a = devnet.a
        _ = try await devnet.mining { try a.json(["move", id, "--cell", "2", "--force"]).count }
        // B never answers: from the deadline on, the forced state settles and A takes both stakes.
        let won = try await devnet.mineUntil(blocks: 40) {
            let key = SigningKey.devnet(index: 6)
            return try await devnet.client.outputs(under: .pubKeyHash(key.publicKey.publicKeyHash)).contains { $0.amount == Amount(units: 2 * Self.coin) }
        }
        #expect(won, "A: \(devnet.a.output.suffix(2_000))")
    }
}
