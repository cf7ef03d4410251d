import EmberVM
import Foundation
import Testing

/// A source file that uses every base RV32I and M instruction, with edge immediates and a spread of
/// registers, branching both ways over distances near the encodable limits.
func everyInstructionSource() -> String {
    let registers = ["zero", "ra", "sp", "t0", "a0", "a5", "s11", "t6", "x17", "x31"]
    var lines = [".text", "_start:", "back_far:"]
    func pick(_ index: Int) -> String { registers[index % registers.count] }
    var counter = 0
    func next() -> Int {
        counter += 1
        return counter
    }
    for mnemonic in ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
                     "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"] {
        for _ in 0..<3 { lines.append("  \(mnemonic) \(pick(next())), \(pick(next() * 3)), \(pick(next() * 7))") }
    }
    for mnemonic in ["addi", "slti", "sltiu", "xori", "ori", "andi"] {
        for immediate in [-2048, -1, 0, 1, 0x7ff, 1234] { lines.append("  \(mnemonic) \(pick(next())), \(pick(next())), \(immediate)") }
    }
    for mnemonic in ["slli", "srli", "srai"] {
        for amount in [0, 1, 17, 31] { lines.append("  \(mnemonic) \(pick(next())), \(pick(next())), \(amount)") }
    }
    for mnemonic in ["lb", "lh", "lw", "lbu", "lhu"] {
        for offset in [-2048, -1, 0, 2047] { lines.append("  \(mnemonic) \(pick(next())), \(offset)(\(pick(next())))") }
        lines.append("  \(mnemonic) \(pick(next())), (\(pick(next())))")
    }
    for mnemonic in ["sb", "sh", "sw"] {
        for offset in [-2048, -33, -1, 0, 31, 32, 2047] { lines.append("  \(mnemonic) \(pick(next())), \(offset)(\(pick(next())))") }
    }
    for immediate in [0, 1, 0x800, 0xfffff, 0x12345] {
        lines.append("  lui \(pick(next())), \(immediate)")
        lines.append("  auipc \(pick(next())), \(immediate)")
    }
    for mnemonic in ["beq", "bne", "blt", "bge", "bltu", "bgeu"] {
        lines.append("back_\(mnemonic):")
        lines.append("  \(mnemonic) \(pick(next())), \(pick(next())), back_\(mnemonic)")
        lines.append("  \(mnemonic) \(pick(next())), \(pick(next())), forward_near")
        lines.append("  \(mnemonic) \(pick(next())), \(pick(next())), forward_far")
    }
    lines.append("  jal ra, back_far")
    lines.append("  jal zero, forward_far")
    lines.append("  jal t0, forward_near")
    for offset in [-2048, 0, 4, 2047] { lines.append("  jalr \(pick(next())), \(offset)(\(pick(next())))") }
    lines.append("  jalr a0, a1, -4")
    lines += ["  fence", "  fence rw, rw", "  fence i, o", "  fence iorw, w", "  fence.tso", "  fence.i", "  ecall", "  ebreak"]
    lines.append("forward_near:")
    lines.append("  .zero 3800")
    lines.append("  add a0, a0, a0")
    lines.append("forward_far:")
    lines.append("  ebreak")
    return lines.joined(separator: "\n") + "\n"
}

@Test func encodingsMatchTheGNUAssembler() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-vm-gas-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = everyInstructionSource()
    let sourceFile = folder.appendingPathComponent("all.s").path
    let objectFile = folder.appendingPathComponent("all.o").path
    let binaryFile = folder.appendingPathComponent("all.bin").path
    try source.write(toFile: sourceFile, atomically: true, encoding: .utf8)

    // Binutils 2.40 moved fence.i to Zifencei; older ones reject that name, so try both.
    var messages: [String] = []
    for march in ["rv32im", "rv32im_zifencei"] where messages.count < 2 {
        let arguments = ["-march=\(march)", "-mabi=ilp32", "-mno-relax", "-o", objectFile, sourceFile]
        let result = try #require(try runTool("riscv64-unknown-elf-as", arguments), "riscv64-unknown-elf-as is not installed")
        if result.status == 0 { break }
        messages.append(result.output)
    }
    if messages.count == 2 { Issue.record("GNU as rejected the test source: \(messages)") }
    try #require(messages.count < 2)
    let copy = try #require(try runTool("riscv64-unknown-elf-objcopy", ["-O", "binary", "-j", ".text", objectFile, binaryFile]))
    #expect(copy.status == 0, "\(copy.output)")
    let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: binaryFile)))
    #expect(expected.count > 4000, "GNU output is unexpectedly short")
    let ours = try Assembler.assemble(source).text
    #expect(ours.count == expected.count)
    let sourceLines = source.split(separator: "\n").filter { !$0.hasSuffix(":") && !$0.contains(".zero") && $0 != ".text" }
    for word in 0..<min(ours.count, expected.count) / 4 where ours[4 * word..<4 * word + 4] != expected[4 * word..<4 * word + 4] {
        let line = word < sourceLines.count ? String(sourceLines[word]) : "?"
        Issue.record("word \(word) (\(line)): ours \(ours[4 * word..<4 * word + 4].hexString), GNU \(expected[4 * word..<4 * word + 4].hexString)")
    }
}

