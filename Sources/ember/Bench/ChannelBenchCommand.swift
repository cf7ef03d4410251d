import ArgumentParser
import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation
import Logging

/// `ember bench channels`: issue 15's two figures. Co-signed updates per second between two channel
/// services (in this process, each with its SQLite store, talking over the peer WebSocket on
/// 127.0.0.1; the channel funded through a devnet `ember node` process), beside the raw Ed25519
/// sign-and-verify rate of the same run; and the layer-1 bytes and weight of a channel's lives: open and
/// cooperative close, open, dispute and settle, and a tic-tac-toe game played entirely by force-moves.
struct ChannelBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Co-signed channel updates per second over the WebSocket with durable storage; layer-1 bytes of a channel's lives."
    )

    @Option(help: "Payments timed, sent as `ember channel pay --count` sends them (0 skips the services and measures only the layer-1 bytes).")
    var payments: Int = 10_000

    func run() async throws {
        guard (0...1_000_000).contains(payments) else { throw commandFailure("--payments 0…1000000") }
        let params = WalletSender.params(for: .devnet)
        if payments > 0 { try await measureUpdates(params: params) }
        try measureLayer1(params: params)
    }

    // MARK: - Updates per second

    private func measureUpdates(params: ConsensusParams) async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-channels-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let nodePorts = (p2p: try LoopbackPort.free(), api: try LoopbackPort.free())
        let node = try ChildRun.start([
            "node", "--network", "devnet", "--data-dir", work.appendingPathComponent("node").path, "--p2p-port", "\(nodePorts.p2p)",
            "--api-port", "\(nodePorts.api)",
        ])
        defer { ChildRun.stop(node) }
        guard try await ChildRun.waitForHeight(apiPort: nodePorts.api, atLeast: 0, seconds: 60) != nil else {
            throw commandFailure("the devnet node did not start")
        }
        let client = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:\(nodePorts.api)")!)
        var logger = Logger(label: "ember.bench.channels")
        logger.logLevel = .warning

        func service(_ name: String, key: UInt32) throws -> ChannelService {
            let folder = work.appendingPathComponent(name).path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            do {
                return try ChannelService(
                    params: params, key: .devnet(index: key), store: try ChannelStore(path: folder + "/channels.sqlite"), node: client,
                    logger: logger)
            } catch {
                throw commandFailure("channel service \(name): \(error)")
            }
        }
        let a = try service("a", key: 6)
        let b = try service("b", key: 7)
        // B listens; A connects to it, as `ember channel open --peer` does.
        let peerPort = try LoopbackPort.free()
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let server = ChannelServer(service: b, peerHost: "127.0.0.1", peerPort: peerPort, controlPort: try LoopbackPort.free(), logger: serverLogger)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }

        // A opens with 10 EMB, B puts in 5 (the end-to-end test's channel); the open returns once the
        // node accepted the funding transaction, and updates need no confirmation.
        let clock = ContinuousClock()
        let openStart = clock.now
        var opened: ChannelRecord?
        for attempt in 0..<50 where opened == nil {
            do {
                opened = try await a.open(peerURL: "ws://127.0.0.1:\(peerPort)/v1/peer", amount: Amount(coins: 10)!, peerAmount: Amount(coins: 5)!)
            } catch ChannelServiceError.peerUnreachable(url: _, reason: let reason) {
                guard attempt < 49 else { throw commandFailure("B's peer WebSocket did not answer: \(reason)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        guard let record = opened else { throw commandFailure("the channel did not open") }
        let openSeconds = (clock.now - openStart).seconds

        let amount = Amount(units: Amount.unitsPerCoin / 10_000)
        let start = clock.now
        // As `ember channel pay --count` pays: batches of up to 256 updates, each state signed by both
        // sides, checked by B on the one before it, and the newest stored on both sides before the next.
        let last = try await a.payMany(record.id, amount: amount, count: payments)
        let seconds = (clock.now - start).seconds
        let seenByB = try await b.latestState(of: record.id).state.version
        guard last?.state.version == UInt64(payments), seenByB == UInt64(payments) else {
            throw commandFailure("A ended at version \(last?.state.version ?? 0), B at \(seenByB); expected \(payments)")
        }
        await a.stopLinks()
        await b.stopLinks()

        let rate = Double(payments) / seconds
        let pairs = Self.signAndVerifyRate(params: params)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        say(String(format: "channel open         %8.2f s  (both fund; until the node accepts the funding)", openSeconds))
        say(String(format: "co-signed updates    %8.0f /s  (%d payments of 0.0001 EMB in %.2f s, A → B over ws://127.0.0.1, each state in SQLite on both sides before it counts)",
                   rate, payments, seconds))
        say(String(format: "raw Ed25519          %8.0f sign+verify pairs/s on 1 core (an update costs 2 signatures and 2 verifications)", pairs))
        say(String(format: "signature ceiling    %8.0f updates/s on this machine's %d cores (pairs/s × cores / 2: signing and checking alone)",
                   pairs * Double(cores) / 2, cores))
        say(String(format: "updates / ceiling    %8.2f      (issue 15 asks ≥ 10 000 updates/s)", rate / (pairs * Double(cores) / 2)))
    }

    /// Sign-then-verify pairs of channel-state signatures per second, on this thread.
    static func signAndVerifyRate(params: ConsensusParams) -> Double {
        let key = SigningKey.devnet(index: 6)
        let count = 2_000
        let clock = ContinuousClock()
        let start = clock.now
        var valid = 0
        for index in 0..<count {
            let message = Blake3.hash(Array("state \(index)".utf8)).bytes
            let signature = try! key.sign(domain: .channelState, network: params.networkID, message: message)
            if key.publicKey.isValidSignature(signature, domain: .channelState, network: params.networkID, message: message) { valid += 1 }
        }
        precondition(valid == count)
        return Double(count) / (clock.now - start).seconds
    }

    // MARK: - Layer-1 bytes

    /// One transaction of a channel's life and its cost on layer 1.
    struct Step {
        let name: String
        let transaction: Transaction
        let params: ConsensusParams
        var size: Int { transaction.digests.size }
        var weight: Int { params.weight(of: transaction, size: size) }
    }

    private func measureLayer1(params: ConsensusParams) throws {
        let layer1 = try ChannelLayer1(params: params)
        let payments = try layer1.paymentChannel()
        let game = try layer1.forceMovedGame()
        say("")
        say("layer-1 bytes (each transaction signed and checked with the network's rules: sanity, signatures, connect):")
        say("  transaction                                 inputs outputs   bytes  weight")
        for step in payments.steps + game.steps {
            say("  " + step.name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%5d %7d %7d %7d", step.transaction.inputs.count, step.transaction.outputs.count,
                       step.size, step.weight))
        }
        say("")
        say("  life                                                        transactions   bytes  weight")
        for (name, steps) in payments.lives + game.lives {
            say("  " + name.padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: "%5d %7d %7d", steps.count, steps.map(\.size).reduce(0, +), steps.map(\.weight).reduce(0, +)))
        }
    }
}

