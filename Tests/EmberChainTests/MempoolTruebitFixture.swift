import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
@testable import EmberVM
import Testing

/// A devnet chain on the enshrined rules where a Truebit task is played through real blocks as far as a
/// test needs (post, commit, reveal, challenge, moves, the marker), with a mempool on top and builders for
/// the Truebit spends the pool's policy is about (docs/truebit.md, "Mempool policy for Truebit spends").
///
/// The task's program writes `words` 32-bit words as its output. A solution may lie about its step count:
/// the halted state with another step counter, which the challenger refutes on the halted fixed point.
struct MempoolTruebitFixture {
    static let giver = SigningKey.devnet(index: 1)
    static let solver = SigningKey.devnet(index: 2)
    static let challenger = SigningKey.devnet(index: 3)
    static let mallory = SigningKey.devnet(index: 4)
    static let reward = Amount(coins: 10)!
    static let solverDeposit = Amount(coins: 1)!
    static let challengerDeposit = Amount(units: 500_000_000_000_000_000)
    static let window: UInt32 = 4
    static let maxSteps: UInt64 = 1 << 17
    /// The devnet minimum for 2^17 steps: 2 + 4 · (r + 1) with r = 5.
    static let clock: UInt32 = 26
    static let input: [UInt8] = [1, 2, 3]
    static let salt = [UInt8](repeating: 0x5a, count: 32)

    /// One unit of the devnet's `minFeeRate` (10^10 units per weight unit) on this many thousand weight units.
    static func fee(_ thousands: UInt128) -> Amount { Amount(units: 10_000_000_000 * 1_000 * thousands) }

    /// The minimum fee of `weight` under the devnet's `minFeeRate` of 10^10 units per weight unit.
    static func minimumFee(weight: Int) -> Amount { Amount(units: 10_000_000_000 * UInt128(weight)) }

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
    static func payTo(_ key: SigningKey) -> Lock { .pubKeyHash(key.publicKey.publicKeyHash) }
    /// `pkh(k)` of docs/truebit.md: pays H(k).
    static func payTo(_ key: RawPublicKey) -> Lock { .pubKeyHash(Blake3.hash(key.bytes)) }

    /// A program that writes `words` words (each its countdown) at 0x3800_0004, their length before them.
    static func program(words: Int) -> [UInt8] {
        try! Assembler.assemble("""
            _start:
              li t0, 0x38000000
              li t1, \(4 * words)
              sw t1, 0(t0)
              li t2, \(words)
            1:
              addi t0, t0, 4
              sw t2, 0(t0)
              addi t2, t2, -1
              bnez t2, 1b
              li a0, 0
              li a7, 93
              ecall
            """).elf()
    }

    var chain: ChainBuilder
    var pool: MempoolState
    /// Each actor's plain coin (its latest change), which pays its deposits and fees.
    var coins: [RawPublicKey: OutPoint]
    let program: [UInt8]
    let run: Run
    private(set) var task: TruebitTaskLock?
    private(set) var taskOutpoint: OutPoint?
    private(set) var commitOutpoint: OutPoint?
    private(set) var solution: TruebitSolutionLock?
    private(set) var solutionOutpoint: OutPoint?
    private(set) var game: TruebitGameLock?
    private(set) var gameOutpoint: OutPoint?
    private(set) var markerOutpoint: OutPoint?

    init(words: Int = 1, params: ConsensusParams = ChainBuilder.fastParams()) throws {
        chain = ChainBuilder(params: params)
        program = Self.program(words: words)
        run = Run(program: program, input: Self.input)
        try chain.extend(by: 1)
        let genesis = chain
        coins = Dictionary(uniqueKeysWithValues: (1...4).map { (Self.raw(.devnet(index: $0)), genesis.seedOutPoint($0)) })
        pool = MempoolState(params: chain.params, tipHeight: chain.tip.header.height)
    }

