import EmberCrypto
import EmberVM

/// Programs the Truebit tests run, assembled by EmberVM's own assembler.
enum RunPrograms {
    /// Loops `n` times (n = the input's first little-endian word), adding the counter into an accumulator
    /// that it also stores into a rolling 64 KiB buffer (so memory changes every iteration), then writes the
    /// accumulator as a 4-byte output and halts with exit code 0. Seven instructions per iteration.
    static let summing = try! Assembler.assemble("""
        _start:
          lw t1, 0(a1)
          li t0, 0
          li t4, 0x00100000
          mv t2, t4
          li t5, 0x00110000
        1:
          add t0, t0, t1
          sw t0, 0(t2)
          addi t2, t2, 4
          bne t2, t5, 2f
          mv t2, t4
        2:
          addi t1, t1, -1
          bnez t1, 1b
          li t3, 0x38000000
          li t6, 4
          sw t6, 0(t3)
          sw t0, 4(t3)
          li a0, 0
          li a7, 93
          ecall
        """).elf()

    /// Counts a register up to the input's first word (two instructions per iteration), touching no memory;
    /// writes nothing and halts with exit code 0.
    static let counting = try! Assembler.assemble("""
        _start:
          lw t1, 0(a1)
          li t0, 0
        1:
          addi t0, t0, 1
          bne t0, t1, 1b
          li a0, 0
          li a7, 93
          ecall
        """).elf()

    /// Never halts.
    static let spinning = try! Assembler.assemble("""
        _start:
          addi t0, t0, 1
          j _start
        """).elf()

    /// Traps at its second instruction.
    static let breaking = try! Assembler.assemble("""
        _start:
          li t0, 1
          ebreak
        """).elf()

    /// Halts with exit code 3 after writing nothing.
    static let failing = try! Assembler.assemble("""
        _start:
          li a0, 3
          li a7, 93
          ecall
        """).elf()

    /// The input of `summing` or `counting` for `iterations` iterations.
    static func input(iterations: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: iterations >> (8 * $0)) }
    }

    /// The state hash after `steps` steps of `elf` over `input`, from a fresh machine: an independent
    /// computation of what a run's checkpoints answer.
    static func freshStateHash(_ elf: [UInt8], input: [UInt8], steps: UInt64) -> Hash32 {
        let machine = try! Machine(program: try! ConsensusProgram(elf: elf).program, input: input)
        machine.run(untilStep: steps)
        return machine.stateHash()
    }

    static func freshState(_ elf: [UInt8], input: [UInt8], steps: UInt64) -> MachineState {
        let machine = try! Machine(program: try! ConsensusProgram(elf: elf).program, input: input)
        machine.run(untilStep: steps)
        return machine.state
    }
}
