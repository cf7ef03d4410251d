import EmberCrypto
import EmberTestSupport
import EmberVM
import Foundation
import Testing

// DESIGN.md section 15: a consensus run executes at most maxSteps instructions (the halting ecall
// included), must halt with exit code 0, and fails past 4 096 distinct 4 KiB pages.

func consensusProgram(_ source: String) throws -> ConsensusProgram {
    try ConsensusProgram(elf: try Assembler.assemble(source).elf())
}

/// 1 + 2·10 + 3 = 24 instructions: li, ten rounds of (addi, bnez), then li, li, ecall.
let countdown = """
    _start:
      li t0, 10
    1:
      addi t0, t0, -1
      bnez t0, 1b
      li a0, 0
      li a7, 93
      ecall
    """

@Test func theHaltingEcallCountsAsAStep() throws {
    let program = try consensusProgram(countdown)
    let exact = ConsensusRun.run(program: program, input: [], maxSteps: 24)
    #expect(exact == .halted(exitCode: 0, steps: 24))
    #expect(exact.isSuccess && exact.failure == nil && exact.steps == 24)
    let short = ConsensusRun.run(program: program, input: [], maxSteps: 23)
    #expect(short == .outOfSteps(maxSteps: 23))
    #expect(!short.isSuccess)
    #expect(short.failure == .didNotHalt(maxSteps: 23))
    #expect(short.failure?.description == "did not halt within 23 steps")
}

@Test func maxStepsMustBeFromOneToTwoToThe24() throws {
    let program = try consensusProgram(countdown)
    #expect(ConsensusRun.run(program: program, input: [], maxSteps: 0) == .maxStepsOutOfRange(0))
    #expect(ConsensusRun.run(program: program, input: [], maxSteps: 1 << 24 + 1) == .maxStepsOutOfRange(1 << 24 + 1))
    #expect(ConsensusRun.run(program: program, input: [], maxSteps: 1 << 24 + 1).failure
        == .maxStepsOutOfRange(found: 1 << 24 + 1, limit: 1 << 24))
    #expect(ConsensusRun.run(program: program, input: [], maxSteps: 1 << 24).isSuccess)
}

@Test func aNonZeroExitCodeOrATrapFails() throws {
    let three = ConsensusRun.run(program: try consensusProgram("_start:\n  li a0, 3\n  li a7, 93\n  ecall\n"), input: [], maxSteps: 10)
    #expect(three == .halted(exitCode: 3, steps: 3))
    #expect(!three.isSuccess)
    #expect(three.failure?.description == "exit code 3")
    let trap = ConsensusRun.run(program: try consensusProgram("_start:\n  nop\n  ebreak\n"), input: [], maxSteps: 10)
    #expect(trap == .trapped(.breakpoint, steps: 2))
    #expect(trap.failure == .trapped(.breakpoint))
    #expect(trap.failure?.description == "trapped: ebreak")
    let window = ConsensusRun.run(program: try consensusProgram("_start:\n  sw a0, 0(sp)\n"), input: [], maxSteps: 10)
    #expect(window == .trapped(.outsideMemoryWindows, steps: 1))
}

/// Touches `reads` fresh pages by loading from 0x0100_0000, 0x0100_1000, …, then runs `tail`, then halts
/// with 0. Before the loop it touches 3 pages: the ELF headers (0xF000) and .text (0x10000), and the
/// input's page at 0x3000_0000.
func pageToucher(reads: Int, access: String = "lw t1, 0(s0)", tail: String = "") -> String {
    """
    _start:
      li s0, 0x01000000
      li t0, \(reads)
      beqz t0, 2f
    1:
      \(access)
      li t2, 4096
      add s0, s0, t2
      addi t0, t0, -1
      bnez t0, 1b
    2:
    \(tail)
      li a0, 0
      li a7, 93
      ecall
    """
}

@Test func readsWritesAndFetchesOfFreshPagesCountUpTo4096() throws {
    let start = try consensusProgram(pageToucher(reads: 0))
    #expect(start.program.segments.map(\.address) == [0xf000])
    #expect(start.segmentPageCount == 2)
    for access in ["lw t1, 0(s0)", "lbu t1, 2047(s0)", "sb t1, 0(s0)", "sw t1, 8(s0)"] {
        let atLimit = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4093, access: access)), input: [], maxSteps: 1 << 24)
        #expect(atLimit.isSuccess, "\(access): \(atLimit)")
        let over = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4094, access: access)), input: [], maxSteps: 1 << 24)
        #expect(over.failure == .tooManyPages(limit: 4096), "\(access): \(over)")
        #expect(over.failure?.description == "touched more than 4096 pages")
        // The run stops at the access to page 4 097, the first instruction of round 4 094, after the
        // 4 instructions before the loop (lui; lui, addi; beqz) and 4 093 rounds of 5.
        #expect(over == .pageLimitExceeded(pages: 4097, steps: 4 + 5 * 4093 + 1), "\(access)")
    }
    // Touching the same pages again costs nothing.
    let again = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4093, tail: """
          li s0, 0x01000000
          lw t1, 0(s0)
          sw t1, 4(s0)
        """)), input: [], maxSteps: 1 << 24)
    #expect(again.isSuccess)
}

