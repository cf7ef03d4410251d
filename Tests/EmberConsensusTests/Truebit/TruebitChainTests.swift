import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// Whole Truebit lives through real blocks (`ChainBuilder`, all four tiers): a task posted, solved and
/// paid; a lying solution challenged, bisected to one step, refuted by the one-step proof on layer 1 and
/// closed, the reward back in the task.
@Suite("Truebit through blocks")
struct TruebitChainTests {
    typealias F = TruebitFixture
    static let fee = Amount(units: 10_000_000_000_000_000)
    static let giver = SigningKey.devnet(index: 1)
    static let solver = SigningKey.devnet(index: 2)
    static let challenger = SigningKey.devnet(index: 3)
    static let window: UInt32 = 4
    static let clock: UInt32 = 30

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }

    struct Chain {
        var builder = ChainBuilder()
        /// Each actor's plain coin, paying deposits and fees: devnet seed accounts 1, 2 and 3 at first.
        var coins: [RawPublicKey: OutPoint]
        /// Transactions built for the next block, in order; their outputs may be spent by the next ones.
        var pending = [Transaction]()
        /// Whether `mine` only adds to the next block, which `mineBlock` mines: a whole sequence in one block.
        var batching = false

        init() {
            coins = [
                TruebitChainTests.raw(TruebitChainTests.giver): builder.seedOutPoint(1),
                TruebitChainTests.raw(TruebitChainTests.solver): builder.seedOutPoint(2),
                TruebitChainTests.raw(TruebitChainTests.challenger): builder.seedOutPoint(3),
            ]
        }

        var nextHeight: UInt64 { builder.tip.header.height + 1 }
        /// The height of the block that holds (or, batching, will hold) the transaction `mine` returned last.
        var includingHeight: UInt64 { batching ? nextHeight : builder.tip.header.height }

        /// The amount at `outpoint`: in the UTXO set, or an output of a pending transaction.
        func amount(at outpoint: OutPoint) -> Amount {
            if let unspent = builder.utxos.unspentOutput(at: outpoint) { return unspent.output.amount }
            return pending.first { $0.txid == outpoint.txid }!.outputs[Int(outpoint.index)].amount
        }

        /// Builds one transaction for the next block: `covenant` inputs, then `payer`'s coin; `outputs`, then
        /// `payer`'s change, which becomes its coin. Witness items may use `txid` (`signItem` replaces the
        /// placeholder of a txid signature).
        @discardableResult
        mutating func add(
            covenant: [(OutPoint, Unlock, [[UInt8]])] = [], payer: SigningKey, reads: [OutPoint] = [], outputs: [Output], blobs: [[UInt8]] = [],
            burnt: Amount = .zero, signItem: (input: Int, item: Int, key: SigningKey)? = nil
        ) throws -> Transaction {
            let coin = coins[TruebitChainTests.raw(payer)]!
            let held = (covenant.map { amount(at: $0.0) } + [amount(at: coin)]).checkedSum()!
            let paid = outputs.map(\.amount).checkedSum()!.adding(burnt)!.adding(TruebitChainTests.fee)!
            let change = Output(amount: held.subtracting(paid)!, lock: .pubKeyHash(payer.publicKey.publicKeyHash))
            var transaction = builder.covenantTransaction(
                covenant: covenant.map { ($0.0, $0.1, Witness(items: $0.2)) }, plain: [(coin, payer)], reads: reads, outputs: outputs + [change],
                blobs: blobs)
            if let signItem {
                var items = transaction.witnesses[signItem.input].items
                items[signItem.item] = try signItem.key.sign(txid: transaction.txid, network: builder.params.networkID).bytes
                transaction.witnesses[signItem.input] = Witness(items: items)
            }
            pending.append(transaction)
            coins[TruebitChainTests.raw(payer)] = OutPoint(txid: transaction.txid, index: UInt32(transaction.outputs.count - 1))
            return transaction
        }

        /// Mines the pending transactions in one block.
        mutating func mineBlock() throws {
            try builder.append(builder.makeBlock(pending))
            pending = []
        }

        /// Mines one transaction (as `add` builds it) in a block of its own, or only adds it when batching.
        @discardableResult
        mutating func mine(
            covenant: [(OutPoint, Unlock, [[UInt8]])] = [], payer: SigningKey, reads: [OutPoint] = [], outputs: [Output], blobs: [[UInt8]] = [],
            burnt: Amount = .zero, signItem: (input: Int, item: Int, key: SigningKey)? = nil
        ) throws -> Transaction {
            let transaction = try add(covenant: covenant, payer: payer, reads: reads, outputs: outputs, blobs: blobs, burnt: burnt, signItem: signItem)
            if !batching { try mineBlock() }
            return transaction
        }

        mutating func advance(toNextHeight height: UInt64) throws {
            while nextHeight < height { try builder.append(builder.makeBlock()) }
        }
    }

    /// Posts the fixture's program and input with the reward; returns the task and its outpoint.
    static func post(_ chain: inout Chain) throws -> (TruebitTaskLock, OutPoint) {
        try chain.builder.extend(by: 1)
        let firstInput = chain.builder.seedOutPoint(1)
        let task = TruebitTaskLock(
            taskId: F.taskId(firstInput: firstInput, output: 0), giverKey: raw(giver), programHash: Blake3.hash(F.program),
            inputHash: Blake3.hash(F.input), initialState: F.prover.stateHash(0), maxSteps: F.maxSteps, solverDeposit: F.solverDeposit,
            challengerDeposit: F.challengerDeposit, solveDeadline: chain.nextHeight + 500, challengeWindow: window, clock: clock)
        let transaction = try chain.mine(payer: giver, outputs: [Output(amount: F.reward, lock: .truebitTask(task))], blobs: [F.program, F.input])
        return (task, OutPoint(txid: transaction.txid, index: 0))
    }

    /// Commits to and reveals `final` (steps from its step counter); returns the solution and its outpoint.
    static func solve(_ chain: inout Chain, task: TruebitTaskLock, at taskOutpoint: OutPoint, final: MachineState) throws -> (TruebitSolutionLock, OutPoint) {
        let outputHash = Blake3.hash(F.prover.output)
        let finalHash = final.hash
        let commit = TruebitCommitLock(
            task: task, solverKey: raw(solver),
            commitment: F.commitment(solver: raw(solver), finalState: finalHash, outputHash: outputHash, steps: final.step, salt: F.salt),
            revealBy: chain.nextHeight + UInt64(window) + 2)
        let committed = try chain.mine(
            covenant: [(taskOutpoint, F.unlock(.commit), [])], payer: solver,
            outputs: [Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitCommit(commit))])
        let commitOutpoint = OutPoint(txid: committed.txid, index: 0)
        let solution = TruebitSolutionLock(
            solutionId: F.solutionId(commit: commitOutpoint), task: task, solverKey: raw(solver), finalState: finalHash, steps: final.step,
            outputHash: outputHash, deadline: chain.nextHeight + UInt64(window) + 2)
        let revealed = try chain.mine(
            covenant: [(commitOutpoint, F.unlock(.reveal), [F.salt, TruebitRun.fields(final), F.prover.outputProof, [UInt8](repeating: 0, count: 64)])],
            payer: solver, outputs: [Output(amount: F.reward.adding(F.solverDeposit)!, lock: .truebitSolution(solution))], blobs: [F.prover.output],
            signItem: (0, 3, solver))
        return (solution, OutPoint(txid: revealed.txid, index: 0))
    }

    @Test("an honest task: post, commit, reveal, and the payout from deadline + 3·clock pays the solver and pins the result")
    func honestTaskIsPaid() throws {
        var chain = Chain()
        let (task, taskOutpoint) = try Self.post(&chain)
        let (solution, solutionOutpoint) = try Self.solve(&chain, task: task, at: taskOutpoint, final: F.prover.finalState)
        try chain.advance(toNextHeight: solution.deadline + 3 * UInt64(Self.clock))
        let result = TruebitResultLock(taskId: task.taskId, solutionId: solution.solutionId, outputHash: Blake3.hash(F.prover.output))
        let payout = try chain.mine(
            covenant: [(solutionOutpoint, F.unlock(.payout), [])], payer: Self.solver,
            outputs: [Output(amount: F.reward.adding(F.solverDeposit)!, lock: .pubKeyHash(Self.solver.publicKey.publicKeyHash)),
                      Output(amount: chain.builder.params.dust, lock: .truebitResult(result))])
        #expect(chain.builder.utxos.unspentOutput(at: OutPoint(txid: payout.txid, index: 1))?.output.lock == .truebitResult(result))
    }

    /// Challenges `solution`, a lie about where the run ends, plays the game to the one-step proof on layer 1
    /// and closes the solution, each transaction mined as `chain.batching` says (every move writing the clock
    /// it has left); returns the close and the rounds played.
    static func refute(_ chain: inout Chain, task: TruebitTaskLock, solution: TruebitSolutionLock, at solutionOutpoint: OutPoint) throws
        -> (close: Transaction, rounds: Int)
    {
        // Challenge.
        var game = TruebitGameLock(
            solutionId: solution.solutionId, solverKey: Self.raw(Self.solver), challengerKey: Self.raw(Self.challenger), lo: 0, loHash: task.initialState,
            hi: solution.steps, hiHash: solution.finalState, pointsHash: .zero, solverClock: Self.clock, challengerClock: Self.clock)
        let challenge = try chain.mine(
            payer: Self.challenger, reads: [solutionOutpoint], outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(game))])
        var gameOutpoint = OutPoint(txid: challenge.txid, index: 0)
        var created = chain.includingHeight
        var rounds = 0
        // The solver's hashes: true before its claimed end, its claim at the end.
        func claimed(_ index: UInt64) -> Hash32 { index == solution.steps ? solution.finalState : F.prover.stateHash(index) }
        while game.hi - game.lo > 1 {
            rounds += 1
            let list = Bisection.points(lo: game.lo, hi: game.hi)!
            let (points, bisected) = F.bisected(game, claimed: claimed, solverClock: game.solverClock - UInt32(chain.nextHeight - created))
            let bisect = try chain.mine(
                covenant: [(gameOutpoint, F.unlock(.bisect), [points, F.moveSignature(Self.solver, outpoint: gameOutpoint, game: bisected, network: chain.builder.params.networkID)])],
                payer: Self.solver, outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(bisected))])
            (game, gameOutpoint, created) = (bisected, OutPoint(txid: bisect.txid, index: 0), chain.includingHeight)
            // The challenger names the first part whose right end differs from its own run.
            let ends = list + [game.hi]
            let j = UInt64(ends.firstIndex { claimed($0) != F.prover.stateHash($0) }! + 1)
            let next = F.chosen(game, part: j, claimed: claimed, challengerClock: game.challengerClock - UInt32(chain.nextHeight - created))
            let choose = try chain.mine(
                covenant: [(gameOutpoint, F.unlock(.choose), [points, [UInt8(j)], F.moveSignature(Self.challenger, outpoint: gameOutpoint, game: next, network: chain.builder.params.networkID)])],
                payer: Self.challenger, outputs: [Output(amount: F.challengerDeposit, lock: .truebitGame(next))])
            (game, gameOutpoint, created) = (next, OutPoint(txid: choose.txid, index: 0), chain.includingHeight)
        }
        // The one-step check on layer 1 decides: the challenger's deposit back, a marker of dust.
        let marker = Output(amount: chain.builder.params.dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: solution.solutionId, challengerKey: Self.raw(Self.challenger))))
        let step = try chain.mine(
            covenant: [(gameOutpoint, F.unlock(.step), [F.prover.proof(ofStep: game.lo)])], payer: Self.challenger,
            outputs: [Output(amount: F.challengerDeposit, lock: .pubKeyHash(Self.challenger.publicKey.publicKeyHash)), marker])
        let markerOutpoint = OutPoint(txid: step.txid, index: 1)
        // The close: the reward back in the task (same taskId), half the solver's deposit to the giver.
        let half = Amount(units: F.solverDeposit.units / 2)
        let close = try chain.mine(
            covenant: [(solutionOutpoint, F.unlock(.closeRefuted), [])], payer: Self.challenger, reads: [markerOutpoint],
            outputs: [Output(amount: F.reward, lock: .truebitTask(task)), Output(amount: half, lock: .pubKeyHash(Self.giver.publicKey.publicKeyHash))],
            burnt: Amount(units: F.solverDeposit.units - half.units))
        return (close, rounds)
    }

    /// Posts the task and commits to and reveals a lie: the true halted state claimed 5 steps later.
    static func lying(_ chain: inout Chain) throws -> (TruebitTaskLock, TruebitSolutionLock, OutPoint) {
        let (task, taskOutpoint) = try post(&chain)
        var lie = F.prover.finalState
        lie.step += 5
        let (solution, solutionOutpoint) = try solve(&chain, task: task, at: taskOutpoint, final: lie)
        return (task, solution, solutionOutpoint)
    }

    @Test("a lying solution is challenged, bisected to one step, refuted on layer 1 and closed: the task comes back")
    func liarIsRefutedThroughBlocks() throws {
        var chain = Chain()
        let (task, solution, solutionOutpoint) = try Self.lying(&chain)
        let (close, rounds) = try Self.refute(&chain, task: task, solution: solution, at: solutionOutpoint)
        #expect(rounds == Bisection.maxRounds(steps: solution.steps))
        #expect(chain.builder.utxos.unspentOutput(at: OutPoint(txid: close.txid, index: 0))?.output.lock == .truebitTask(task))
        #expect(chain.builder.utxos.unspentOutput(at: solutionOutpoint) == nil)
    }
}
