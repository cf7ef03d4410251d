import EmberVM
import EmberTestSupport
import Testing

/// One instruction on edge values, with the result the RISC-V unprivileged spec requires.
struct RegisterCase: CustomTestStringConvertible, Sendable {
    let operation: String
    let left: UInt32
    let right: UInt32
    let expected: UInt32
    var testDescription: String { "\(operation) \(left) \(right)" }
}

let intMin: UInt32 = 0x8000_0000

let registerCases: [RegisterCase] = [
    .init(operation: "add", left: 0x7fff_ffff, right: 1, expected: intMin),
    .init(operation: "sub", left: 0, right: 1, expected: 0xffff_ffff),
    .init(operation: "sll", left: 1, right: 31, expected: intMin),
    .init(operation: "sll", left: 1, right: 33, expected: 2),
    .init(operation: "srl", left: intMin, right: 31, expected: 1),
    .init(operation: "sra", left: intMin, right: 31, expected: 0xffff_ffff),
    .init(operation: "sra", left: 0x4000_0000, right: 30, expected: 1),
    .init(operation: "slt", left: 0xffff_ffff, right: 1, expected: 1),
    .init(operation: "sltu", left: 0xffff_ffff, right: 1, expected: 0),
    .init(operation: "xor", left: 0xf0f0_f0f0, right: 0xffff_0000, expected: 0x0f0f_f0f0),
    .init(operation: "or", left: 0xf000_000f, right: 0x0ff0_0000, expected: 0xfff0_000f),
    .init(operation: "and", left: 0xf000_000f, right: 0xff00_0001, expected: 0xf000_0001),
    .init(operation: "mul", left: intMin, right: 0xffff_ffff, expected: intMin),
    .init(operation: "mul", left: 0x0001_0001, right: 0x0001_0001, expected: 0x0002_0001),
    .init(operation: "mulh", left: 0xffff_ffff, right: 0xffff_ffff, expected: 0),
    .init(operation: "mulh", left: intMin, right: intMin, expected: 0x4000_0000),
    .init(operation: "mulh", left: 0xffff_fffe, right: 3, expected: 0xffff_ffff),
    .init(operation: "mulhsu", left: 0xffff_ffff, right: 0xffff_ffff, expected: 0xffff_ffff),
    .init(operation: "mulhsu", left: intMin, right: 2, expected: 0xffff_ffff),
    .init(operation: "mulhsu", left: 2, right: intMin, expected: 1),
    .init(operation: "mulhu", left: 0xffff_ffff, right: 0xffff_ffff, expected: 0xffff_fffe),
    .init(operation: "div", left: 7, right: 0xffff_fffe, expected: 0xffff_fffd),
    .init(operation: "div", left: 0xffff_fff9, right: 2, expected: 0xffff_fffd),
    .init(operation: "div", left: 7, right: 0, expected: 0xffff_ffff),
    .init(operation: "div", left: intMin, right: 0xffff_ffff, expected: intMin),
    .init(operation: "divu", left: 7, right: 0, expected: 0xffff_ffff),
    .init(operation: "divu", left: 0xffff_ffff, right: 2, expected: 0x7fff_ffff),
    .init(operation: "rem", left: 7, right: 0xffff_fffe, expected: 1),
    .init(operation: "rem", left: 0xffff_fff9, right: 2, expected: 0xffff_ffff),
    .init(operation: "rem", left: 7, right: 0, expected: 7),
    .init(operation: "rem", left: intMin, right: 0xffff_ffff, expected: 0),
    .init(operation: "remu", left: 7, right: 0, expected: 7),
    .init(operation: "remu", left: 0xffff_ffff, right: 10, expected: 5),
]

@Test(arguments: registerCases)
func registerInstruction(_ testCase: RegisterCase) throws {
    let result = try resultOf("""
          li a1, \(testCase.left)
          li a2, \(testCase.right)
          \(testCase.operation) a0, a1, a2
        """)
    #expect(result == testCase.expected)
}

