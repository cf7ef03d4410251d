import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

// DESIGN.md section 14 v2: program and heap [0, 0x1000_0000), I/O [0x3000_0000, 0x4000_0000), stack
// [0x7000_0000, 0x8000_0000). Any byte of a fetch, load or store outside them traps, and one step proves it.

/// Runs `program` to its trap and checks the trap step's proof: no leaf for the out-of-window access,
/// and `verifyStep` reproduces the trapped state the machine reached.
func expectProvenWindowTrap(_ program: Program, instructionLeaf: Bool, _ comment: Comment) throws {
    let machine = try Machine(program: program, input: [])
    machine.run(untilStep: 100)
    #expect(machine.status == .trapped, comment)
    #expect(machine.trapCause == .outsideMemoryWindows, comment)
    let trapStep = machine.step - 1
    let proof = prove(program, step: trapStep)
    #expect(proof.data.isEmpty, comment)
    #expect((proof.instruction != nil) == instructionLeaf, comment)
    let (pre, post) = try verifyStep(proof)
    #expect(pre == (try freshStateHash(program, steps: trapStep)), comment)
    #expect(post == machine.stateHash(), comment)
}

func prove(_ program: Program, step: UInt64) -> StepProof {
    // Prover(program:input:) only fails for an oversized input.
    (try? Prover(program: program, input: []))!.proof(ofStep: step)
}

@Test(arguments: [
    "  li s0, 0x10000000\n  lb a0, 0(s0)",  // the first byte after the program window
    "  li s0, 0x0ffffffe\n  lw a0, 0(s0)",  // a word straddling the program window's end
    "  li s0, 0x0fffffff\n  sh a0, 0(s0)",  // a half-word straddling it
    "  li s0, 0x2fffffff\n  sb a0, 0(s0)",  // the byte below the I/O window
    "  li s0, 0x2ffffffe\n  sw a0, 0(s0)",  // a store straddling into the I/O window from below
    "  li s0, 0x3ffffffd\n  lw a0, 0(s0)",  // a load straddling the I/O window's end
    "  li s0, 0x40000000\n  lbu a0, 0(s0)",
    "  li s0, 0x6fffffff\n  lhu a0, 0(s0)",  // straddling into the stack window from below
    "  sw a0, 0(sp)",  // the initial sp, 0x80000000, is just past the stack window
    "  li s0, 0x7ffffffe\n  lh a0, 1(s0)",  // straddling the stack window's end
    "  li s0, 0xfffffffe\n  sw a0, 0(s0)",  // wraps around to address 0, which is inside
    "  li s0, 0xfffffffe\n  lw a0, 0(s0)",
])
func accessesOutsideTheWindowsTrapAndOneStepProvesIt(_ body: String) throws {
    let program = try Assembler.assemble("_start:\n  li a0, 7\n" + body + "\n  li a7, 93\n  ecall\n").program
    try expectProvenWindowTrap(program, instructionLeaf: true, "\(body)")
}

@Test func jumpingOutsideTheWindowsTrapsOnTheFetch() throws {
    let program = try Assembler.assemble("_start:\n  li t0, 0x50000000\n  jr t0\n").program
    let machine = try Machine(program: program, input: [])
    machine.run(untilStep: 100)
    // The jump itself succeeds; the fetch at its target traps, pc staying there.
    #expect(machine.step == 3 && machine.pc == 0x5000_0000)
    try expectProvenWindowTrap(program, instructionLeaf: false, "jump to 0x50000000")
}

@Test func runningOffTheEndOfTheProgramWindowTraps() throws {
    let nop: [UInt8] = [0x13, 0, 0, 0]
    let program = try Program(entry: 0x0fff_fff8, segments: [.init(address: 0x0fff_fff8, bytes: nop + nop)])
    let machine = try Machine(program: program, input: [])
    machine.run(untilStep: 100)
    #expect(machine.trapCause == .outsideMemoryWindows && machine.pc == 0x1000_0000 && machine.step == 3)
    try expectProvenWindowTrap(program, instructionLeaf: false, "fetch at 0x10000000")
}

@Test(arguments: [UInt32(0x0fff_fffc), 0x3000_0000, 0x3fff_fffc, 0x7000_0000, 0x7fff_fffc, 0x0000_0000])
func accessesAtTheInnerEdgesOfTheWindowsWork(_ address: UInt32) throws {
    let result = try resultOf("""
          li s0, \(address)
          li t0, 0x5a5a1234
          sw t0, 0(s0)
          lw t1, 0(s0)
          lbu t2, 3(s0)
          sub a0, t1, t0
          addi a0, a0, -0x5a
          add a0, a0, t2
        """)
    #expect(result == 0)
}

@Test func aProofCarryingALeafForAnOutOfWindowAccessIsRejected() throws {
    let load = try Assembler.assemble("_start:\n  li s0, 0x10000000\n  lw a0, 0(s0)\n").program
    var proof = prove(load, step: 1)  // li is one lui here, so the load is step 1
    let inWindowLoad = try Assembler.assemble("_start:\n  li s0, 0x0ffffffc\n  lw a0, 0(s0)\n").program
    let carried = try #require(prove(inWindowLoad, step: 2).data.first)
    proof.data = [carried]
    #expect(throws: StepProofRejection.wrongDataLeafCount(expected: 0, found: 1)) { try verifyStep(proof) }

    let jump = try Assembler.assemble("_start:\n  li t0, 0x50000000\n  jr t0\n").program
    var fetch = prove(jump, step: 2)  // lui, jr, then the fetch at 0x50000000
    fetch.instruction = prove(jump, step: 1).instruction
    #expect(throws: StepProofRejection.leavesForFetchOutsideWindows(pc: 0x5000_0000)) { try verifyStep(fetch) }
}

@Test(arguments: [
    Program.Segment(address: 0x0fff_fffc, bytes: [], memorySize: 8),
    Program.Segment(address: 0x3000_0000, bytes: [1]),
    Program.Segment(address: 0x7000_0000, bytes: [1]),
])
func programSegmentsMustLieInTheProgramWindow(_ segment: Program.Segment) {
    #expect(throws: ProgramError.segmentOutsideProgramWindow(address: segment.address, size: segment.memorySize)) {
        try Program(entry: 0, segments: [segment])
    }
}