/// Builds every layer-1 transaction of a channel's life from contexts held here (no node, no chain):
/// outputs the parties hold are made up, each spend is built by `ChannelTransactions` for the block
/// height at which the rules take it, and every transaction passes `checkTransactionSanity`,
/// `checkSignatures` and `checkTransactionConnect` against the outputs it spends.
struct ChannelLayer1 {
    typealias Step = ChannelBenchCommand.Step
    let params: ConsensusParams
    let keyA = SigningKey.devnet(index: 6)
    let keyB = SigningKey.devnet(index: 7)
    let window: UInt32 = 30
    let nowMs: UInt64
    /// The height of the block holding the funding transaction.
    let fundingHeight: UInt64 = 10

    init(params: ConsensusParams) throws {
        self.params = params
        nowMs = params.launchTimestampMs + 3_600_000
    }

    var rawA: RawPublicKey { RawPublicKey(keyA.publicKey.bytes)! }
    var rawB: RawPublicKey { RawPublicKey(keyB.publicKey.bytes)! }
    var network: NetworkID { params.networkID }

    /// An output of `key` worth `coins` EMB that no chain holds, named by `label`.
    func heldOutput(_ label: String, key: SigningKey, coins: UInt128 = 1_000) -> (WalletOutput, UnspentOutput) {
        let outpoint = OutPoint(txid: Blake3.hash(Array("ember bench channels \(label)".utf8)), index: 0)
        let amount = Amount(coins: coins)!
        return (WalletOutput(outpoint: outpoint, amount: amount, height: 1),
                UnspentOutput(output: Output(amount: amount, lock: .pubKeyHash(key.publicKey.publicKeyHash)), height: 1, isCoinbase: false))
    }