    var params: ConsensusParams { chain.params }
    var dust: Amount { params.dust }
    var nextHeight: UInt64 { chain.tip.header.height + 1 }
    var pooled: Set<Hash32> { Set(pool.contents.map(\.txid)) }
    func weight(_ transaction: Transaction) -> Int { params.weight(of: transaction, size: transaction.digests.size) }

    // MARK: Transactions

    /// `covenant` inputs, then `payer`'s coin; `outputs`, then one dust output to `payer` for each element of
    /// `padding` with that many bytes of data, then `payer`'s change, less `fee` and `burnt`. Item
    /// `signItem.item` of covenant input `signItem.input` becomes `signItem.key`'s signature of the txid.
    func transaction(
        covenant: [(OutPoint, Unlock, [[UInt8]])] = [], payer: SigningKey, reads: [OutPoint] = [], outputs: [Output], blobs: [[UInt8]] = [],
        burnt: Amount = .zero, fee: Amount = fee(20), padding: [Int] = [], signItem: (input: Int, item: Int, key: SigningKey)? = nil
    ) -> Transaction {
        let view = MempoolTruebitView(pool: pool, chain: chain.utxos)
        let coin = coins[Self.raw(payer)]!
        let held = (covenant.map { view.amount(at: $0.0) } + [view.amount(at: coin)]).checkedSum()!
        let pads = padding.map { Output(amount: dust, lock: Self.payTo(payer), data: [UInt8](repeating: 0xee, count: $0)) }
        let paid = (outputs + pads).map(\.amount).checkedSum()!.adding(burnt)!.adding(fee)!
        var transaction = chain.covenantTransaction(
            covenant: covenant.map { ($0.0, $0.1, Witness(items: $0.2)) }, plain: [(coin, payer)], reads: reads,
            outputs: outputs + pads + [Output(amount: held.subtracting(paid)!, lock: Self.payTo(payer))], blobs: blobs)
        if let signItem {
            var items = transaction.witnesses[signItem.input].items
            items[signItem.item] = try! signItem.key.sign(txid: transaction.txid, network: params.networkID).bytes
            transaction.witnesses[signItem.input] = Witness(items: items)
        }
        return transaction
    }

    /// `build` with padding chosen so that the transaction weighs exactly `weight`: outputs of 200 bytes of
    /// data and a last one of 0 … 256 (an output's own bytes are fewer than 56, so every weight is reached).
    func weighing(_ weight: Int, _ build: ([Int]) -> Transaction) -> Transaction {
        let bare = build([])
        if self.weight(bare) == weight { return bare }
        // Each padding output weighs at most 258 + 56: start a little below the count that could be needed.
        var full = max(0, (weight - self.weight(bare)) / 320 - 1)
        while true {
            let shortest = self.weight(build(Array(repeating: 200, count: full) + [0]))
            if shortest > weight { break }
            let (lower, upper) = (max(0, weight - shortest - 2), min(256, weight - shortest + 1))
            for last in stride(from: lower, through: upper, by: 1) {
                let candidate = build(Array(repeating: 200, count: full) + [last])
                if self.weight(candidate) == weight { return candidate }
            }
            full += 1
        }
        Issue.record("no padding makes the transaction weigh \(weight)")
        return bare
    }

    /// The change output of `transaction` built by `transaction(…)`: its last output.
    static func change(of transaction: Transaction) -> OutPoint {
        OutPoint(txid: transaction.txid, index: UInt32(transaction.outputs.count - 1))
    }

    /// A payment spending the change of `parent` (owned by `key`) back to `key`, padded as `transaction` pads.
    func child(of parent: Transaction, key: SigningKey, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        var fixture = self
        fixture.coins[Self.raw(key)] = Self.change(of: parent)
        return fixture.transaction(payer: key, outputs: [], fee: fee, padding: padding)
    }

    /// Mines `transaction` in a block of its own, tells the pool, and keeps `payer`'s change as its coin.
    mutating func mine(_ transaction: Transaction, payer: SigningKey) throws {
        try mineBlock([transaction])
        coins[Self.raw(payer)] = Self.change(of: transaction)
    }