@Test(arguments: [
    ("addi a0, a1, -2048", UInt32(5), UInt32(bitPattern: 5 - 2048)),
    ("slti a0, a1, -1", UInt32(0xffff_fffe), 1),
    ("sltiu a0, a1, -1", UInt32(0xffff_fffe), 1),  // -1 sign-extends to 0xffffffff before the unsigned compare
    ("sltiu a0, a1, 1", UInt32(0), 1),
    ("xori a0, a1, -1", UInt32(0x1234_5678), 0xedcb_a987),
    ("ori a0, a1, 0x7ff", UInt32(0x8000_0000), 0x8000_07ff),
    ("andi a0, a1, -16", UInt32(0xffff_ffff), 0xffff_fff0),
    ("slli a0, a1, 31", UInt32(3), 0x8000_0000),
    ("srli a0, a1, 31", UInt32(0x8000_0000), 1),
    ("srai a0, a1, 31", UInt32(0x8000_0000), 0xffff_ffff),
    ("srai a0, a1, 0", UInt32(0x8000_0001), 0x8000_0001),
])
func immediateInstruction(_ instruction: String, _ input: UInt32, _ expected: UInt32) throws {
    #expect(try resultOf("  li a1, \(input)\n  \(instruction)") == expected)
}

@Test func loadsSignAndZeroExtend() throws {
    let prefix = """
          la a1, value
        """
    let data = "\n.data\nvalue: .byte 0x80, 0xff, 0x00, 0x80, 0x7f\n.text\n"
    #expect(try resultOf(prefix + "\n  lb a0, 0(a1)" + data) == 0xffff_ff80)
    #expect(try resultOf(prefix + "\n  lbu a0, 0(a1)" + data) == 0x80)
    #expect(try resultOf(prefix + "\n  lh a0, 2(a1)" + data) == 0xffff_8000)
    #expect(try resultOf(prefix + "\n  lhu a0, 2(a1)" + data) == 0x8000)
    #expect(try resultOf(prefix + "\n  lw a0, 0(a1)" + data) == 0x8000_ff80)
    // Misaligned word load, done byte by byte.
    #expect(try resultOf(prefix + "\n  lw a0, 1(a1)" + data) == 0x7f80_00ff)
}

@Test func storesOfEveryWidthAndMisalignedAcrossPages() throws {
    let result = try resultOf("""
          li a1, 0x00200ffe
          li a2, 0x11223344
          sw a2, 0(a1)         # straddles two pages
          lw a3, 0(a1)
          bne a2, a3, fail
          lbu a4, 2(a1)        # first byte of the second page
          li a5, 0x22
          bne a4, a5, fail
          sb a2, 0(a1)
          sh a2, 4(a1)
          lhu a0, 4(a1)
          lbu a6, 0(a1)
          add a0, a0, a6
          j done
        fail:
          li a0, 0
        done:
        """)
    #expect(result == 0x3344 + 0x44)
}

@Test(arguments: [
    ("beq", UInt32(5), UInt32(5), true), ("beq", 5, 6, false),
    ("bne", 5, 6, true), ("bne", 5, 5, false),
    ("blt", 0xffff_ffff, 0, true), ("blt", 0, 0xffff_ffff, false),
    ("bge", 0, 0xffff_ffff, true), ("bge", 0xffff_ffff, 0, false), ("bge", 3, 3, true),
    ("bltu", 0, 0xffff_ffff, true), ("bltu", 0xffff_ffff, 0, false),
    ("bgeu", 0xffff_ffff, 0, true), ("bgeu", 0, 0xffff_ffff, false),
])
func branch(_ mnemonic: String, _ left: UInt32, _ right: UInt32, _ taken: Bool) throws {
    let result = try resultOf("""
          li a1, \(left)
          li a2, \(right)
          li a0, 0
          \(mnemonic) a1, a2, target
          j done
        target:
          li a0, 1
        done:
        """)
    #expect(result == (taken ? 1 : 0))
}

