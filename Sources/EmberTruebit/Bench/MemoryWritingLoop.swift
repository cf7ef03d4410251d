import EmberVM

/// The program the dispute benchmark runs: a loop that adds its counter into an accumulator and stores the
/// accumulator into a rolling 1 MiB buffer every iteration, so the state hashes a bisection round asks for
/// have real Merkle work (every page of the buffer is rewritten between two questions far apart). It halts
/// with exit code 0 and the accumulator as a 4-byte output, after exactly the step count asked for.
///
/// The loop count is baked into the program (there is no input) and a few `nop`s after the loop make up
/// the remainder, so a run of N steps needs no search. The accumulator (x5) is only ever added to, never
/// overwritten: a fault XORed into it (`RegisterFault`) stays in every later state, register, buffer and
/// output alike.
public struct MemoryWritingLoop: Sendable {
    /// x5 (t0), the register a cheating run corrupts.
    public static let accumulatorRegister = 5

    /// The run's exact step count, the halting ecall included.
    public let steps: UInt64
    /// The static ELF to post.
    public let elf: [UInt8]

    /// Why a loop of the asked length cannot be made.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The program whose run halts after exactly `steps` steps.
    public init(steps: UInt64) throws(Unavailable) {
        let shape = try Self.shape()
        guard steps >= shape.overhead + shape.perIteration else {
            throw Unavailable(description: "a run of \(steps) steps is shorter than the loop's \(shape.overhead + shape.perIteration) steps for one iteration")
        }
        let iterations = (steps - shape.overhead) / shape.perIteration
        guard iterations <= UInt64(Int32.max) else {
            throw Unavailable(description: "a run of \(steps) steps needs \(iterations) iterations, over the loop counter's \(Int32.max)")
        }
        self.steps = steps
        elf = try Self.assemble(iterations: iterations, padding: (steps - shape.overhead) % shape.perIteration)
    }

    /// The loop's fixed steps and its steps per iteration, measured by running one and two iterations:
    /// counting instructions by hand would break silently when the source changes.
    private static func shape() throws(Unavailable) -> (overhead: UInt64, perIteration: UInt64) {
        let once = try halt(assemble(iterations: 1, padding: 0))
        let twice = try halt(assemble(iterations: 2, padding: 0))
        guard twice > once, once > twice - once else { throw Unavailable(description: "the loop's calibration runs disagree (\(once), \(twice) steps)") }
        return (once - (twice - once), twice - once)
    }

    /// The step at which `elf` halts with exit code 0.
    private static func halt(_ elf: [UInt8]) throws(Unavailable) -> UInt64 {
        do {
            let machine = try Machine(program: try ConsensusProgram(elf: elf).program, input: [])
            machine.run(untilStep: 1_000)
            guard machine.status == .halted, machine.exitCode == 0 else {
                throw Unavailable(description: "the calibration run did not halt with 0: \(machine.state)")
            }
            return machine.step
        } catch let error as Unavailable {
            throw error
        } catch {
            throw Unavailable(description: "the loop does not load: \(error)")
        }
    }

    private static func assemble(iterations: UInt64, padding: UInt64) throws(Unavailable) -> [UInt8] {
        // lui + addi whatever the count, so every count has the same fixed steps.
        let source = """
            _start:
              lui s0, %hi(\(iterations))
              addi s0, s0, %lo(\(iterations))
              lui s1, 0x100
            1:
              add t0, t0, s0
              add t3, s1, t2
              sw t0, 0(t3)
              addi t2, t2, 4
              slli t2, t2, 12
              srli t2, t2, 12
              addi s0, s0, -1
              bnez s0, 1b
            \(String(repeating: "  nop\n", count: Int(padding)))\
              lui t3, 0x38000
              li t6, 4
              sw t6, 0(t3)
              sw t0, 4(t3)
              li a7, 93
              ecall
            """
        do {
            return try Assembler.assemble(source).elf()
        } catch {
            throw Unavailable(description: "the loop does not assemble: \(error)")
        }
    }
}