@Test func anAccessAcrossAPageBoundaryCountsBothPages() throws {
    let straddle = "  li s1, 0x02000ffe\n  lw t1, 0(s1)"
    let fits = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4091, tail: straddle)), input: [], maxSteps: 1 << 24)
    #expect(fits.isSuccess, "\(fits)")
    let over = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4092, tail: straddle)), input: [], maxSteps: 1 << 24)
    #expect(over.failure == .tooManyPages(limit: 4096), "\(over)")
}

@Test func fetchingAFreshPageCountsBeforeItTraps() throws {
    let jump = "  li s1, 0x02000000\n  jr s1"
    let fits = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4092, tail: jump)), input: [], maxSteps: 1 << 24)
    #expect(fits.failure == .trapped(.illegalInstruction), "\(fits)")  // the fresh page holds zeros
    let over = ConsensusRun.run(program: try consensusProgram(pageToucher(reads: 4093, tail: jump)), input: [], maxSteps: 1 << 24)
    #expect(over.failure == .tooManyPages(limit: 4096), "\(over)")
}

@Test func everyPageOfTheInputCounts() throws {
    let program = try consensusProgram("_start:\n  li a0, 0\n  li a7, 93\n  ecall\n")  // 2 pages
    // 4 094 pages of input: the length word and 4 094 · 4096 − 4 bytes.
    let fits = [UInt8](repeating: 7, count: 4094 * 4096 - 4)
    #expect(ConsensusRun.run(program: program, input: fits, maxSteps: 10).isSuccess)
    let over = ConsensusRun.run(program: program, input: fits + [7], maxSteps: 10)
    #expect(over == .pageLimitExceeded(pages: 4097, steps: 0))
}

@Test func everyPageOfALoadedSegmentCountsTouchedOrNot() throws {
    // .data grown (as .bss) to cover pages 0x11 … 0x11 + n − 1; with the 2 pages of headers and .text
    // and the input's page, n = 4 093 reaches the limit exactly.
    var elf = try ValidELF()
    let dataAddress = elf.header(1, ELFField.address)
    #expect(dataAddress == 0x11000)
    elf.set32(ELFField.header(1, ELFField.memorySize), 4093 * 4096)
    let fits = try ConsensusProgram(elf: elf.bytes)
    #expect(ConsensusRun.run(program: fits, input: [], maxSteps: 100) == .halted(exitCode: 0, steps: 5))
    elf.set32(ELFField.header(1, ELFField.memorySize), 4093 * 4096 + 1)
    let over = try ConsensusProgram(elf: elf.bytes)
    #expect(ConsensusRun.run(program: over, input: [], maxSteps: 100) == .pageLimitExceeded(pages: 4097, steps: 0))
    // 256 MiB of zeros fails at once, in the loader, without allocating or copying anything.
    elf.set32(ELFField.header(1, ELFField.memorySize), 0x0fff_0000 - 0x11000)
    #expect(throws: ConsensusProgramRejection.self) { try ConsensusProgram(elf: elf.bytes) }
}

@Test func aConsensusRunAgreesWithTheFastPath() throws {
    let elf = [UInt8](try Data(contentsOf: programsFolder.appendingPathComponent("sha256.elf")))
    let program = try ConsensusProgram(elf: elf)
    let input = Array("consensus".utf8)
    let machine = try Machine(program: try Program(elf: elf), input: input)
    machine.run(untilStep: 1 << 24)
    #expect(machine.status == .halted && machine.exitCode == 0)
    let outcome = ConsensusRun.run(program: program, input: input, maxSteps: 1 << 24)
    #expect(outcome == .halted(exitCode: 0, steps: UInt32(machine.step)))
    #expect(ConsensusRun.run(program: program, input: input, maxSteps: UInt32(machine.step) - 1) == .outOfSteps(maxSteps: UInt32(machine.step) - 1))
}

@Test func theInitialStateHashIsStepZeroOfTheRun() throws {
    let elf = try Assembler.assemble(countdown).elf()
    let input: [UInt8] = [1, 2, 3]
    let hash = try ConsensusRun.initialStateHash(program: try ConsensusProgram(elf: elf), input: input)
    let prover = try Prover(program: try Program(elf: elf), input: input)
    #expect(hash == prover.stateHash(afterSteps: 0))
    // The input is part of it.
    #expect(hash != (try ConsensusRun.initialStateHash(program: try ConsensusProgram(elf: elf), input: [1, 2, 4])))
    // And so is the program: pc, registers and memory root as §14 hashes them.
    let state = prover.state(afterSteps: 0)
    #expect(state.pc == 0x10000 && state.step == 0 && state.status == .running)
    #expect(state.registers[2] == 0x8000_0000 && state.registers[10] == 3 && state.registers[11] == 0x3000_0004)
}
