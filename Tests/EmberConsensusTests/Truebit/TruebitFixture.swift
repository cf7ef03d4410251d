import Foundation
@testable import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
@testable import EmberVM

/// A Truebit task on devnet parameters, held as a UTXO view, with the true run of its program: tests build
/// one spend at a time and check it with the covenant framework itself (`checkCovenants`), so pins, burns,
/// used reads and blobs are all enforced. Expected values (ids, commitments, state hashes, proofs) are
/// computed here from their definitions in docs/truebit.md, not by the rules.
struct TruebitFixture {
    static let params = ChainBuilder.fastParams()
    static var network: NetworkID { params.networkID }
    static let giver = SigningKey.devnet(index: 30)
    static let solver = SigningKey.devnet(index: 31)
    static let challenger = SigningKey.devnet(index: 32)
    static let mallory = SigningKey.devnet(index: 33)
    static var dust: Amount { params.dust }
    static let reward = Amount(coins: 10)!
    static let solverDeposit = Amount(coins: 1)!
    static let challengerDeposit = Amount(units: 500_000_000_000_000_000)
    static let window: UInt32 = 4
    static let maxSteps: UInt64 = 1_000
    static let clock: UInt32 = 30
    static let solveDeadline: UInt64 = 500

    /// Sums 10 + 9 + … + 1 plus the input's length and writes the sum as a 4-byte output; halts with 0.
    static let program = try! Assembler.assemble("""
        _start:
          mv t0, a0
          li t1, 10
        1:
          add t0, t0, t1
          addi t1, t1, -1
          bnez t1, 1b
          li t2, 0x38000000
          li t3, 4
          sw t3, 0(t2)
          sw t0, 4(t2)
          li a0, 0
          li a7, 93
          ecall
        """).elf()
    static let input: [UInt8] = [7, 7, 7]
    static let loaded = try! ConsensusProgram(elf: program).program
    static let prover = TruebitRun()

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
    static func pkh(_ key: SigningKey) -> Lock { .pubKeyHash(Blake3.hash(key.publicKey.bytes)) }
    static func outpoint(_ byte: UInt8, _ index: UInt32 = 0) -> OutPoint {
        OutPoint(txid: Hash32([UInt8](repeating: byte, count: 32))!, index: index)
    }
    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
    static func u32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    /// `H("ember/truebit-task/v1" ‖ txid ‖ varint index ‖ varint output)`, for indices below 128.
    static func taskId(firstInput: OutPoint, output: UInt8) -> Hash32 {
        Blake3.hash(Array("ember/truebit-task/v1".utf8) + firstInput.txid.bytes + [UInt8(firstInput.index)] + [output])
    }

    /// `H("ember/truebit-solution/v1" ‖ txid ‖ varint index)`, for an index below 128.
    static func solutionId(commit: OutPoint) -> Hash32 {
        Blake3.hash(Array("ember/truebit-solution/v1".utf8) + commit.txid.bytes + [UInt8(commit.index)])
    }

    static func commitment(solver: RawPublicKey = raw(solver), finalState: Hash32, outputHash: Hash32, steps: UInt64, salt: [UInt8]) -> Hash32 {
        Blake3.hash(solver.bytes + finalState.bytes + outputHash.bytes + u64(steps) + salt)
    }

    static let postInput = outpoint(0x70)
    static let task = TruebitTaskLock(
        taskId: taskId(firstInput: postInput, output: 0), giverKey: raw(giver), programHash: Blake3.hash(program),
        inputHash: Blake3.hash(input), initialState: prover.stateHash(0), maxSteps: maxSteps, solverDeposit: solverDeposit,
        challengerDeposit: challengerDeposit, solveDeadline: solveDeadline, challengeWindow: window, clock: clock)

    static let salt = [UInt8](repeating: 0x5a, count: 32)
    static let commitOutpoint = outpoint(0x71)
    static let solutionOutpoint = outpoint(0x72)
    static let gameOutpoint = outpoint(0x73)
    static let taskOutpoint = outpoint(0x74)
    static let commitHeight: UInt64 = 100
    static let revealBy: UInt64 = commitHeight + 6
    static let revealHeight: UInt64 = 103
    static let deadline: UInt64 = revealHeight + 6
    static let gameHeight: UInt64 = 105

    /// The honest solution: the true final state, steps and output.
    static var honest: TruebitSolutionLock { solution(finalState: prover.finalHash, steps: prover.steps) }

    static func solution(finalState: Hash32, steps: UInt64, solver: SigningKey = solver) -> TruebitSolutionLock {
        TruebitSolutionLock(
            solutionId: solutionId(commit: commitOutpoint), task: task, solverKey: raw(solver), finalState: finalState, steps: steps,
            outputHash: Blake3.hash(prover.output), deadline: deadline)
    }