    /// Mines a block of `transactions` and tells the pool.
    mutating func mineBlock(_ transactions: [Transaction] = []) throws {
        let block = chain.makeBlock(transactions)
        try chain.append(block)
        pool.blockConnected(block, view: chain.utxos, nowMs: chain.nowMs)
    }

    /// Mines empty blocks until the next height is `height`.
    mutating func advance(toNextHeight height: UInt64) throws {
        while nextHeight < height { try mineBlock() }
    }

    // MARK: The pool

    @discardableResult
    mutating func add(_ transaction: Transaction) throws(MempoolRejection) -> MempoolAcceptance {
        try pool.add(transaction, view: chain.utxos, nowMs: chain.nowMs)
    }

    /// The rejection `add` throws, or nil (recorded as an issue) when it accepts.
    mutating func rejection(of transaction: Transaction, sourceLocation: SourceLocation = #_sourceLocation) -> MempoolRejection? {
        pool.rejection(of: transaction, view: chain.utxos, nowMs: chain.nowMs, sourceLocation: sourceLocation)
    }

    // MARK: The task's life

    /// A post of the task by the giver, with the program and `input` as blobs.
    func post(input: [UInt8] = input, fee: Amount = fee(20)) -> (Transaction, TruebitTaskLock) {
        let firstInput = coins[Self.raw(Self.giver)]!
        let initialState = input == Self.input ? run.stateHash(0) : Run(program: program, input: input).stateHash(0)
        let task = TruebitTaskLock(
            taskId: TruebitTaskLock.taskId(firstInput: firstInput, outputIndex: 0), giverKey: Self.raw(Self.giver),
            programHash: Blake3.hash(program), inputHash: Blake3.hash(input), initialState: initialState, maxSteps: Self.maxSteps,
            solverDeposit: Self.solverDeposit, challengerDeposit: Self.challengerDeposit, solveDeadline: nextHeight + 1_000,
            challengeWindow: Self.window, clock: Self.clock)
        let post = transaction(payer: Self.giver, outputs: [Output(amount: Self.reward, lock: .truebitTask(task))], blobs: [program, input], fee: fee)
        return (post, task)
    }

    /// Mines the post; its task becomes the fixture's.
    mutating func posted() throws {
        let (post, task) = post()
        try mine(post, payer: Self.giver)
        (self.task, taskOutpoint) = (task, OutPoint(txid: post.txid, index: 0))
    }

    /// The final state a solution claims: the true halted state, with `steps` as its step counter when given.
    func finalState(steps: UInt64? = nil) -> MachineState {
        var state = run.finalState
        if let steps { state.step = steps }
        return state
    }

    /// A commit of the posted task to `final` by `solver`, with the earliest revealBy for the next block.
    func commit(final: MachineState, by solver: SigningKey = solver, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        let commit = TruebitCommitLock(
            task: task!, solverKey: Self.raw(solver),
            commitment: TruebitCommitLock.commitment(
                solverKey: Self.raw(solver), finalState: final.hash, outputHash: Blake3.hash(run.output), steps: final.step,
                salt: Hash32(Self.salt)!),
            revealBy: nextHeight + UInt64(Self.window))
        return transaction(
            covenant: [(taskOutpoint!, Self.unlock(.commit), [])], payer: solver,
            outputs: [Output(amount: Self.reward.adding(Self.solverDeposit)!, lock: .truebitCommit(commit))], fee: fee, padding: padding)
    }

    /// The solution a reveal of `final` in the next block pins, with the earliest deadline.
    func solution(final: MachineState) -> TruebitSolutionLock {
        TruebitSolutionLock(
            solutionId: TruebitSolutionLock.solutionId(commit: commitOutpoint!), task: task!, solverKey: Self.raw(Self.solver),
            finalState: final.hash, steps: final.step, outputHash: Blake3.hash(run.output), deadline: nextHeight + UInt64(Self.window))
    }

