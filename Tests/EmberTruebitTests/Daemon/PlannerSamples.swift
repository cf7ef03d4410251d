import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberTruebit
import EmberVM

/// Chain records and solutions the planner tests arrange by hand: one task, the daemon's solution to it,
/// its commit, solution and games, with heights chosen so each case sits on one side of a boundary.
enum PlannerSamples {
    static let layer2 = ChainBuilder.fastParams().layer2
    static let solverKey = StoreSamples.key(0x51)
    static let challengerKey = StoreSamples.key(0x52)
    static let otherKey = StoreSamples.key(0x53)

    static func hash(_ byte: UInt8) -> Hash32 { StoreSamples.hash(byte) }
    static func outpoint(_ byte: UInt8, _ index: UInt32 = 0) -> OutPoint { StoreSamples.outpoint(byte, index) }

    static let task = TruebitTaskLock(
        taskId: hash(1), giverKey: StoreSamples.key(2), programHash: hash(3), inputHash: hash(4), initialState: hash(5), maxSteps: 1 << 20,
        solverDeposit: Amount(units: 2_000), challengerDeposit: Amount(units: 1_000), solveDeadline: 500, challengeWindow: 30, clock: 50)
    static let taskRecord = TruebitChainRecord(outpoint: outpoint(0x60, 1), output: Output(amount: Amount(units: 10_000), lock: .truebitTask(task)), height: 100, postTxid: hash(0x60))

    static let finalState = MachineState(pc: 0x1_0000, registers: [UInt32](repeating: 7, count: 32), memoryRoot: hash(0x61), step: 5_000, status: .halted, exitCode: 0)
    static let solution = SolverSolution(
        taskId: task.taskId, taskOutpoint: taskRecord.outpoint, salt: hash(0x62), finalState: finalState, output: [1, 2, 3], outputProof: [],
        commitTxid: hash(0x63), status: .committing, updatedHeight: 101)

    /// The commit of `solution` (by its commitment), created at `height` in a transaction with txid `txid`.
    static func commit(height: UInt64 = 110, txid: Hash32 = hash(0x63), revealBy: UInt64 = 150, spend: TruebitChainRecord.Spend? = nil) -> TruebitChainRecord {
        let lock = TruebitCommitLock(
            task: task, solverKey: solverKey, commitment: TruebitSolverPlanner.commitment(of: solution, solverKey: solverKey), revealBy: revealBy)
        return TruebitChainRecord(
            outpoint: OutPoint(txid: txid, index: 0), output: Output(amount: Amount(units: 12_000), lock: .truebitCommit(lock)), height: height, spend: spend)
    }

    static let commitOutpoint = OutPoint(txid: hash(0x63), index: 0)
    static let solutionId = TruebitSolutionLock.solutionId(commit: commitOutpoint)
    static let solutionLock = TruebitSolutionLock(
        solutionId: solutionId, task: task, solverKey: solverKey, finalState: finalState.hash, steps: finalState.step, outputHash: Blake3.hash([1, 2, 3]),
        deadline: 160)

    static func solutionRecord(_ lock: TruebitSolutionLock = solutionLock, height: UInt64 = 120, spend: TruebitChainRecord.Spend? = nil) -> TruebitChainRecord {
        TruebitChainRecord(outpoint: outpoint(0x64), output: Output(amount: Amount(units: 12_000), lock: .truebitSolution(lock)), height: height, spend: spend)
    }

    static func spend(_ mode: CovenantUnlock.TruebitMode, height: UInt64 = 130, txid: Hash32 = hash(0x65)) -> TruebitChainRecord.Spend {
        .init(height: height, txid: txid, mode: mode.rawValue)
    }

    /// A game against `solutionLock` over [lo, hi], created at `height`.
    static func game(
        lo: UInt64, hi: UInt64, points: [Hash32]? = nil, height: UInt64 = 130, solverClock: UInt32 = 40, challengerClock: UInt32 = 40,
        side: TruebitChainRecord.GameSide?, challenger: RawPublicKey = challengerKey, at byte: UInt8 = 0x66
    ) -> TruebitChainRecord {
        let lock = TruebitGameLock(
            solutionId: solutionId, solverKey: solverKey, challengerKey: challenger, lo: lo, loHash: hash(0x67), hi: hi, hiHash: hash(0x68),
            pointsHash: points.map { Blake3.hash($0.flatMap(\.bytes)) } ?? .zero, solverClock: solverClock, challengerClock: challengerClock)
        return TruebitChainRecord(
            outpoint: outpoint(byte), output: Output(amount: Amount(units: 1_000), lock: .truebitGame(lock)), height: height, points: points, side: side)
    }

    static func solverView(
        nextHeight: UInt64, tasks: [TruebitChainRecord] = [], records: [TruebitChainRecord] = [], solutions: [SolverSolution] = [],
        refused: Set<Hash32> = []
    ) -> TruebitSolverPlanner.View {
        TruebitSolverPlanner.View(
            nextHeight: nextHeight, layer2: layer2, solverKey: solverKey, openTasks: tasks, records: records, solutions: solutions, refusedTasks: refused)
    }

    static func with(_ solution: SolverSolution = solution, status: SolverSolution.Status) -> SolverSolution {
        var changed = solution
        changed.status = status
        return changed
    }
}