    static func commit(finalState: Hash32 = prover.finalHash, steps: UInt64 = prover.steps, solver: SigningKey = solver) -> TruebitCommitLock {
        TruebitCommitLock(
            task: task, solverKey: raw(solver),
            commitment: commitment(solver: raw(solver), finalState: finalState, outputHash: Blake3.hash(prover.output), steps: steps, salt: salt),
            revealBy: revealBy)
    }

    /// A fresh game against `solution`, as a challenge creates it.
    static func game(_ solution: TruebitSolutionLock, challenger: SigningKey = challenger) -> TruebitGameLock {
        TruebitGameLock(
            solutionId: solution.solutionId, solverKey: solution.solverKey, challengerKey: raw(challenger), lo: 0,
            loHash: solution.task.initialState, hi: solution.steps, hiHash: solution.finalState, pointsHash: .zero,
            solverClock: solution.task.clock, challengerClock: solution.task.clock)
    }

    /// A bisect of `game` by a solver whose state hashes are `claimed`, writing `solverClock`: the points item
    /// (the hashes at the bisection points) and the game it pins.
    static func bisected(_ game: TruebitGameLock, claimed: (UInt64) -> Hash32, solverClock: UInt32) -> (points: [UInt8], next: TruebitGameLock) {
        let points = Bisection.points(lo: game.lo, hi: game.hi)!.flatMap { claimed($0).bytes }
        var next = game
        (next.pointsHash, next.solverClock) = (Blake3.hash(points), solverClock)
        return (points, next)
    }

    /// The choice of part `j` of `game`'s posted points (the solver's hashes `claimed`), writing
    /// `challengerClock`: the game it pins.
    static func chosen(_ game: TruebitGameLock, part j: UInt64, claimed: (UInt64) -> Hash32, challengerClock: UInt32) -> TruebitGameLock {
        let part = Bisection.part(j, lo: game.lo, hi: game.hi)!
        var next = game
        (next.lo, next.loHash, next.hi, next.hiHash) = (part.lo, claimed(part.lo), part.hi, claimed(part.hi))
        (next.pointsHash, next.challengerClock) = (.zero, challengerClock)
        return next
    }

    var utxos = [OutPoint: UnspentOutput]()
    /// The parameters spends are checked under: `params`, or the same with a test's own rules.
    var consensus = TruebitFixture.params

    init() {
        put(Output(amount: Self.reward, lock: .truebitTask(Self.task)), at: Self.taskOutpoint, height: 90)
        put(Output(amount: Self.reward.adding(Self.solverDeposit)!, lock: .truebitCommit(Self.commit())), at: Self.commitOutpoint, height: Self.commitHeight)
    }

    mutating func put(_ output: Output, at outpoint: OutPoint, height: UInt64 = 20) {
        utxos[outpoint] = UnspentOutput(output: output, height: height, isCoinbase: false)
    }

    /// Puts a solution (the honest one unless given) and returns it.
    @discardableResult
    mutating func putSolution(_ solution: TruebitSolutionLock = honest) -> TruebitSolutionLock {
        put(Output(amount: Self.reward.adding(Self.solverDeposit)!, lock: .truebitSolution(solution)), at: Self.solutionOutpoint, height: Self.revealHeight)
        return solution
    }

    mutating func putGame(_ game: TruebitGameLock, at outpoint: OutPoint = gameOutpoint, height: UInt64 = gameHeight) {
        put(Output(amount: Self.challengerDeposit, lock: .truebitGame(game)), at: outpoint, height: height)
    }

    // MARK: Spends