    /// The reveal of `final` (committed to by the mined commit), signed by the solver.
    func reveal(final: MachineState, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        transaction(
            covenant: [(commitOutpoint!, Self.unlock(.reveal), [Self.salt, Run.fields(final), run.outputProof, [UInt8](repeating: 0, count: 64)])],
            payer: Self.solver, outputs: [Output(amount: Self.reward.adding(Self.solverDeposit)!, lock: .truebitSolution(solution(final: final)))],
            blobs: [run.output], fee: fee, padding: padding, signItem: (0, 3, Self.solver))
    }

    /// Mines a commit of the posted task to `final`.
    mutating func committed(final: MachineState) throws {
        let commit = commit(final: final)
        try mine(commit, payer: Self.solver)
        commitOutpoint = OutPoint(txid: commit.txid, index: 0)
    }

    /// Mines the reveal of `final`; its solution becomes the fixture's.
    mutating func revealed(final: MachineState) throws {
        let solution = solution(final: final)
        let reveal = reveal(final: final)
        try mine(reveal, payer: Self.solver)
        (self.solution, solutionOutpoint) = (solution, OutPoint(txid: reveal.txid, index: 0))
    }

    /// Posts, commits to and reveals `final`, all mined.
    mutating func solved(final: MachineState) throws {
        try posted()
        try committed(final: final)
        try revealed(final: final)
    }

    /// The game a challenge by `key` creates against the revealed solution.
    func freshGame(challenger key: SigningKey = challenger) -> TruebitGameLock {
        let solution = solution!
        return TruebitGameLock(
            solutionId: solution.solutionId, solverKey: solution.solverKey, challengerKey: Self.raw(key), lo: 0,
            loHash: solution.task.initialState, hi: solution.steps, hiHash: solution.finalState, pointsHash: .zero,
            solverClock: solution.task.clock, challengerClock: solution.task.clock)
    }

    /// A challenge of the revealed solution by `key`, paid from its coin.
    func challenge(by key: SigningKey = challenger, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        transaction(
            payer: key, reads: [solutionOutpoint!], outputs: [Output(amount: Self.challengerDeposit, lock: .truebitGame(freshGame(challenger: key)))],
            fee: fee, padding: padding)
    }

    /// Mines a challenge by the challenger; the game it creates is the fixture's.
    mutating func challenged() throws {
        let challenge = challenge()
        try mine(challenge, payer: Self.challenger)
        (game, gameOutpoint) = (freshGame(), OutPoint(txid: challenge.txid, index: 0))
    }

    /// The state hash the solver posts at `index`: true before its claimed end, its claim at the end.
    func claimed(_ index: UInt64) -> Hash32 { index == solution!.steps ? solution!.finalState : run.stateHash(index) }

    /// The solver's bisect of the fixture's game, writing `written` as its clock.
    func bisect(written: UInt32, payer: SigningKey = solver) -> (Transaction, TruebitGameLock) {
        let game = game!
        let points = Bisection.points(lo: game.lo, hi: game.hi)!.flatMap { claimed($0).bytes }
        var next = game
        next.pointsHash = Blake3.hash(points)
        next.solverClock = written
        let move = transaction(
            covenant: [(gameOutpoint!, Self.unlock(.bisect), [points, Self.moveSignature(Self.solver, outpoint: gameOutpoint!, game: next, params: params)])],
            payer: payer, outputs: [Output(amount: Self.challengerDeposit, lock: .truebitGame(next))])
        return (move, next)
    }

    /// The challenger's choice of part `j` of the posted points, spending the game at `outpoint`.
    func choose(_ j: UInt64, of game: TruebitGameLock, at outpoint: OutPoint, written: UInt32) -> (Transaction, TruebitGameLock) {
        let list = Bisection.points(lo: game.lo, hi: game.hi)!
        let part = Bisection.part(j, lo: game.lo, hi: game.hi)!
        var next = game
        (next.lo, next.loHash, next.hi, next.hiHash) = (part.lo, claimed(part.lo), part.hi, claimed(part.hi))
        next.pointsHash = .zero
        next.challengerClock = written
        let move = transaction(
            covenant: [(outpoint, Self.unlock(.choose), [list.flatMap { claimed($0).bytes }, [UInt8(j)], Self.moveSignature(Self.challenger, outpoint: outpoint, game: next, params: params)])],
            payer: Self.challenger, outputs: [Output(amount: Self.challengerDeposit, lock: .truebitGame(next))])
        return (move, next)
    }

