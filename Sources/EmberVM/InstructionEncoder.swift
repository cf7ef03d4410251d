/// Encodes one base RV32IM instruction (no pseudo-instructions) exactly as the GNU assembler does.
enum InstructionEncoder {
    enum Format {
        case register(funct3: UInt32, funct7: UInt32)
        case immediate(funct3: UInt32)
        case shift(funct3: UInt32, funct7: UInt32)
        case load(funct3: UInt32)
        case store(funct3: UInt32)
        case branch(funct3: UInt32)
        case upper(opcode: UInt32)
        case jal
        case jalr
        case fence
        case fixed(UInt32)
    }

    static let formats: [String: Format] = [
        "add": .register(funct3: 0, funct7: 0x00), "sub": .register(funct3: 0, funct7: 0x20),
        "sll": .register(funct3: 1, funct7: 0x00), "slt": .register(funct3: 2, funct7: 0x00),
        "sltu": .register(funct3: 3, funct7: 0x00), "xor": .register(funct3: 4, funct7: 0x00),
        "srl": .register(funct3: 5, funct7: 0x00), "sra": .register(funct3: 5, funct7: 0x20),
        "or": .register(funct3: 6, funct7: 0x00), "and": .register(funct3: 7, funct7: 0x00),
        "mul": .register(funct3: 0, funct7: 0x01), "mulh": .register(funct3: 1, funct7: 0x01),
        "mulhsu": .register(funct3: 2, funct7: 0x01), "mulhu": .register(funct3: 3, funct7: 0x01),
        "div": .register(funct3: 4, funct7: 0x01), "divu": .register(funct3: 5, funct7: 0x01),
        "rem": .register(funct3: 6, funct7: 0x01), "remu": .register(funct3: 7, funct7: 0x01),
        "addi": .immediate(funct3: 0), "slti": .immediate(funct3: 2), "sltiu": .immediate(funct3: 3),
        "xori": .immediate(funct3: 4), "ori": .immediate(funct3: 6), "andi": .immediate(funct3: 7),
        "slli": .shift(funct3: 1, funct7: 0x00), "srli": .shift(funct3: 5, funct7: 0x00),
        "srai": .shift(funct3: 5, funct7: 0x20),
        "lb": .load(funct3: 0), "lh": .load(funct3: 1), "lw": .load(funct3: 2), "lbu": .load(funct3: 4),
        "lhu": .load(funct3: 5),
        "sb": .store(funct3: 0), "sh": .store(funct3: 1), "sw": .store(funct3: 2),
        "beq": .branch(funct3: 0), "bne": .branch(funct3: 1), "blt": .branch(funct3: 4),
        "bge": .branch(funct3: 5), "bltu": .branch(funct3: 6), "bgeu": .branch(funct3: 7),
        "lui": .upper(opcode: 0x37), "auipc": .upper(opcode: 0x17),
        "jal": .jal, "jalr": .jalr,
        "fence": .fence, "fence.i": .fixed(0x0000_100f), "fence.tso": .fixed(0x8330_000f),
        "ecall": .fixed(0x0000_0073), "ebreak": .fixed(0x0010_0073),
    ]