@Test func pseudoInstructionsExpandAsDocumented() throws {
    let program = try Assembler.assemble("""
        _start:
          li a0, 5
          li a0, 0x12345678
          li a0, 0x7ffff800
          li a0, -2049
          li a0, 0x1000
          mv a1, a2
          not a1, a2
          neg a1, a2
          nop
          ret
        """)
    let expected: [UInt32] = [
        0x0050_0513,  // addi a0, zero, 5
        0x1234_5537, 0x6785_0513,  // lui a0, 0x12345; addi a0, a0, 0x678
        0x8000_0537, 0x8005_0513,  // lui a0, 0x80000; addi a0, a0, -2048
        0xffff_f537, 0x7ff5_0513,  // lui a0, 0xfffff; addi a0, a0, 2047
        0x0000_1537,  // lui a0, 1 (low part zero: no addi)
        0x0006_0593,  // addi a1, a2, 0
        0xfff6_4593,  // xori a1, a2, -1
        0x40c0_05b3,  // sub a1, zero, a2
        0x0000_0013,  // addi zero, zero, 0
        0x0000_8067,  // jalr zero, 0(ra)
    ]
    let words = stride(from: 0, to: program.text.count, by: 4).map { offset in
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(program.text[offset + $1]) << (8 * $1) }
    }
    #expect(words == expected)
}

@Test func laAndCallReachTheirTargets() throws {
    let machine = try runAssembly("""
        _start:
          la a0, message
          lbu a1, 0(a0)
          call function
          add a0, a1, a2
          li a7, 93
          ecall
        function:
          li a2, 1000
          ret
        .data
          .word 0
        message: .ascii "A"
        """)
    #expect(machine.exitCode == 65 + 1000)
}

@Test func localLabelsDirectivesAndConstants() throws {
    let assembled = try Assembler.assemble("""
        .equ COUNT, 3 << 2
        .set OTHER, COUNT + 1
        _start:
          li a0, 0
          li t0, COUNT
        1:
          addi a0, a0, 1
          addi t0, t0, -1
          bnez t0, 1b
          j 1f
          li a0, 0
        1:
          addi a0, a0, OTHER
          li a7, 93
          ecall
        .data
        bytes: .byte 1, 2, -1, 'A'
        .align 2
        half: .half 0x1234, -2
        .balign 8
        word: .word bytes, 0xffffffff
        text: .asciz "a\\tb\\n\\x41\\101"
        .zero 3
        """)
    let machine = try Machine(program: try assembled.program, input: [])
    machine.run(untilStep: 1000)
    #expect(machine.exitCode == 12 + 13)
    let data = assembled.data
    #expect(Array(data[0..<4]) == [1, 2, 0xff, 0x41])
    #expect(Array(data[4..<8]) == [0x34, 0x12, 0xfe, 0xff])
    #expect(assembled.symbols["word"].map { $0 % 8 } == 0)
    let bytesAddress = try #require(assembled.symbols["bytes"])
    #expect(Array(data[8..<12]) == (0..<4).map { UInt8(truncatingIfNeeded: bytesAddress >> (8 * $0)) })
    #expect(Array(data[16..<24]) == [0x61, 0x09, 0x62, 0x0a, 0x41, 0x41, 0x00, 0x00])
}

@Test(arguments: [
    ("  addi a0, a1, 2048", 1, "immediate 2048 is outside -2048…2047"),
    ("\n\n  frobnicate a0", 3, "unknown instruction 'frobnicate'"),
    ("  add a0, a1", 1, "add: expects rd, rs1, rs2, found 2 operands"),
    ("  lw a0, a1", 1, "lw: operand 2 must be offset(register)"),
    ("  j nowhere", 1, "undefined symbol 'nowhere'"),
    ("x:\nx:", 2, "label 'x' is defined twice"),
    ("  slli a0, a0, 32", 1, "slli: shift amount 32 is outside 0…31"),
    ("  .word 1, \"a\"", 1, "unexpected"),
    ("  .bogus 1", 1, "unknown directive '.bogus'"),
    ("  beq a0, a1, far\n  .zero 5000\nfar:", 1, "target is 5004 bytes away, outside ±4096"),
    ("  li a0, 0x100000000", 1, "does not fit in 32 bits"),
    ("  .ascii \"abc", 1, "unterminated string"),
    ("  addi a0, a0, " + String(repeating: "(", count: 70) + "1" + String(repeating: ")", count: 70), 1, "nested too deeply"),
])
func errorsPointAtTheLineAndSayWhatIsWrong(_ source: String, _ line: Int, _ message: String) {
    #expect {
        _ = try Assembler.assemble(source)
    } throws: { error in
        guard let error = error as? AssemblyError else { return false }
        return error.line == line && error.message.contains(message)
    }
}

@Test func writtenELFLoadsBackToTheSameProgram() throws {
    let assembled = try Assembler.assemble("_start:\n  li a0, 7\n  li a7, 93\n  ecall\n.data\nvalue: .word 42\n")
    let loaded = try Program(elf: assembled.elf())
    #expect(loaded == (try assembled.program))
}
