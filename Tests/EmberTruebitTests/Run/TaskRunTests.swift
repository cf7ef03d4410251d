import EmberConsensus
import EmberCrypto
import EmberTruebit
import EmberVM
import Testing

@Suite("TaskRun: a task's run with checkpoints")
struct TaskRunTests {
    static let input = RunPrograms.input(iterations: 300)
    /// A small interval, so most questions restore a checkpoint and replay.
    static let options = TaskRun.Options(checkpointInterval: 64)

    static func run(_ elf: [UInt8] = RunPrograms.summing, input: [UInt8] = input, maxSteps: UInt64 = 100_000, fault: RegisterFault? = nil) throws -> TaskRun {
        try TaskRun(program: elf, input: input, maxSteps: maxSteps, options: TaskRun.Options(checkpointInterval: 64, fault: fault))
    }

    @Test("the run halts where a fresh machine halts, with its state, exit code and output")
    func haltsLikeAFreshMachine() throws {
        let run = try Self.run()
        let machine = try Machine(program: try ConsensusProgram(elf: RunPrograms.summing).program, input: Self.input)
        machine.run(untilStep: 100_000)
        #expect(machine.status == .halted)
        #expect(run.outcome == .halted(exitCode: 0))
        #expect(run.steps == machine.step)
        #expect(run.finalState == machine.state)
        #expect(run.finalStateHash == machine.stateHash())
        #expect(run.output == machine.output)
        // 300 + 299 + … + 1 = 45 150, written little-endian.
        #expect(run.output == [0x5e, 0xb0, 0x00, 0x00])
        #expect(run.initialStateHash == RunPrograms.freshStateHash(RunPrograms.summing, input: Self.input, steps: 0))
    }

    @Test("state hashes at any index, asked in any order, equal a fresh machine run to that step")
    func stateHashesMatchFreshRuns() throws {
        let run = try Self.run()
        let indices: [UInt64] = [run.steps - 1, 0, 1, 63, 64, 65, 1_000, 127, 128, 129, 2_047, run.steps / 2, 5]
        for index in indices {
            #expect(try run.stateHash(at: index) == RunPrograms.freshStateHash(RunPrograms.summing, input: Self.input, steps: index), "index \(index)")
        }
    }

    @Test("bisection hashes are the states at Bisection.points, from fresh machines")
    func bisectionHashesMatchFreshRuns() throws {
        let run = try Self.run()
        for (lo, hi) in [(0, run.steps), (100, 117), (37, 39), (500, 1_300)] as [(UInt64, UInt64)] {
            let points = try #require(Bisection.points(lo: lo, hi: hi))
            let expected = points.map { RunPrograms.freshStateHash(RunPrograms.summing, input: Self.input, steps: $0) }
            #expect(try run.bisectionHashes(lo: lo, hi: hi) == expected, "[\(lo), \(hi)]")
        }
        #expect(throws: TaskRunError.notBisectable(lo: 7, hi: 8)) { try run.bisectionHashes(lo: 7, hi: 8) }
    }