    /// Encodes `mnemonic` with operands already in base form (pseudo-instructions expanded).
    static func encode(
        _ mnemonic: String, _ operands: [AssemblyOperand], context: ExpressionContext
    ) throws(AssemblyError) -> UInt32 {
        let line = context.line
        guard let format = formats[mnemonic] else {
            throw AssemblyError(line: line, message: "unknown instruction '\(mnemonic)'")
        }
        func fail(_ message: String) -> AssemblyError {
            AssemblyError(line: line, message: "\(mnemonic): \(message)")
        }
        func expectCount(_ count: Int, _ shape: String) throws(AssemblyError) {
            guard operands.count == count else {
                throw fail("expects \(shape), found \(operands.count) operand\(operands.count == 1 ? "" : "s")")
            }
        }
        func register(_ index: Int) throws(AssemblyError) -> UInt32 {
            guard case .register(let number) = operands[index] else { throw fail("operand \(index + 1) must be a register") }
            return UInt32(number)
        }
        func value(_ index: Int) throws(AssemblyError) -> Int64 {
            guard case .expression(let expression) = operands[index] else {
                throw fail("operand \(index + 1) must be an immediate or label")
            }
            return try expression.evaluate(context)
        }
        func memory(_ index: Int) throws(AssemblyError) -> (offset: Int64, base: UInt32) {
            guard case .memory(let offset, let base) = operands[index] else {
                throw fail("operand \(index + 1) must be offset(register)")
            }
            return (try offset.evaluate(context), UInt32(base))
        }
        func signed12(_ value: Int64) throws(AssemblyError) -> UInt32 {
            guard (-2048...2047).contains(value) else { throw fail("immediate \(value) is outside -2048…2047") }
            return UInt32(truncatingIfNeeded: value) & 0xfff
        }
        func relative(_ target: Int64, bits: Int) throws(AssemblyError) -> UInt32 {
            let offset = target &- context.address
            let limit = Int64(1) << (bits - 1)
            guard offset & 1 == 0 else { throw fail("target offset \(offset) is odd") }
            guard (-limit..<limit).contains(offset) else {
                throw fail("target is \(offset) bytes away, outside ±\(limit)")
            }
            return UInt32(truncatingIfNeeded: offset)
        }

        switch format {
        case .register(let funct3, let funct7):
            try expectCount(3, "rd, rs1, rs2")
            return funct7 << 25 | (try register(2)) << 20 | (try register(1)) << 15 | funct3 << 12 | (try register(0)) << 7 | 0x33
        case .immediate(let funct3):
            try expectCount(3, "rd, rs1, immediate")
            return (try signed12(try value(2))) << 20 | (try register(1)) << 15 | funct3 << 12 | (try register(0)) << 7 | 0x13
        case .shift(let funct3, let funct7):
            try expectCount(3, "rd, rs1, shift amount")
            let amount = try value(2)
            guard (0...31).contains(amount) else { throw fail("shift amount \(amount) is outside 0…31") }
            return funct7 << 25 | UInt32(amount) << 20 | (try register(1)) << 15 | funct3 << 12 | (try register(0)) << 7 | 0x13
        case .load(let funct3):
            try expectCount(2, "rd, offset(rs1)")
            let (offset, base) = try memory(1)
            return (try signed12(offset)) << 20 | base << 15 | funct3 << 12 | (try register(0)) << 7 | 0x03
        case .store(let funct3):
            try expectCount(2, "rs2, offset(rs1)")
            let (offset, base) = try memory(1)
            let immediate = try signed12(offset)
            return (immediate >> 5) << 25 | (try register(0)) << 20 | base << 15 | funct3 << 12 | (immediate & 0x1f) << 7 | 0x23
        case .branch(let funct3):
            try expectCount(3, "rs1, rs2, target")
            let offset = try relative(try value(2), bits: 13)
            let encoded = (offset >> 12 & 1) << 31 | (offset >> 5 & 0x3f) << 25 | (offset >> 1 & 0xf) << 8 | (offset >> 11 & 1) << 7
            return encoded | (try register(1)) << 20 | (try register(0)) << 15 | funct3 << 12 | 0x63
        case .upper(let opcode):
            try expectCount(2, "rd, immediate")
            let immediate = try value(1)
            guard (0...0xf_ffff).contains(immediate) else { throw fail("immediate \(immediate) is outside 0…1048575") }
            return UInt32(immediate) << 12 | (try register(0)) << 7 | opcode
        case .jal:
            try expectCount(2, "rd, target")
            let offset = try relative(try value(1), bits: 21)
            let encoded = (offset >> 20 & 1) << 31 | (offset >> 1 & 0x3ff) << 21 | (offset >> 11 & 1) << 20 | (offset >> 12 & 0xff) << 12
            return encoded | (try register(0)) << 7 | 0x6f
        case .jalr:
            let rd: UInt32
            let base: UInt32
            let offset: Int64
            if operands.count == 2, case .register(let baseRegister) = operands[1] {
                (offset, base) = (0, UInt32(baseRegister))
                rd = try register(0)
            } else if operands.count == 2 {
                (offset, base) = try memory(1)
                rd = try register(0)
            } else {
                try expectCount(3, "rd, rs1, offset or rd, offset(rs1)")
                rd = try register(0)
                base = try register(1)
                offset = try value(2)
            }
            return (try signed12(offset)) << 20 | base << 15 | rd << 7 | 0x67
        case .fence:
            guard operands.count == 0 || operands.count == 2 else { throw fail("expects no operands or predecessor, successor") }
            var sets: [UInt32] = [0xf, 0xf]
            for index in operands.indices {
                guard case .expression(.symbol(let letters)) = operands[index], let set = fenceSet(letters) else {
                    throw fail("operand \(index + 1) must be a set of i, o, r, w")
                }
                sets[index] = set
            }
            return sets[0] << 24 | sets[1] << 20 | 0x0f
        case .fixed(let word):
            try expectCount(0, "no operands")
            return word
        }
    }

    /// `iorw` letters to FENCE bits (i = 8, o = 4, r = 2, w = 1); nil for anything else.
    static func fenceSet(_ letters: String) -> UInt32? {
        var bits: UInt32 = 0
        for letter in letters.lowercased() {
            switch letter {
            case "i": bits |= 8
            case "o": bits |= 4
            case "r": bits |= 2
            case "w": bits |= 1
            default: return nil
            }
        }
        return bits == 0 ? nil : bits
    }
}
