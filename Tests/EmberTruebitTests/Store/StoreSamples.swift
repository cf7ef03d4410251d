import EmberCore
import EmberCrypto
import EmberTruebit
import EmberVM
import Foundation

/// Values the store tests write and read back, and a temporary folder for each test's file.
struct StoreSamples {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("truebit-store-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("truebit.sqlite").path }

    func open(_ network: NetworkID = .devnet) throws -> TruebitStore { try TruebitStore(path: path, network: network) }
    func remove() { try? FileManager.default.removeItem(at: folder) }

    static func hash(_ byte: UInt8) -> Hash32 { Hash32([UInt8](repeating: byte, count: 32))! }
    static func key(_ byte: UInt8) -> RawPublicKey { RawPublicKey([UInt8](repeating: byte, count: 32))! }
    static func outpoint(_ byte: UInt8, _ index: UInt32 = 0) -> OutPoint { OutPoint(txid: hash(byte), index: index) }

    static let task = TruebitTaskLock(
        taskId: hash(1), giverKey: key(2), programHash: hash(3), inputHash: hash(4), initialState: hash(5), maxSteps: 1_000_000,
        solverDeposit: Amount(units: 2_000), challengerDeposit: Amount(units: 1_000), solveDeadline: 900, challengeWindow: 30, clock: 58)
    static let solutionLock = TruebitSolutionLock(
        solutionId: hash(6), task: task, solverKey: key(7), finalState: hash(8), steps: 123_456, outputHash: hash(9), deadline: 200)
    static let game = TruebitGameLock(
        solutionId: hash(6), solverKey: key(7), challengerKey: key(10), lo: 1_000, loHash: hash(11), hi: 1_017, hiHash: hash(12),
        pointsHash: Blake3.hash((1...15).flatMap { hash($0).bytes }), solverClock: 40, challengerClock: 51)
    static let points = (1...15).map { hash(UInt8($0)) }

    static let taskRecord = TruebitChainRecord(
        outpoint: outpoint(0x20, 1), output: Output(amount: Amount(units: 50_000), lock: .truebitTask(task)), height: 12, postTxid: hash(0x20))
    static let solutionRecord = TruebitChainRecord(
        outpoint: outpoint(0x21), output: Output(amount: Amount(units: 52_000), lock: .truebitSolution(solutionLock)), height: 15)
    static let gameRecord = TruebitChainRecord(
        outpoint: outpoint(0x22), output: Output(amount: Amount(units: 1_000), lock: .truebitGame(game)), height: 17, points: points,
        side: .challenger)
    static let spentGame = TruebitChainRecord(
        outpoint: outpoint(0x23), output: Output(amount: Amount(units: 1_000), lock: .truebitGame(game)), height: 16, side: .challenger,
        spend: .init(height: 17, txid: hash(0x22), mode: CovenantUnlock.TruebitMode.bisect.rawValue))

    static let finalState = MachineState(
        pc: 0x1_0040, registers: (0..<32).map { UInt32($0) * 0x0101_0101 }, memoryRoot: hash(0x30), step: 123_456, status: .halted, exitCode: 0)
    static let solution = SolverSolution(
        taskId: hash(1), taskOutpoint: outpoint(0x20, 1), salt: hash(0x31), finalState: finalState, output: [1, 2, 3, 4, 5],
        outputProof: [UInt8](repeating: 0xab, count: 27 + 32 * 26), commitTxid: hash(0x32), status: .committed, updatedHeight: 14)
}