    @Test("an index at or past the halt is the halted state, a fixed point")
    func haltedStateIsAFixedPoint() throws {
        let run = try Self.run()
        let halted = RunPrograms.freshState(RunPrograms.summing, input: Self.input, steps: 1 << 40)
        #expect(halted.status == .halted)
        for index in [run.steps, run.steps + 1, run.steps + 1_000, 99_999, 1 << 62] {
            #expect(try run.stateHash(at: index) == halted.hash, "index \(index)")
        }
        #expect(try run.stateHash(at: run.steps - 1) != halted.hash)
        // Points past the halt, as a solver that claimed too many steps makes a challenger ask.
        let points = try #require(Bisection.points(lo: run.steps - 2, hi: run.steps + 30))
        let hashes = try run.bisectionHashes(lo: run.steps - 2, hi: run.steps + 30)
        for (point, hash) in zip(points, hashes) where point >= run.steps { #expect(hash == halted.hash) }
        // The proof of a step at the halt proves the fixed point.
        let proof = try run.stepProof(at: run.steps + 3)
        let hashesOfProof = try verifyStep(proof)
        #expect(hashesOfProof.preStateHash == halted.hash)
        #expect(hashesOfProof.postStateHash == halted.hash)
    }

    @Test("step proofs verify and lead from the state at lo to the state at lo + 1")
    func stepProofsVerify() throws {
        let run = try Self.run()
        for lo in [0, 1, 5, 63, 64, 700, run.steps - 1] as [UInt64] {
            let proof = try run.stepProof(at: lo)
            let decoded = try StepProof(encoded: proof.encoded())
            let hashes = try verifyStep(decoded)
            #expect(hashes.preStateHash == RunPrograms.freshStateHash(RunPrograms.summing, input: Self.input, steps: lo), "lo \(lo)")
            #expect(hashes.postStateHash == RunPrograms.freshStateHash(RunPrograms.summing, input: Self.input, steps: lo + 1), "lo \(lo)")
        }
    }

    @Test("a faulty run differs from the honest one exactly from index N + 1, checkpoints included")
    func faultStrikesAtNPlusOne() throws {
        let n: UInt64 = 1_000
        // t0 is the accumulator: it stays wrong until the halt and reaches memory and the output.
        let fault = try #require(RegisterFault(afterStep: n, register: 5, mask: 0x10))
        let honest = try Self.run()
        let faulty = try Self.run(fault: fault)
        #expect(faulty.steps == honest.steps)
        #expect(faulty.finalStateHash != honest.finalStateHash)
        #expect(faulty.output != honest.output)
        // Ask past the fault first, then before it, then past it again: restores from checkpoints both sides.
        for index in [n + 500, 10, n, n - 1, n + 1, n + 2, n + 64, honest.steps - 1, honest.steps] {
            let same = try faulty.stateHash(at: index) == honest.stateHash(at: index)
            #expect(same == (index <= n), "index \(index)")
        }
        // The state at N + 1 is the honest one with x5 flipped, computed from a fresh machine.
        var expected = RunPrograms.freshState(RunPrograms.summing, input: Self.input, steps: n + 1)
        expected.registers[5] ^= 0x10
        #expect(try faulty.stateHash(at: n + 1) == expected.hash)
        // The honest side's proof of step N starts from the agreed state and misses the faulty state at N + 1.
        let hashes = try verifyStep(try honest.stepProof(at: n))
        #expect(hashes.preStateHash == (try faulty.stateHash(at: n)))
        #expect(hashes.postStateHash != (try faulty.stateHash(at: n + 1)))
    }

    @Test("a fault never struck when the run halts first; a fault needs a real register and mask")
    func faultAfterTheHalt() throws {
        let honest = try Self.run()
        let late = try #require(RegisterFault(afterStep: honest.steps + 10, register: 5, mask: 1))
        #expect(try Self.run(fault: late).finalStateHash == honest.finalStateHash)
        #expect(RegisterFault(afterStep: 1, register: 0, mask: 1) == nil)
        #expect(RegisterFault(afterStep: 1, register: 32, mask: 1) == nil)
        #expect(RegisterFault(afterStep: 1, register: 3, mask: 0) == nil)
    }

    @Test("a run that does not halt stops at maxSteps and answers nothing past it")
    func nonHaltingRun() throws {
        let run = try Self.run(RunPrograms.spinning, input: [], maxSteps: 1_000)
        #expect(run.outcome == .ranOutOfSteps)
        #expect(run.steps == 1_000)
        #expect(run.finalState.status == .running)
        #expect(try run.stateHash(at: 1_000) == RunPrograms.freshStateHash(RunPrograms.spinning, input: [], steps: 1_000))
        #expect(throws: TaskRunError.beyondRun(index: 1_001, maxSteps: 1_000)) { try run.stateHash(at: 1_001) }
        #expect(throws: TaskRunError.beyondRun(index: 1_000, maxSteps: 1_000)) { try run.stepProof(at: 1_000) }
    }

    @Test("traps and exit codes are reported as the outcome")
    func trapsAndExitCodes() throws {
        let trapped = try Self.run(RunPrograms.breaking, input: [])
        #expect(trapped.outcome == .trapped(.breakpoint))
        #expect(trapped.steps == 2)
        #expect(try trapped.stateHash(at: 50) == trapped.finalStateHash)
        let failed = try Self.run(RunPrograms.failing, input: [])
        #expect(failed.outcome == .halted(exitCode: 3))
    }

    @Test("a program the consensus loader refuses, a wrong initial state and zero maxSteps are refused")
    func refusedRuns() throws {
        #expect(throws: TaskRunError.programRejected(.truncatedHeader(expectedAtLeast: 52, found: 3))) {
            try TaskRun(program: [1, 2, 3], input: [], maxSteps: 10)
        }
        let wrong = Hash32([UInt8](repeating: 9, count: 32))!
        let computed = RunPrograms.freshStateHash(RunPrograms.summing, input: Self.input, steps: 0)
        #expect(throws: TaskRunError.initialStateMismatch(task: wrong, computed: computed)) {
            try TaskRun(program: RunPrograms.summing, input: Self.input, maxSteps: 10, initialState: wrong)
        }
        #expect(throws: TaskRunError.noSteps) { try TaskRun(program: RunPrograms.summing, input: Self.input, maxSteps: 0) }
    }

    @Test("the solver's result: the stopped state, the output, a proof that folds to the final memory root, and the memory held")
    func solverResult() throws {
        let run = try Self.run()
        let result = try run.solverResult()
        #expect(result.finalState == run.finalState)
        #expect(result.output == run.output)
        #expect(TruebitOutputProof.root(proof: result.outputProof, output: result.output) == run.finalState.memoryRoot)
        var tampered = result.output
        tampered[0] ^= 1
        #expect(TruebitOutputProof.root(proof: result.outputProof, output: tampered) != run.finalState.memoryRoot)
        let machine = try Machine(program: try ConsensusProgram(elf: RunPrograms.summing).program, input: Self.input)
        machine.run(untilStep: 100_000)
        // The program's page, the input's, the 1 200 bytes of buffer 300 iterations write, and the output's.
        #expect(machine.writtenPageCount >= 4)
        #expect(run.memoryBytes == machine.writtenPageCount * 4_096)
    }
}
