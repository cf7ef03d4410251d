import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTruebit
import EmberVM
import Testing

/// The dispute benchmark run small: the game it measures is the worst case, ends with the lie refuted and
/// the task back, and the bytes it reports are the transactions' own.
@Suite("Truebit dispute benchmark")
struct TruebitDisputeBenchmarkTests {
    @Test("a lie over N steps is bisected in Bisection.maxRounds rounds, refuted by the step and closed: the marker stays, the task is back with its reward", arguments: [17, 10_000] as [UInt64])
    func disputeRunsToTheClose(steps: UInt64) throws {
        let report = try TruebitDisputeBenchmark.run(.init(steps: steps, checkpointInterval: 64, settleRepeats: 3))
        // ⌈log16 17⌉ = 2 and ⌈log16 10 000⌉ = 4 (16^3 = 4 096 < 10 000 ≤ 65 536).
        #expect(report.rounds.count == Bisection.maxRounds(steps: steps))
        #expect(report.rounds.count == (steps == 17 ? 2 : 4))
        let kinds: [TruebitDisputeReport.Kind] = [.post, .commit, .reveal, .challenge]
            + Array(repeating: [.bisect, .choose], count: report.rounds.count).flatMap { $0 } + [.step, .close]
        #expect(report.transactions.map(\.kind) == kinds)
        #expect(report.transactions.map(\.height) == (0..<UInt64(kinds.count)).map { report.transactions[0].height + $0 })

        // The solution claims exactly N steps; the game starts on the whole run and ends on the step before the lie.
        let reveal = report.transactions[2].transaction
        guard case .truebitSolution(let solution) = reveal.outputs[0].lock else { Issue.record("the reveal pins no solution"); return }
        #expect(solution.steps == steps)
        #expect(report.rounds.first?.lo == 0)
        #expect(report.rounds.first?.hi == steps)
        let lastChoose = try #require(report.included(.choose).last?.transaction)
        guard case .truebitGame(let settled) = lastChoose.outputs[0].lock else { Issue.record("the last choose pins no game"); return }
        #expect(settled.lo + 1 == settled.hi)
        #expect(settled.hi == report.firstWrongIndex)

        // Refuted: the step pays the challenger its deposit and pins a marker of this solution, still unspent.
        let step = try #require(report.included(.step).first?.transaction)
        let challenger = RawPublicKey(TruebitDisputeBenchmark.challengerKey.publicKey.bytes)!
        #expect(step.outputs[0] == Output(
            amount: TruebitDisputeBenchmark.challengerDeposit, lock: .pubKeyHash(TruebitDisputeBenchmark.challengerKey.publicKey.publicKeyHash)))
        #expect(step.outputs[1].lock == .truebitRefuted(TruebitRefutedLock(solutionId: solution.solutionId, challengerKey: challenger)))
        #expect(report.finalOutputs.unspentOutput(at: OutPoint(txid: step.txid, index: 1))?.output == step.outputs[1])
        // Closed: the solution is spent and the task is back, the post's own lock (same taskId) with the reward.
        let post = report.transactions[0].transaction
        let close = try #require(report.included(.close).first?.transaction)
        #expect(report.finalOutputs.unspentOutput(at: OutPoint(txid: reveal.txid, index: 0)) == nil)
        #expect(close.outputs[0] == Output(amount: TruebitDisputeBenchmark.reward, lock: post.outputs[0].lock))
        #expect(report.finalOutputs.unspentOutput(at: OutPoint(txid: close.txid, index: 0))?.output == close.outputs[0])

        // Bytes: the serialized sizes of the transactions from the challenge (the fourth) to the close.
        let disputeSizes = report.transactions[3...].map { $0.transaction.encoded.count }
        #expect(report.disputeBytes == disputeSizes.reduce(0, +))
        #expect(report.dispute.count == kinds.count - 3)
        // No Truebit mode runs a program, so weight is size, and each fee is the minimum for it.
        let params = ConsensusParams.mainnet
        for included in report.transactions {
            #expect(included.weight == included.transaction.encoded.count)
            #expect(included.fee == params.minimumFee(weight: included.weight))
        }
        #expect(report.settle.repeats == 3)
        #expect(report.settle.proofBytes == report.included(.step)[0].transaction.witnesses[0].items[0].count)
    }

    @Test("the worst-case lie lands in a largest part every round: index 16 of 17 steps, 5 000 of 10 000")
    func worstCaseFirstWrongIndex() {
        // 17 steps: sixteen parts, all of one step but [15, 17]; of its halves [15, 16] lies nearer 17/2.
        #expect(TruebitDisputeBenchmark.worstCaseFirstWrongIndex(steps: 17) == 16)
        // 10 000: parts of 625 (5 000 ends one), then of 39 or 40 ((4 960, 5 000] has 40), of 2 or 3
        // ((4 997, 5 000] has 3), then of one step: (4 999, 5 000].
        #expect(TruebitDisputeBenchmark.worstCaseFirstWrongIndex(steps: 10_000) == 5_000)
    }

    @Test("the loop halts with 0 after exactly the steps asked, as a fresh machine runs it, and refuses fewer than one iteration's", arguments: [17, 18, 23, 24, 1_000, 10_001] as [UInt64])
    func loopRunsExactlyTheStepsAsked(steps: UInt64) throws {
        let loop = try MemoryWritingLoop(steps: steps)
        let machine = try Machine(program: try ConsensusProgram(elf: loop.elf).program, input: [])
        machine.run(untilStep: steps + 100)
        #expect(machine.status == .halted)
        #expect(machine.exitCode == 0)
        #expect(machine.step == steps)
        #expect(machine.output.count == 4)
        #expect(throws: MemoryWritingLoop.Unavailable.self) { try MemoryWritingLoop(steps: 16) }
    }
}