    /// The funding transaction as `ChannelService.open` builds it: each funder's input, the channel at
    /// output 0, then each funder's change; the opener pays the fee.
    func funding(channel: ChannelParams, amountA: Amount, amountB: Amount) throws -> Transaction {
        let (heldA, spentA) = heldOutput("funding A", key: keyA)
        let (heldB, spentB) = heldOutput("funding B", key: keyB)
        let total = amountA.adding(amountB)!
        var inputs = [Input(outpoint: heldA.outpoint, unlock: .publicKey(rawA))]
        var view = [heldA.outpoint: spentA]
        if amountB > .zero {
            inputs.append(Input(outpoint: heldB.outpoint, unlock: .publicKey(rawB)))
            view[heldB.outpoint] = spentB
        }
        func assemble(fee: Amount) -> Transaction {
            var outputs = [Output(amount: total, lock: .channel(channel))]
            outputs.append(Output(amount: heldA.amount.subtracting(amountA)!.subtracting(fee)!, lock: .pubKeyHash(keyA.publicKey.publicKeyHash)))
            if amountB > .zero {
                outputs.append(Output(amount: heldB.amount.subtracting(amountB)!, lock: .pubKeyHash(keyB.publicKey.publicKeyHash)))
            }
            let placeholder = Witness(items: [[UInt8](repeating: 0, count: Signature.byteCount)])
            return Transaction(
                version: Transaction.version2, inputs: inputs, reads: [], outputs: outputs, blobs: [],
                witnesses: Array(repeating: placeholder, count: inputs.count))
        }
        let sized = assemble(fee: .zero)
        var transaction = assemble(fee: params.minimumFee(weight: params.weight(of: sized, size: sized.encoded.count)))
        let txid = transaction.txid
        transaction.witnesses = [Witness(items: [try keyA.sign(txid: txid, network: network).bytes])]
        if amountB > .zero { transaction.witnesses.append(Witness(items: [try keyB.sign(txid: txid, network: network).bytes])) }
        let digests = transaction.digests
        try params.checkTransactionSanity(transaction, digests: digests)
        try params.checkSignatures(transaction, txid: digests.txid)
        _ = try params.checkTransactionConnect(
            transaction, digests: digests, view: InMemoryUTXOView(view), height: fundingHeight, blockTimestamp: nowMs)
        return transaction
    }

    func record(channel: ChannelParams, funding: Transaction, app: String) -> ChannelRecord {
        let outpoint = OutPoint(txid: funding.txid, index: 0)
        return ChannelRecord(
            id: channel.channelId(network: network, funding: outpoint), network: network, params: channel, funding: outpoint,
            amount: funding.outputs[0].amount, side: .a, peerURL: nil, app: app, status: .open)
    }

    /// A context spending output 0 of `previous` (mined at `previousHeight`) in the block at `height`,
    /// fees paid from a fresh output of `payer`.
    func context(spending previous: Transaction, at previousHeight: UInt64, height: UInt64, payer: SigningKey, label: String) -> ChannelTransactions.Context {
        let spent = UnspentOutput(output: previous.outputs[0], height: previousHeight, isCoinbase: false)
        return ChannelTransactions.Context(spent: spent, height: height, funding: [heldOutput(label, key: payer).0], nowMs: nowMs)
    }

