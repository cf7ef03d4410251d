import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTruebit
import EmberVM
import Foundation

/// `ember truebit post`: runs the program on the input here first (it must halt with exit code 0 and an
/// output of at most 64 KiB), chooses the parameters the giver left open (docs/truebit.md, "Task giver"),
/// and sends one post: the program and input as blobs and the task output holding the reward.
struct TruebitPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Post a task: a program and its input for a solver to run, and the reward for a right result.")

    @OptionGroup var account: Layer2AccountOptions
    @Option(help: ArgumentHelp("The task's program: a static RV32IM ELF (at most 256 KiB).", valueName: "elf"))
    var program: String
    @Option(help: ArgumentHelp("The program's input file.", valueName: "file"))
    var input: String
    @Option(help: "The reward in EMB, paid to the solver of a right result.")
    var reward: String
    @Option(help: "Most steps a solution may take (default: twice the measured run; over 4× needs --force).")
    var maxSteps: UInt64?
    @Option(help: "What a solver locks and loses for no reveal or a wrong result, in EMB (default: the reward).")
    var solverDeposit: String?
    @Option(help: "What a challenger locks and loses for a wrong challenge, in EMB (default: a twentieth of the reward, at least the network's minimum).")
    var challengerDeposit: String?
    @Option(help: "Blocks a solution stays open to challenges (default: 30 on devnet, the network minimum elsewhere).")
    var window: UInt32?
    @Option(help: "Each side's chess clock in a game, in blocks (default: window + 4 per move).")
    var clock: UInt32?
    @Option(help: "Blocks from now until the offer ends and the giver may take the reward back (default: 4·(2·window + clock)).")
    var solveBlocks: UInt64?
    @Flag(help: "Post a maxSteps over 4× the measured run.")
    var force = false
    @Flag(help: "Run the program and print the parameters, but send nothing.")
    var dryRun = false

    /// The longest local run when no --max-steps is given: about a minute on the fast path.
    static let rehearsalStepLimit: UInt64 = 1 << 34

    func run() async throws {
        let programBytes = try Self.read(program, option: "--program", limit: ConsensusProgram.maxELFBytes)
        let inputBytes = try Self.read(input, option: "--input", limit: MachineLayout.maxInputBytes)
        let (key, network) = try account.signingKey()
        let params = WalletSender.params(for: network)
        let choices = try TaskPostPlan.Choices(
            reward: Self.amount(reward, option: "--reward"), maxSteps: maxSteps, solverDeposit: solverDeposit.map { try Self.amount($0, option: "--solver-deposit") },
            challengerDeposit: challengerDeposit.map { try Self.amount($0, option: "--challenger-deposit") }, challengeWindow: window, clock: clock,
            solveBlocks: solveBlocks, allowLooseMaxSteps: force)

        say("running the program on the input here first …")
        let rehearsal: TaskRun
        do {
            rehearsal = try TaskRun(
                program: programBytes, input: inputBytes, maxSteps: maxSteps ?? Self.rehearsalStepLimit,
                options: TaskRun.Options(checkpointInterval: .max))
        } catch {
            throw commandFailure(error.description)
        }
        guard case .halted(exitCode: 0) = rehearsal.outcome else {
            throw commandFailure("the program \(rehearsal.outcome) after \(rehearsal.steps) steps: only a run that halts with exit code 0 can be a task")
        }
        guard rehearsal.output.count <= TruebitOutputProof.maxOutputBytes else {
            throw commandFailure("the output is \(rehearsal.output.count) bytes, over \(TruebitOutputProof.maxOutputBytes): output a hash of anything larger")
        }
        say("halted with exit code 0 after \(rehearsal.steps) steps, \(rehearsal.output.count) bytes of output")

        let node = try account.nodeClient(for: network)
        let address = Address(publicKeyHash: key.publicKey.publicKeyHash, network: network)
        let (tip, funding) = try await Self.fromNode { (try await node.tip(), try await node.outputs(of: address)) }
        let plan: TaskPostPlan.Plan
        do {
            plan = try TaskPostPlan(layer2: params.layer2, network: network).plan(
                choices, measuredSteps: rehearsal.steps, giverKey: RawPublicKey(key.publicKey.bytes)!, tipHeight: tip.height)
        } catch {
            throw commandFailure(error.description)
        }
        for warning in plan.warnings { say("warning: \(warning)") }
        let task = plan.parameters
        say("maxSteps \(task.maxSteps), window \(task.challengeWindow), clock \(task.clock), solveDeadline \(task.solveDeadline) (tip \(tip.height))")
        say("reward \(CoinAmount.formatWithUnit(task.reward)), solver deposit \(CoinAmount.formatWithUnit(task.solverDeposit)), challenger deposit \(CoinAmount.formatWithUnit(task.challengerDeposit))")
        if dryRun { return }

        let transactions = TruebitTransactions(params: params, fundingKey: key)
        let context = TruebitTransactions.Context(height: tip.height + 1, funding: funding, nowMs: UInt64(Date().timeIntervalSince1970 * 1_000))
        let built: (transaction: SponsoredTransaction, tasks: [TruebitTransactions.PostedTask])
        do {
            built = try transactions.post(program: programBytes, input: inputBytes, tasks: [task], in: context)
        } catch {
            throw commandFailure(error.description)
        }
        let txid = try await Self.fromNode { try await node.submit(built.transaction.transaction) }
        let posted = built.tasks[0]
        print("task \(posted.taskId.hex)")
        print("post \(txid.hex) (\(built.transaction.transaction.encoded.count) bytes, fee \(CoinAmount.formatWithUnit(built.transaction.fee)))")
        print("task output \(posted.outpoint.txid.hex):\(posted.outpoint.index)")
        print("follow it with `ember truebit status --task \(posted.taskId.hex)`; the result is final \(params.layer2.finalityDepth) blocks after the payout")
    }

    static func read(_ path: String, option: String, limit: Int) throws -> [UInt8] {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw commandFailure("\(option) \(path): no such file") }
        guard size <= limit else { throw commandFailure("\(option) \(path) is \(size) bytes, over the limit of \(limit)") }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw commandFailure("\(option) \(path): \(error.localizedDescription)")
        }
    }

    static func amount(_ text: String, option: String) throws -> Amount {
        do { return try CoinAmount.parse(text) } catch { throw commandFailure("\(option) '\(text)': \(error)") }
    }

    static func fromNode<Value>(_ request: () async throws -> Value) async throws -> Value {
        do {
            return try await request()
        } catch {
            throw commandFailure("the node: \(error)")
        }
    }
}
