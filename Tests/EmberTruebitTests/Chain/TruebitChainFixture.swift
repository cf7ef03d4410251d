import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTestSupport
import EmberTruebit
import EmberVM
import Foundation
import Testing

/// A devnet chain (`ChainBuilder`, every block through all four tiers) on which a giver, a solver, a
/// challenger and a watcher build their Truebit transactions with `TruebitTransactions`, each paying from
/// its own devnet seed account. Balances are read from the chain's UTXO set; expected amounts come from
/// the task's numbers and docs/truebit.md's splits, never from the builders.
struct TruebitChain {
    static let giver = SigningKey.devnet(index: 1)
    static let solver = SigningKey.devnet(index: 2)
    static let challenger = SigningKey.devnet(index: 3)
    static let watcher = SigningKey.devnet(index: 4)
    static let reward = Amount(coins: 10)!
    static let solverDeposit = Amount(coins: 1)!
    static let challengerDeposit = Amount(units: 500_000_000_000_000_000)
    static let window: UInt32 = 4
    static let clock: UInt32 = 30
    static let maxSteps: UInt64 = 1_000

    var builder = ChainBuilder()
    /// The fees each funding key paid for the transactions mined through `mine`, by its lock.
    private var fees = [Lock: Amount]()

    init() throws {
        try builder.extend(by: 1)
    }

    var params: ConsensusParams { builder.params }
    var dust: Amount { params.dust }
    var nextHeight: UInt64 { builder.tip.header.height + 1 }

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
    static func pkh(_ key: SigningKey) -> Lock { .pubKeyHash(key.publicKey.publicKeyHash) }

    /// The builders of the actor holding `key`, funded by it.
    func transactions(_ key: SigningKey) -> TruebitTransactions { TruebitTransactions(params: params, fundingKey: key) }

    /// `key`'s confirmed outputs, for a transaction in the next block.
    func context(_ key: SigningKey) -> TruebitTransactions.Context {
        let lock = Self.pkh(key)
        let funding = builder.utxos.outputs.filter { $0.value.output.lock == lock }.map {
            WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, lockTime: $0.value.output.lockTime, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
        }
        return TruebitTransactions.Context(height: nextHeight, funding: funding, nowMs: builder.nowMs)
    }

    /// What `key` holds on layer 1.
    func balance(_ key: SigningKey) -> Amount {
        let lock = Self.pkh(key)
        return builder.utxos.outputs.values.filter { $0.output.lock == lock }.map(\.output.amount).checkedSum()!
    }

    func output(_ outpoint: OutPoint) throws -> TruebitTransactions.ChainOutput {
        .init(outpoint: outpoint, unspent: try #require(builder.utxos.unspentOutput(at: outpoint), "output \(outpoint) is not unspent"))
    }

    func isUnspent(_ outpoint: OutPoint) -> Bool { builder.utxos.unspentOutput(at: outpoint) != nil }

    /// Mines `built` alone in the next block, booking its fee to the key that funded it; returns it.
    @discardableResult
    mutating func mine(_ built: SponsoredTransaction) throws -> Transaction {
        let payer = built.funding.first.flatMap { builder.utxos.unspentOutput(at: $0.outpoint)?.output.lock }
        try builder.append(builder.makeBlock([built.transaction]))
        if let payer { fees[payer] = fees[payer, default: .zero].adding(built.fee)! }
        return built.transaction
    }

    /// The fees `key` paid from its own outputs.
    func feesPaid(by key: SigningKey) -> Amount { fees[Self.pkh(key), default: .zero] }

    /// Mines empty blocks until the next block has height `height`.
    mutating func advance(toNextHeight height: UInt64) throws {
        while nextHeight < height { try builder.append(builder.makeBlock()) }
    }

    /// The task's parameters on this chain, refundable from `solveDeadline`.
    static func parameters(solveDeadline: UInt64) -> TruebitTaskParameters {
        TruebitTaskParameters(
            giverKey: raw(giver), reward: reward, solverDeposit: solverDeposit, challengerDeposit: challengerDeposit, maxSteps: maxSteps,
            challengeWindow: window, clock: clock, solveDeadline: solveDeadline)
    }

    /// The giver posts the run's program and input as one task; mined.
    mutating func post(solveDeadline: UInt64? = nil) throws -> TruebitTransactions.PostedTask {
        let deadline = solveDeadline ?? nextHeight + 500
        let (built, tasks) = try transactions(Self.giver).post(
            program: TruebitProgramRun.program, input: TruebitProgramRun.input, tasks: [Self.parameters(solveDeadline: deadline)],
            in: context(Self.giver))
        try mine(built)
        return try #require(tasks.first)
    }

    /// The solver commits to `result` on the task at `task` and reveals it in the next block; both mined.
    /// Returns the commit's outpoint and the solution's.
    mutating func solve(task: OutPoint, result: TruebitRunResult) throws -> (commit: OutPoint, solution: OutPoint) {
        let salt = Blake3.hash(Array("salt of \(task)".utf8))
        let solver = transactions(Self.solver)
        let commit = try mine(solver.commit(task: output(task), result: result, salt: salt, solverKey: Self.raw(Self.solver), in: context(Self.solver)))
        let commitOutpoint = OutPoint(txid: commit.txid, index: 0)
        let reveal = try mine(solver.reveal(commit: output(commitOutpoint), result: result, salt: salt, solverKey: Self.solver, in: context(Self.solver)))
        return (commitOutpoint, OutPoint(txid: reveal.txid, index: 0))
    }

    /// The solution's lock at `outpoint`.
    func solution(_ outpoint: OutPoint) throws -> TruebitSolutionLock {
        guard case .truebitSolution(let solution) = try output(outpoint).unspent.output.lock else { throw TruebitChainError.notA("solution") }
        return solution
    }

    func game(_ outpoint: OutPoint) throws -> TruebitGameLock {
        guard case .truebitGame(let game) = try output(outpoint).unspent.output.lock else { throw TruebitChainError.notA("game") }
        return game
    }

    /// The first height payout accepts: `deadline + 3·clock` (docs/truebit.md, mode 9).
    static func payoutHeight(_ solution: TruebitSolutionLock) -> UInt64 { solution.deadline + 3 * UInt64(solution.task.clock) }
}

enum TruebitChainError: Error {
    case notA(String)
}

/// The program every task here runs, with its true run from EmberVM: it copies its input to the output
/// window (an output as long as the input) and halts with 0.
///
/// The prover and machine are classes that re-run to a step; each test makes its own.
final class TruebitProgramRun {
    static let program = try! Assembler.assemble("""
        _start:
          li t2, 0x38000000
          sw a0, 0(t2)
          addi t2, t2, 4
          beqz a0, 2f
        1:
          lbu t3, 0(a1)
          sb t3, 0(t2)
          addi a1, a1, 1
          addi t2, t2, 1
          addi a0, a0, -1
          bnez a0, 1b
        2:
          li a0, 0
          li a7, 93
          ecall
        """).elf()
    /// 41 bytes: the output spans two leaves, and the run a few hundred steps (two bisection rounds).
    static let input = Array("Truebit on Ember: the output is the input".utf8)

