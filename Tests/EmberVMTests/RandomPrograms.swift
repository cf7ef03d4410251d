import EmberTestSupport
import EmberVM

/// Random RV32IM programs for property tests: every instruction kind, loads and stores around leaf
/// and page boundaries (aligned and not), forward branches, and now and then a trap or an output
/// length store that may exceed the limit.
enum RandomPrograms {
    static let scratchRegisters = ["t0", "t1", "t2", "a0", "a1", "a2", "a3", "a4", "a5", "s2", "s3", "zero"]

    static func source(using random: inout SeededGenerator, length: Int = 40) -> String {
        var lines = ["_start:", "  li s0, \(pickBase(&random))", "  li s1, 0x38000000"]
        for name in scratchRegisters.dropLast() { lines.append("  li \(name), \(UInt32(truncatingIfNeeded: random.next()))") }
        lines += body(using: &random, length: length, allowTraps: true)
        lines.append("  li a7, 93")
        lines.append("  ecall")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Bases near a leaf boundary, a page boundary, the ends of the program and stack windows (accesses
    /// there straddle or leave them now and then, and trap), the output length word and the bottom of memory.
    static func pickBase(_ random: inout SeededGenerator) -> String {
        let bases = ["0x00200ffe", "0x0020101d", "0x00201fe0", "0x00200ffe", "0x0020101d", "0x00201fe0", "0x0ffffffd",
                     "0x7ffffffd", "0x37fffffe", "0x40"]
        return bases[Int(random.next() % UInt64(bases.count))]
    }

    /// Random instructions labelled L0…L`length`; loads and stores go through s0. Without traps the
    /// body also leaves out the output area (s1) so it runs the same under Linux.
    static func body(using random: inout SeededGenerator, length: Int, allowTraps: Bool) -> [String] {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        func register() -> String { pick(scratchRegisters) }
        func immediate12() -> Int { Int(random.next() % 4096) - 2048 }
        var lines: [String] = []
        for index in 0..<length {
            lines.append("L\(index):")
            let target = "L\(min(index + 1 + Int(random.next() % 3), length))"
            switch random.next() % (allowTraps ? 20 : 18) {
            case 0...4:
                let op = pick(["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
                               "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"])
                lines.append("  \(op) \(register()), \(register()), \(register())")
            case 5...6:
                let op = pick(["addi", "slti", "sltiu", "xori", "ori", "andi"])
                lines.append("  \(op) \(register()), \(register()), \(immediate12())")
            case 7:
                lines.append("  \(pick(["slli", "srli", "srai"])) \(register()), \(register()), \(random.next() % 32)")
            case 8...10:
                lines.append("  \(pick(["lb", "lh", "lw", "lbu", "lhu"])) \(register()), \(Int(random.next() % 72) - 36)(s0)")
            case 11...13:
                lines.append("  \(pick(["sb", "sh", "sw"])) \(register()), \(Int(random.next() % 72) - 36)(s0)")
            case 14:
                lines.append("  \(pick(["lui", "auipc"])) \(register()), \(random.next() % 0x10_0000)")
            case 15...16:
                lines.append("  \(pick(["beq", "bne", "blt", "bge", "bltu", "bgeu"])) \(register()), \(register()), \(target)")
            case 17:
                lines.append("  jal \(register()), \(target)")
            case 18:
                // A small output length, or now and then one over the 1 MiB limit.
                let length = random.next() % 4 == 0 ? 0x10_0001 : random.next() % 64
                lines.append("  li a6, \(length)")
                lines.append("  \(pick(["sw", "sh", "sb"])) a6, \(pick([0, 1, 2]))(s1)")
            default:
                lines.append(pick(["  fence", "  fence.i", "  ebreak", "  .word 0", "  la a7, L\(index + 1)\n  jalr ra, 2(a7)",
                                   "  li a7, 64\n  ecall", "  mv a0, a0"]))
            }
        }
        lines.append("L\(length):")
        return lines
    }
}