    static func unlock(_ mode: CovenantUnlock.TruebitMode, firstOutput: UInt64 = 0) -> Unlock {
        .truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput))
    }

    /// A transaction spending `inputs` (outpoint, mode, witness items), reading `reads`, paying `outputs`.
    static func transaction(
        _ inputs: [(OutPoint, Unlock, [[UInt8]])], reads: [OutPoint] = [], outputs: [Output], blobs: [[UInt8]] = []
    ) -> Transaction {
        Transaction(
            version: Transaction.version2, inputs: inputs.map { Input(outpoint: $0.0, unlock: $0.1) }, reads: reads, outputs: outputs,
            blobs: blobs, witnesses: inputs.map { Witness(items: $0.2) })
    }

    /// Replaces witness item `item` of input `input` with `key`'s signature of the txid.
    static func signed(_ transaction: Transaction, input: Int = 0, item: Int, by key: SigningKey) -> Transaction {
        var signed = transaction
        var items = signed.witnesses[input].items
        items[item] = try! key.sign(txid: transaction.txid, network: network).bytes
        signed.witnesses[input] = Witness(items: items)
        return signed
    }

    /// The move message of docs/truebit.md: the outpoint (index below 128) then the 216-byte body.
    static func moveSignature(_ key: SigningKey, outpoint: OutPoint, game: TruebitGameLock, network: NetworkID = network) -> [UInt8] {
        let body = game.encoded
        precondition(body.count == 216)
        return try! key.sign(domain: .truebitMove, network: network, message: outpoint.txid.bytes + [UInt8(outpoint.index)] + body).bytes
    }

    /// The framework's verdict at including height `height`.
    func check(_ transaction: Transaction, height: UInt64) throws(CovenantRejection) -> (burnt: Amount, heights: ValidHeights) {
        var spent = [UnspentOutput]()
        for input in transaction.inputs {
            guard let output = utxos[input.outpoint] else { throw .missingRead(input.outpoint) }
            spent.append(output)
        }
        var reads = [UnspentOutput]()
        for read in transaction.reads {
            guard let output = utxos[read] else { throw .missingRead(read) }
            reads.append(output)
        }
        return try consensus.checkCovenants(transaction, txid: transaction.txid, spent: spent, reads: reads, height: height, blockTimestamp: 0)
    }

    func rejection(_ transaction: Transaction, height: UInt64) -> CovenantRejection? {
        do {
            _ = try check(transaction, height: height)
            return nil
        } catch {
            return error
        }
    }

    /// The rule a rejection names (`ruleBroken`), "height" for a height failure, "deadline" for a chosen
    /// deadline out of range, or the rejection's description otherwise; nil when accepted.
    func broken(_ transaction: Transaction, height: UInt64) -> String? {
        switch rejection(transaction, height: height) {
        case nil: nil
        case .ruleBroken(_, let rule, _): rule
        case .notAtThisHeight: "height"
        case .deadlineOutOfRange: "deadline"
        case .clockExpired: "clockExpired"
        case .clockTooLarge: "clockTooLarge"
        case .pinnedOutputDiffers: "pinnedOutputDiffers"
        case let other?: other.description
        }
    }

    func heights(_ transaction: Transaction, height: UInt64) -> ValidHeights? {
        try? check(transaction, height: height).heights
    }
}

/// The true run of the fixture's program, from EmberVM's machine: state hashes at any step, step proofs,
/// the output and its proof against the final memory root.
///
/// The prover and the machine are mutable classes (the prover re-runs the machine to a step) that
/// tests running in parallel share, so every use goes through `lock`.
final class TruebitRun: @unchecked Sendable {
    private let lock = NSLock()
    let prover: Prover
    let machine: Machine
    let steps: UInt64
    let finalState: MachineState
    let output: [UInt8]

    init(program: [UInt8] = TruebitFixture.program, input: [UInt8] = TruebitFixture.input) {
        let loaded = try! ConsensusProgram(elf: program).program
        prover = try! Prover(program: loaded, input: input)
        machine = try! Machine(program: loaded, input: input)
        machine.run(untilStep: 1 << 20)
        steps = machine.step
        finalState = machine.state
        output = machine.output
    }

    var finalHash: Hash32 { finalState.hash }

    func stateHash(_ step: UInt64) -> Hash32 { lock.withLock { prover.stateHash(afterSteps: step) } }

    func proof(ofStep step: UInt64) -> [UInt8] { lock.withLock { prover.proof(ofStep: step).encoded() } }

    /// `tail ‖ siblings` for the output in the final memory, built from EmberVM's tree.
    var outputProof: [UInt8] {
        lock.withLock { unlockedOutputProof }
    }

    private var unlockedOutputProof: [UInt8] {
        let length = output.count
        let first = UInt32(0x3800_0000 >> 5)
        let last = UInt32((0x3800_0003 + length) >> 5)
        let tailStart = (0x3800_0004 + length) - Int(last) * 32
        var proof = Array(machine.memory.leafBytes(last)[tailStart...])
        let left = machine.memory.siblings(ofLeaf: first)
        let right = machine.memory.siblings(ofLeaf: last)
        var (lo, hi) = (first, last)
        for level in 0..<27 {
            if lo & 1 == 1 { proof += left[level].bytes }
            if hi & 1 == 0 { proof += right[level].bytes }
            lo >>= 1
            hi >>= 1
        }
        return proof
    }

    /// The 173 bytes of a state's fields, big-endian.
    static func fields(_ state: MachineState) -> [UInt8] {
        var bytes = TruebitFixture.u32(state.pc)
        for index in 1..<32 { bytes += TruebitFixture.u32(state.registers[index]) }
        bytes += state.memoryRoot.bytes + TruebitFixture.u64(state.step) + [state.status.rawValue] + TruebitFixture.u32(state.exitCode)
        return bytes
    }
}