    let prover: Prover
    let honest: TruebitRunResult

    init(input: [UInt8] = TruebitProgramRun.input) throws {
        let loaded = try ConsensusProgram(elf: Self.program).program
        prover = try Prover(program: loaded, input: input)
        let machine = try Machine(program: loaded, input: input)
        machine.run(untilStep: 1 << 22)
        honest = try TruebitRunResult(machine: machine)
    }

    /// A lying result: the true final state and output, with `extra` steps more than the run took.
    func lie(extraSteps extra: UInt64) -> TruebitRunResult {
        var result = honest
        result.finalState.step += extra
        return result
    }

    /// The hash a solver claiming `result` posts at step `index`: its claim at the end, the true run before.
    func claimed(_ index: UInt64, by result: TruebitRunResult) -> Hash32 {
        index == result.steps ? result.finalStateHash : prover.stateHash(afterSteps: index)
    }
}

extension TruebitChain {
    /// Plays the game at `game` down to a one-step range, each side answering in the next block: the solver
    /// posts the hashes of `claim` at the bisection points; the challenger reads them from the bisect
    /// transaction and names the first part whose right end differs from the true run (part 1 when none
    /// does). Returns the last game output and the number of rounds.
    mutating func play(game start: OutPoint, run: TruebitProgramRun, claim: TruebitRunResult) throws -> (game: OutPoint, rounds: Int) {
        var outpoint = start
        var rounds = 0
        while true {
            let game = try game(outpoint)
            guard let indices = Bisection.points(lo: game.lo, hi: game.hi) else { return (outpoint, rounds) }
            rounds += 1
            let points = indices.map { run.claimed($0, by: claim) }
            let bisect = try mine(transactions(Self.solver).bisect(game: output(outpoint), points: points, solverKey: Self.solver, in: context(Self.solver)))
            let posted = try TruebitTransactions.postedPoints(in: bisect, spending: outpoint)
            outpoint = OutPoint(txid: bisect.txid, index: 0)
            let ends = indices + [game.hi]
            let differing = Array(zip(ends, posted + [game.hiHash])).firstIndex { $0.1 != run.prover.stateHash(afterSteps: $0.0) }
            let choose = try mine(transactions(Self.challenger).choose(
                game: output(outpoint), points: posted, part: (differing ?? 0) + 1, challengerKey: Self.challenger, in: context(Self.challenger)))
            outpoint = OutPoint(txid: choose.txid, index: 0)
        }
    }

    /// A posted task solved with a lie of `extraSteps` more steps and challenged; all mined.
    mutating func challengedLie(
        run: TruebitProgramRun, extraSteps: UInt64
    ) throws -> (task: TruebitTransactions.PostedTask, solution: OutPoint, game: OutPoint) {
        let task = try post()
        let (_, solution) = try solve(task: task.outpoint, result: run.lie(extraSteps: extraSteps))
        return (task, solution, try challenge(solution))
    }

    /// The challenger opens a game against the solution at `solution`; mined. Returns the game's outpoint.
    mutating func challenge(_ solution: OutPoint) throws -> OutPoint {
        let built = try transactions(Self.challenger).challenge(solution: output(solution), challengerKey: Self.raw(Self.challenger), in: context(Self.challenger))
        return OutPoint(txid: try mine(built).txid, index: 0)
    }
}