    func transactions(paidBy key: SigningKey) -> ChannelTransactions {
        ChannelTransactions(params: params, fundingKey: key, client: NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:9")!))
    }

    func coSigned(_ state: ChannelState) throws -> CoSignedState {
        let hash = state.hash(network: network).bytes
        return CoSignedState(
            state: state, sigA: try keyA.sign(domain: .channelState, network: network, message: hash),
            sigB: try keyB.sign(domain: .channelState, network: network, message: hash))
    }

    func dispute(after transaction: Transaction, of record: ChannelRecord) throws -> ChannelRecord.Dispute {
        guard case .disputed(let dispute, _, _) = ChannelSpendOutcome.read(transaction, txid: transaction.txid, input: 0, channelId: record.id, network: network)
        else { throw commandFailure("the transaction does not read as a dispute") }
        return dispute
    }

    /// A payment channel funded by both (10 and 5 EMB) after 10 000 payments: its funding, its
    /// cooperative close (a co-signed final state concluded, as `ember channel close` does, and the
    /// close both sign over its txid), and a dispute with the latest state settled after the window.
    func paymentChannel() throws -> (steps: [Step], lives: [(String, [Step])]) {
        let channel = ChannelParams(keyA: rawA, keyB: rawB, window: window, app: .zero)
        let funding = try funding(channel: channel, amountA: Amount(coins: 10)!, amountB: Amount(coins: 5)!)
        let record = record(channel: channel, funding: funding, app: "payments")
        let balances = [
            Output(amount: Amount(coins: 9)!, lock: record.payoutA), Output(amount: Amount(coins: 6)!, lock: record.payoutB),
        ]
        let latest = ChannelState(channelId: record.id, version: 10_000, isFinal: false, balances: balances, appData: [])
        var final = latest
        final.version += 1
        final.isFinal = true
        let byA = transactions(paidBy: keyA)

        let conclude = try byA.conclude(
            record, final: try coSigned(final), spending: .funding,
            in: context(spending: funding, at: fundingHeight, height: fundingHeight + 1, payer: keyA, label: "conclude")).transaction

        let unsigned = try byA.unsignedCooperativeClose(
            record, outputs: balances, in: context(spending: funding, at: fundingHeight, height: fundingHeight + 1, payer: keyA, label: "coop"))
        let message = ChannelTransactions.coopMessage(channelId: record.id, txid: unsigned.txid)
        let cooperative = try byA.insertingCoopSignatures(
            unsigned, sigA: try keyA.sign(domain: .channelCoop, network: network, message: message),
            sigB: try keyB.sign(domain: .channelCoop, network: network, message: message))

        let disputeHeight = fundingHeight + 1
        let disputeTransaction = try byA.dispute(
            record, latest: try coSigned(latest),
            in: context(spending: funding, at: fundingHeight, height: disputeHeight, payer: keyA, label: "dispute")).transaction
        let disputed = try dispute(after: disputeTransaction, of: record)
        let settle = try byA.settle(
            record, dispute: disputed, state: latest,
            in: context(spending: disputeTransaction, at: disputeHeight, height: disputed.deadline, payer: keyA, label: "settle")).transaction

        let steps = [
            Step(name: "open (funded by both)", transaction: funding, params: params),
            Step(name: "close: conclude a co-signed final state", transaction: conclude, params: params),
            Step(name: "close: cooperative (both sign its txid)", transaction: cooperative, params: params),
            Step(name: "dispute with the latest state", transaction: disputeTransaction, params: params),
            Step(name: "settle after the window", transaction: settle, params: params),
        ]
        return (steps, [
            ("open + cooperative close (conclude, `ember channel close`)", [steps[0], steps[1]]),
            ("open + cooperative close (both sign the close)", [steps[0], steps[2]]),
            ("open + dispute + settle", [steps[0], steps[3], steps[4]]),
        ])
    }

    /// Tic-tac-toe for 1 EMB each, every move forced on layer 1: A disputes the empty board, then A
    /// and B force-move in turn (A: 0, B: 3, A: 1, B: 4, A: 2 makes the top row), each in the block
    /// after the one before, and A settles the won game when the last move's window runs out.
    func forceMovedGame() throws -> (steps: [Step], lives: [(String, [Step])]) {
        let app = ChannelApps.ticTacToe
        let channel = ChannelParams(keyA: rawA, keyB: rawB, window: window, app: app.hash)
        let funding = try funding(channel: channel, amountA: Amount(coins: 1)!, amountB: Amount(coins: 1)!)
        let record = record(channel: channel, funding: funding, app: app.name)
        let stake = Amount(coins: 1)!
        let opening = TicTacToe.openingState(
            channelId: record.id, payoutA: Blake3.hash(rawA.bytes), payoutB: Blake3.hash(rawB.bytes), stake: stake)

        var height = fundingHeight + 1
        let disputeTransaction = try transactions(paidBy: keyA).dispute(
            record, latest: try coSigned(opening),
            in: context(spending: funding, at: fundingHeight, height: height, payer: keyA, label: "game dispute")).transaction
        var steps = [
            Step(name: "game: open (1 EMB each)", transaction: funding, params: params),
            Step(name: "game: dispute the empty board", transaction: disputeTransaction, params: params),
        ]
        var previous = disputeTransaction
        var disputed = try dispute(after: disputeTransaction, of: record)
        var state = opening
        for cell in [0, 3, 1, 4, 2] {
            guard let next = TicTacToe.nextState(after: state, placingAt: cell, stake: stake) else { throw commandFailure("cell \(cell) is not a move") }
            let byA = TicTacToe.mover(ofVersion: next.version) == .a
            let mover = byA ? keyA : keyB
            let signature = try mover.sign(domain: .channelState, network: network, message: next.hash(network: network).bytes)
            let previousHeight = height
            height += 1
            let move = try transactions(paidBy: mover).forceMove(
                record, dispute: disputed, old: state, new: next, moverSignature: signature, program: app.program, maxSteps: app.maxSteps,
                in: context(spending: previous, at: previousHeight, height: height, payer: mover, label: "move \(next.version)")).transaction
            steps.append(Step(name: "game: force-move \(next.version) by \(byA ? "A" : "B") (cell \(cell))", transaction: move, params: params))
            previous = move
            disputed = try dispute(after: move, of: record)
            state = next
        }
        let settle = try transactions(paidBy: keyA).settle(
            record, dispute: disputed, state: state,
            in: context(spending: previous, at: height, height: disputed.deadline, payer: keyA, label: "game settle")).transaction
        steps.append(Step(name: "game: settle A's win", transaction: settle, params: params))
        return (steps, [("force-moved game: open + dispute + 5 force-moves + settle", steps)])
    }
}
