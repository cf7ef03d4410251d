import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberTruebit
import EmberVM
import Testing

/// The pure helpers a daemon uses beside the builders: the clock a move writes, the chosen deadline, the
/// points read from a bisect, and the output proof made from a machine's memory.
@Suite("Truebit transactions: helpers")
struct TruebitTransactionsHelperTests {
    @Test("a move writes c − (t + 1 − createdHeight) − 3, at least 1, and nothing once the clock has run out", arguments: [
        // docs/truebit.md's worked example: clock 58, game created at 1 012, the bisect built at tip 1 012.
        (clock: UInt32(58), created: UInt64(1_012), next: UInt64(1_013), written: UInt32?(54)),
        (clock: 54, created: 1_013, next: 1_014, written: 50),
        (clock: 30, created: 100, next: 100, written: 27),
        (clock: 30, created: 100, next: 126, written: 1),
        (clock: 30, created: 100, next: 129, written: 1),
        (clock: 30, created: 100, next: 130, written: nil),
        (clock: 0, created: 100, next: 100, written: nil),
    ])
    func clockAfterMove(clock: UInt32, created: UInt64, next: UInt64, written: UInt32?) {
        #expect(TruebitTransactions.clockAfterMove(clock: clock, createdHeight: created, nextHeight: next) == written)
    }

    @Test("the chosen deadline is (t + 1) + W + ⌊W/2⌋ and never wraps")
    func chosenDeadline() {
        // The worked example: a commit built at tip 1 001 for W = 30 writes revealBy 1 047.
        #expect(TruebitTransactions.chosenDeadline(nextHeight: 1_002, window: 30) == 1_047)
        #expect(TruebitTransactions.chosenDeadline(nextHeight: 10, window: 5) == 17)
        #expect(TruebitTransactions.chosenDeadline(nextHeight: .max - 3, window: 4) == .max)
    }

    @Test("points are read from a bisect's witness as whole hashes, at most 15; anything else is refused")
    func postedPoints() throws {
        let game = OutPoint(txid: Blake3.hash([1]), index: 2)
        let hashes = (0..<3).map { Blake3.hash([UInt8($0)]) }
        func bisect(_ item: [UInt8], mode: CovenantUnlock.TruebitMode = .bisect, spending outpoint: OutPoint = game) -> Transaction {
            Transaction(
                version: Transaction.version2, inputs: [Input(outpoint: outpoint, unlock: .truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: 0)))],
                reads: [], outputs: [], blobs: [], witnesses: [Witness(items: [item, [UInt8](repeating: 0, count: 64)])])
        }
        #expect(try TruebitTransactions.postedPoints(in: bisect(hashes.flatMap(\.bytes)), spending: game) == hashes)
        let refused: [Transaction] = [
            bisect(hashes.flatMap(\.bytes) + [0]),
            bisect([]),
            bisect([UInt8](repeating: 1, count: 32 * 16)),
            bisect(hashes.flatMap(\.bytes), mode: .choose),
            bisect(hashes.flatMap(\.bytes), spending: OutPoint(txid: game.txid, index: 3)),
        ]
        for transaction in refused {
            #expect(throws: TruebitTransactionError.self) { try TruebitTransactions.postedPoints(in: transaction, spending: game) }
        }
    }

    @Test("the output proof made from the final memory folds, under the consensus rule, to the final memory root", arguments: [0, 1, 27, 28, 29, 60, 61, 1_000, 4_096, 65_536])
    func outputProofFoldsToTheRoot(length: Int) throws {
        var generator = SeededGenerator(seed: UInt64(length))
        let input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let machine = try Machine(program: try ConsensusProgram(elf: TruebitProgramRun.program).program, input: input)
        machine.run(untilStep: 1 << 22)
        #expect(machine.status == .halted)
        let result = try TruebitRunResult(machine: machine)
        #expect(result.output == input)
        #expect(result.outputProof.count == TruebitOutputProof.proofLength(outputLength: length))
        #expect(TruebitOutputProof.root(proof: result.outputProof, output: input) == machine.state.memoryRoot)
        // A changed byte of the output or of the proof folds elsewhere.
        if length > 0 {
            var other = input
            other[length / 2] ^= 1
            #expect(TruebitOutputProof.root(proof: result.outputProof, output: other) != machine.state.memoryRoot)
        }
        var proof = result.outputProof
        proof[proof.count - 1] ^= 1
        #expect(TruebitOutputProof.root(proof: proof, output: input) != machine.state.memoryRoot)
    }

    @Test("a run whose output is over 65 536 bytes cannot be revealed")
    func outputTooLarge() throws {
        let input = [UInt8](repeating: 9, count: 65_537)
        let machine = try Machine(program: try ConsensusProgram(elf: TruebitProgramRun.program).program, input: input)
        machine.run(untilStep: 1 << 22)
        #expect(throws: TruebitTransactionError.outputTooLarge(bytes: 65_537)) { try TruebitRunResult(machine: machine) }
    }
}