    /// Makes `game` at `outpoint` the fixture's game (one a test created itself).
    mutating func setGame(_ game: TruebitGameLock, at outpoint: OutPoint) {
        (self.game, gameOutpoint) = (game, outpoint)
    }

    /// Mines `move`, whose pinned game becomes the fixture's.
    mutating func moved(_ move: (Transaction, TruebitGameLock), payer: SigningKey) throws {
        try mine(move.0, payer: payer)
        (game, gameOutpoint) = (move.1, OutPoint(txid: move.0.txid, index: 0))
    }

    /// The marker the fixture's game pins when the challenger wins it.
    var marker: Output {
        Output(amount: dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: game!.solutionId, challengerKey: game!.challengerKey)))
    }

    /// The one-step proof of the fixture's game (one step left), paid for by `payer`.
    func step(payer: SigningKey = challenger, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        transaction(
            covenant: [(gameOutpoint!, Self.unlock(.step), [run.proof(ofStep: game!.lo)])], payer: payer,
            outputs: [Output(amount: Self.challengerDeposit, lock: Self.payTo(game!.challengerKey)), marker], fee: fee, padding: padding)
    }

    /// Mines the step; its marker becomes the fixture's.
    mutating func stepped() throws {
        let step = step()
        try mine(step, payer: Self.challenger)
        markerOutpoint = OutPoint(txid: step.txid, index: 1)
    }

    /// The claim on the fixture's game with the solver to move: the challenger's deposit back and a marker.
    func claimAgainstSolver(at outpoint: OutPoint, game: TruebitGameLock) -> Transaction {
        let marker = Output(amount: dust, lock: .truebitRefuted(TruebitRefutedLock(solutionId: game.solutionId, challengerKey: game.challengerKey)))
        return transaction(
            covenant: [(outpoint, Self.unlock(.claimTimeout), [])], payer: Self.challenger,
            outputs: [Output(amount: Self.challengerDeposit, lock: Self.payTo(Self.challenger)), marker])
    }

    /// The claim on the fixture's game with the challenger to move: half its deposit to the solver, the rest burnt.
    func claimAgainstChallenger(payer: SigningKey = solver) -> Transaction {
        let half = Amount(units: Self.challengerDeposit.units / 2)
        return transaction(
            covenant: [(gameOutpoint!, Self.unlock(.claimTimeout), [])], payer: payer, outputs: [Output(amount: half, lock: Self.payTo(Self.solver))],
            burnt: Amount(units: Self.challengerDeposit.units - half.units))
    }

    /// The close of the refuted solution reading `marker`: the task back, half the solver's deposit to the giver.
    func close(payer: SigningKey, reading marker: OutPoint? = nil, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        let half = Amount(units: Self.solverDeposit.units / 2)
        return transaction(
            covenant: [(solutionOutpoint!, Self.unlock(.closeRefuted), [])], payer: payer, reads: [marker ?? markerOutpoint!],
            outputs: [Output(amount: Self.reward, lock: .truebitTask(task!)), Output(amount: half, lock: Self.payTo(Self.giver))],
            burnt: Amount(units: Self.solverDeposit.units - half.units), fee: fee, padding: padding)
    }

    /// The result a payout of the fixture's solution pins.
    var result: Output {
        Output(amount: dust, lock: .truebitResult(TruebitResultLock(taskId: task!.taskId, solutionId: solution!.solutionId, outputHash: solution!.outputHash)))
    }

    /// The payout of the fixture's solution: everything to the solver and a result of dust.
    func payout(payer: SigningKey, fee: Amount = fee(20), padding: [Int] = []) -> Transaction {
        transaction(
            covenant: [(solutionOutpoint!, Self.unlock(.payout), [])], payer: payer,
            outputs: [Output(amount: Self.reward.adding(Self.solverDeposit)!, lock: Self.payTo(Self.solver)), result], fee: fee, padding: padding)
    }

    /// The void of the result at `result`, reading the fixture's marker.
    func void(_ result: OutPoint, payer: SigningKey, padding: [Int] = []) -> Transaction {
        transaction(covenant: [(result, Self.unlock(.voidResult), [])], payer: payer, reads: [markerOutpoint!], outputs: [], padding: padding)
    }

    /// The sweep of the fixture's marker.
    func sweep(payer: SigningKey, padding: [Int] = []) -> Transaction {
        transaction(covenant: [(markerOutpoint!, Self.unlock(.sweep), [])], payer: payer, outputs: [], padding: padding)
    }

    /// The height from which the fixture's solution can be paid: deadline + 3 · clock.
    var payoutHeight: UInt64 { solution!.deadline + 3 * UInt64(Self.clock) }

    static func unlock(_ mode: CovenantUnlock.TruebitMode) -> Unlock { .truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: 0)) }

    /// The move signature: over the spent outpoint (an index below 128 is one varint byte) and the pinned body.
    static func moveSignature(_ key: SigningKey, outpoint: OutPoint, game: TruebitGameLock, params: ConsensusParams) -> [UInt8] {
        try! key.sign(domain: .truebitMove, network: params.networkID, message: outpoint.txid.bytes + [UInt8(outpoint.index)] + game.encoded).bytes
    }
}

