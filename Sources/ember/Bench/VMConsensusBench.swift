import EmberVM
import Foundation

/// The consensus-run part of `ember bench vm`: `ConsensusRun.run` against the fast path on the same
/// program in the same process, and the time of the worst covenant runs §15 allows.
struct VMConsensusBench {
    let consensusStepsPerSecond: Double
    let fastStepsPerSecond: Double
    let steps: UInt64
    /// Milliseconds of a run at maxSteps 2^24 and at the relay cap 2^20, spread over about 4 096 pages.
    let worstCaseMillis: Double
    let relayCapMillis: Double
    let worstCaseOutcome: ConsensusRunOutcome

    var ratio: Double { consensusStepsPerSecond / fastStepsPerSecond }

    /// A pseudo-random walk that loads and stores one word in a random page among 4 090 (with the
    /// program's 2 pages and the input's, 4 093 pages: under the limit) and never halts, so a run goes
    /// to maxSteps.
    static let worstCaseSource = walkSource(haltingAfter: nil)

    /// The random walk; with `rounds`, it halts with exit code 0 after that many 16-instruction rounds
    /// (the worst run a valid transaction can hold), else it loops for ever in 14-instruction rounds.
    static func walkSource(haltingAfter rounds: Int?) -> String {
        let counter = rounds.map { "  li s3, \($0)\n" } ?? ""
        let next = rounds == nil ? "  j loop\n" : "  addi s3, s3, -1\n  bnez s3, loop\n  li a0, 0\n  li a7, 93\n  ecall\n"
        return "_start:\n  li s1, 0x01000000\n  li s2, 4090\n" + counter + "  li t0, 0x12345678\nloop:\n"
            + "  slli t1, t0, 13\n  xor t0, t0, t1\n  srli t1, t0, 17\n  xor t0, t0, t1\n  slli t1, t0, 5\n  xor t0, t0, t1\n"
            + "  remu t2, t0, s2\n  slli t2, t2, 12\n  add t2, t2, s1\n  lw t3, 0(t2)\n  add t3, t3, t0\n  sw t3, 0(t2)\n" + next
    }

    /// Runs the built-in workload (at most 2^24 steps) both ways, best of `rounds`, then the worst cases.
    static func measure(rounds: Int = 3) throws -> VMConsensusBench {
        let iterations = (Int(ConsensusRun.maxSteps) - 16) / 16
        let elf = try Assembler.assemble(VMBenchCommand.workload(iterations: iterations)).elf()
        let program = try ConsensusProgram(elf: elf)
        let clock = ContinuousClock()
        var fastBest = Double.infinity
        var consensusBest = Double.infinity
        var steps: UInt64 = 0
        for _ in 0..<rounds {
            let machine = try Machine(program: program.program, input: [])
            var start = clock.now
            machine.run(untilStep: UInt64(ConsensusRun.maxSteps))
            fastBest = min(fastBest, (clock.now - start).seconds)
            steps = machine.step
            start = clock.now
            let outcome = ConsensusRun.run(program: program, input: [], maxSteps: ConsensusRun.maxSteps)
            consensusBest = min(consensusBest, (clock.now - start).seconds)
            guard outcome.steps == steps, machine.status == .halted else {
                throw commandFailure("the consensus run ended as \(outcome), the fast path after \(steps) steps as \(machine.status)")
            }
        }

        let worst = try ConsensusProgram(elf: try Assembler.assemble(worstCaseSource).elf())
        var start = clock.now
        let worstCaseOutcome = ConsensusRun.run(program: worst, input: [], maxSteps: ConsensusRun.maxSteps)
        let worstCaseMillis = (clock.now - start).seconds * 1000
        start = clock.now
        _ = ConsensusRun.run(program: worst, input: [], maxSteps: 1 << 20)
        let relayCapMillis = (clock.now - start).seconds * 1000
        return VMConsensusBench(
            consensusStepsPerSecond: Double(steps) / consensusBest, fastStepsPerSecond: Double(steps) / fastBest, steps: steps,
            worstCaseMillis: worstCaseMillis, relayCapMillis: relayCapMillis, worstCaseOutcome: worstCaseOutcome
        )
    }
}