@Test func jumpsLinkAndJalrClearsTheLowBit() throws {
    let assembled = try Assembler.assemble("""
        _start:
          jal ra, first
        after_first:
          la t0, second
          addi t0, t0, 1       # odd target: jalr clears bit 0
          jalr s1, 0(t0)
        after_second:
          li a7, 93
          ecall
        first:
          mv s0, ra
          ret
        second:
          mv a0, s1
          jr s1
        """)
    let machine = try Machine(program: try assembled.program, input: [])
    machine.run(untilStep: 100)
    #expect(machine.status == .halted)
    #expect(machine.register(8) == assembled.symbols["after_first"])
    #expect(machine.exitCode == assembled.symbols["after_second"])
}

@Test func upperImmediates() throws {
    let assembled = try Assembler.assemble("""
        _start:
          lui a1, 0xfffff
          auipc a2, 0x1
          sub a0, a2, a1
          li a7, 93
          ecall
        """)
    let machine = try Machine(program: try assembled.program, input: [])
    machine.run(untilStep: 100)
    #expect(machine.exitCode == (assembled.textAddress + 4 + 0x1000) &- 0xffff_f000)
}

@Test func writesToX0AreDiscarded() throws {
    #expect(try resultOf("  li zero, 77\n  addi x0, x0, 5\n  lui x0, 1\n  mv a0, zero") == 0)
}

@Test func fencesAreNoOpsAndSelfModifyingCodeRunsTheNewInstruction() throws {
    let result = try resultOf("""
          li a0, 1
          fence
          fence rw, w
          fence.tso
          la t0, patched
          la t1, replacement
          lw t2, 0(t1)
          j patched            # run it once so it is predecoded
        back:
          sw t2, 0(t0)         # overwrite with "addi a0, a0, 100"
          fence.i
          li t3, 1
        patched:
          addi a0, a0, 10
          beqz t3, back
          j done
        replacement:
          addi a0, a0, 100
        done:
        """)
    #expect(result == 1 + 10 + 100)
}

@Test func referenceModelAgreesOnRandomOperands() throws {
    var random = SeededGenerator(seed: 0x5eed)
    let operations: [(String, (UInt32, UInt32) -> UInt32)] = [
        ("mulh", { UInt32(truncatingIfNeeded: (Int64(Int32(bitPattern: $0)) * Int64(Int32(bitPattern: $1))) >> 32) }),
        ("mulhsu", { UInt32(truncatingIfNeeded: (Int64(Int32(bitPattern: $0)) * Int64($1)) >> 32) }),
        ("mulhu", { $0.multipliedFullWidth(by: $1).high }),
        ("div", { $1 == 0 ? UInt32.max : UInt32(bitPattern: Int32(bitPattern: $0).dividedReportingOverflow(by: Int32(bitPattern: $1)).partialValue) }),
        ("rem", { $1 == 0 ? $0 : UInt32(bitPattern: Int32(bitPattern: $0).remainderReportingOverflow(dividingBy: Int32(bitPattern: $1)).partialValue) }),
        ("sra", { UInt32(bitPattern: Int32(bitPattern: $0) >> Int32($1 % 32)) }),
    ]
    for (mnemonic, reference) in operations {
        for _ in 0..<8 {
            let left = UInt32(truncatingIfNeeded: random.next())
            let right = random.next() % 4 == 0 ? UInt32(truncatingIfNeeded: random.next() % 3) : UInt32(truncatingIfNeeded: random.next())
            let result = try resultOf("  li a1, \(left)\n  li a2, \(right)\n  \(mnemonic) a0, a1, a2")
            #expect(result == reference(left, right), "\(mnemonic) \(left) \(right)")
        }
    }
}