extension MempoolTruebitFixture {
    /// The run of the fixture's program on EmberVM's machine: state hashes, step proofs, the output and its
    /// proof against the final memory root. Each fixture owns its own (the prover is a mutable class).
    final class Run {
        let prover: Prover
        let machine: Machine
        let finalState: MachineState
        let output: [UInt8]

        init(program: [UInt8], input: [UInt8]) {
            let loaded = try! ConsensusProgram(elf: program).program
            prover = try! Prover(program: loaded, input: input)
            machine = try! Machine(program: loaded, input: input)
            machine.run(untilStep: MempoolTruebitFixture.maxSteps)
            finalState = machine.state
            output = machine.output
        }

        func stateHash(_ step: UInt64) -> Hash32 { prover.stateHash(afterSteps: step) }

        func proof(ofStep step: UInt64) -> [UInt8] { prover.proof(ofStep: step).encoded() }

        /// docs/truebit.md, "The output proof": the memory after the output in its last leaf, then the nodes
        /// beside the covered leaves level by level, the left one first.
        var outputProof: [UInt8] {
            let end = 0x3800_0004 + output.count
            let (first, last) = (UInt32(0x3800_0000 / 32), UInt32((end - 1) / 32))
            var proof = Array(machine.memory.leafBytes(last)[(end - 32 * Int(last))...])
            let (leftPath, rightPath) = (machine.memory.siblings(ofLeaf: first), machine.memory.siblings(ofLeaf: last))
            for level in 0..<27 {
                if (first >> level) & 1 == 1 { proof += leftPath[level].bytes }
                if (last >> level) & 1 == 0 { proof += rightPath[level].bytes }
            }
            return proof
        }

        /// A state's 173 bytes of fields, big-endian, as a reveal carries them.
        static func fields(_ state: MachineState) -> [UInt8] {
            var writer = ByteWriter()
            writer.writeUInt32(state.pc)
            for index in 1..<32 { writer.writeUInt32(state.registers[index]) }
            writer.writeHash(state.memoryRoot)
            writer.writeUInt64(state.step)
            writer.writeUInt8(state.status.rawValue)
            writer.writeUInt32(state.exitCode)
            return writer.bytes
        }
    }
}

/// The amounts of the outputs a fixture transaction spends: the chain's, or a pool transaction's.
struct MempoolTruebitView {
    let pool: MempoolState
    let chain: InMemoryUTXOView

    func amount(at outpoint: OutPoint) -> Amount {
        if let output = chain.unspentOutput(at: outpoint) { return output.output.amount }
        return pool.entry(outpoint.txid)!.transaction.outputs[Int(outpoint.index)].amount
    }
}
