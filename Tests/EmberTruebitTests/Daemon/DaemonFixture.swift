import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTestSupport
import EmberTruebit
import EmberVM
import Foundation
import Logging

/// A devnet chain behind a `ChainNode`, a giver who posts tasks with the builders, and the daemons' stores in
/// a temporary folder. Each daemon key's seed account is split into several outputs first, so one pass can
/// fund several transactions.
struct DaemonFixture {
    static let giver = SigningKey.devnet(index: 1)
    static let solver = SigningKey.devnet(index: 2)
    static let verifier = SigningKey.devnet(index: 3)
    static let reward = Amount(coins: 10)!
    static let solverDeposit = Amount(coins: 1)!
    static let challengerDeposit = Amount(units: 500_000_000_000_000_000)
    /// Long enough for a commit to become final (8 blocks on devnet) before its revealBy.
    static let window: UInt32 = 12
    static let clock: UInt32 = 30
    static let maxSteps: UInt64 = 10_000
    /// 300 iterations of `RunPrograms.summing`: a run of a few thousand steps, four bisection rounds at most.
    static let input = RunPrograms.input(iterations: 300)

    let node: ChainNode
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("truebit-daemons-\(UUID().uuidString)")

    init() throws {
        var chain = ChainBuilder()
        try chain.extend(by: 1)
        for (index, key) in [(2, Self.solver), (3, Self.verifier)] as [(UInt32, SigningKey)] {
            let seed = chain.seedOutPoint(index)
            let available = chain.utxos.unspentOutput(at: seed)!.output.amount
            let part = Amount(coins: 1_000)!
            let parts = [Output](repeating: Output(amount: part, lock: .pubKeyHash(key.publicKey.publicKeyHash)), count: 8)
            let change = available.subtracting(Amount(units: part.units * 8 + Amount.unitsPerCoin))!
            try chain.append(chain.makeBlock([chain.spend([(seed, key)], to: parts + [Output(amount: change, lock: .pubKeyHash(key.publicKey.publicKeyHash))])]))
        }
        node = ChainNode(chain)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    var params: ConsensusParams { node.chain.params }

    /// A logger that keeps quiet unless the test run asks for the daemons' lines.
    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["TRUEBIT_DAEMON_LOGS"] == nil ? .critical : .info
        return logger
    }

    func context(_ key: SigningKey, store name: String) throws -> TruebitDaemonContext {
        let store = try TruebitStore(path: folder.appendingPathComponent("\(name).sqlite").path, network: params.networkID)
        let chain = node.chain
        return TruebitDaemonContext(
            store: store, node: NodeAPIClient(transport: node), transactions: TruebitTransactions(params: params, fundingKey: key),
            nowMs: { chain.nowMs + 86_400_000 })
    }

    /// The sybil-defence estimate is off: it measures state-hash times on a loaded test machine, and its
    /// verdict is tested on fixed numbers in `TaskAcceptanceTests`.
    static let limits = SolverLimits(
        maxSteps: 1 << 20, maxSolverDeposit: Amount(coins: 5)!, refuseIndefensible: false, blockSeconds: 1, reorganisationBlocks: 2,
        congestionBlocks: 2)

    func solver(store name: String = "solver", fault: RegisterFault? = nil) throws -> TruebitSolver {
        TruebitSolver(
            context: try context(Self.solver, store: name), solverKey: Self.solver,
            configuration: .init(limits: Self.limits, runOptions: TaskRun.Options(checkpointInterval: 256, fault: fault)),
            logger: Self.logger("truebit.solver"))
    }

    func verifier(store name: String = "verifier") throws -> TruebitVerifier {
        TruebitVerifier(
            context: try context(Self.verifier, store: name), challengerKey: Self.verifier,
            configuration: .init(runOptions: TaskRun.Options(checkpointInterval: 256)), logger: Self.logger("truebit.verifier"))
    }

    /// The giver posts `program` (`RunPrograms.summing` unless given) over `input` as one task; mined.
    @discardableResult
    func post(program: [UInt8] = RunPrograms.summing, input: [UInt8] = DaemonFixture.input, solveDeadline: UInt64? = nil) throws -> TruebitTransactions.PostedTask {
        let chain = node.chain
        let parameters = TruebitTaskParameters(
            giverKey: RawPublicKey(Self.giver.publicKey.bytes)!, reward: Self.reward, solverDeposit: Self.solverDeposit,
            challengerDeposit: Self.challengerDeposit, maxSteps: Self.maxSteps, challengeWindow: Self.window, clock: Self.clock,
            solveDeadline: solveDeadline ?? chain.tip.header.height + 400)
        let lock = Lock.pubKeyHash(Self.giver.publicKey.publicKeyHash)
        let funding = chain.utxos.outputs.filter { $0.value.output.lock == lock }.map {
            WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, lockTime: $0.value.output.lockTime, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
        }
        let (built, tasks) = try TruebitTransactions(params: params, fundingKey: Self.giver).post(
            program: program, input: input, tasks: [parameters],
            in: TruebitTransactions.Context(height: chain.tip.header.height + 1, funding: funding, nowMs: chain.nowMs))
        try node.mine(built)
        return tasks[0]
    }

    /// The unspent output at `outpoint` on the chain, nil once spent.
    func unspent(_ outpoint: OutPoint) -> UnspentOutput? { node.chain.utxos.unspentOutput(at: outpoint) }

    /// The unspent outputs whose lock satisfies `matches`.
    func outputs(where matches: (Lock) -> Bool) -> [(OutPoint, UnspentOutput)] {
        node.chain.utxos.outputs.filter { matches($0.value.output.lock) }.map { ($0.key, $0.value) }
    }

    /// Every transaction mined so far, in order.
    var minedTransactions: [Transaction] { node.chain.blocks.flatMap { $0.transactions.dropFirst() } }
}
