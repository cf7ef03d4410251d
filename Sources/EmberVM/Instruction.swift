/// Every operation the machine knows, one case per RV32IM instruction.
///
/// `undecoded` marks an empty slot of the predecoded-instruction cache; `illegal` is any word that is
/// not a valid RV32IM instruction (including compressed encodings and CSR instructions, since the
/// machine has no CSRs).
enum Operation: UInt8, Sendable {
    case undecoded = 0
    case lui, auipc, jal, jalr
    case beq, bne, blt, bge, bltu, bgeu
    case lb, lh, lw, lbu, lhu, sb, sh, sw
    case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    case mul, mulh, mulhsu, mulhu, div, divu, rem, remu
    case fence, fenceI, ecall, ebreak
    case illegal
}

/// An instruction split into the fields execution needs, immediates already sign-extended.
///
/// Writes to x0 are sent to register 32, a sink nobody reads, so execution never has to test for x0.
struct DecodedInstruction: Sendable {
    var operation: Operation
    var rd: UInt8
    var rs1: UInt8
    var rs2: UInt8
    var immediate: UInt32

    static let undecoded = DecodedInstruction(operation: .undecoded, rd: 0, rs1: 0, rs2: 0, immediate: 0)

    /// The register index that receives writes to x0.
    static let sinkRegister: UInt8 = 32

    init(operation: Operation, rd: UInt8, rs1: UInt8, rs2: UInt8, immediate: UInt32) {
        self.operation = operation
        self.rd = rd
        self.rs1 = rs1
        self.rs2 = rs2
        self.immediate = immediate
    }

    /// Decodes one 32-bit instruction word; anything outside RV32IM becomes `illegal`.
    init(word: UInt32) {
        let opcode = word & 0x7f
        let rawRd = UInt8(truncatingIfNeeded: (word >> 7) & 0x1f)
        let funct3 = (word >> 12) & 0x7
        let rs1 = UInt8(truncatingIfNeeded: (word >> 15) & 0x1f)
        let rs2 = UInt8(truncatingIfNeeded: (word >> 20) & 0x1f)
        let funct7 = word >> 25
        let rd = rawRd == 0 ? Self.sinkRegister : rawRd
        let immediateI = UInt32(bitPattern: Int32(bitPattern: word) >> 20)
        let immediateS = UInt32(bitPattern: (Int32(bitPattern: word) >> 25) << 5) | ((word >> 7) & 0x1f)
        let immediateB = UInt32(bitPattern: (Int32(bitPattern: word) >> 31) << 12)
            | ((word << 4) & 0x800) | ((word >> 20) & 0x7e0) | ((word >> 7) & 0x1e)
        let immediateJ = UInt32(bitPattern: (Int32(bitPattern: word) >> 31) << 20)
            | (word & 0xf_f000) | ((word >> 9) & 0x800) | ((word >> 20) & 0x7fe)

        func make(_ operation: Operation, rd: UInt8 = 0, rs1: UInt8 = 0, rs2: UInt8 = 0, _ immediate: UInt32 = 0)
            -> DecodedInstruction
        {
            DecodedInstruction(operation: operation, rd: rd, rs1: rs1, rs2: rs2, immediate: immediate)
        }
        let illegal = make(.illegal, word)

        switch opcode {
        case 0x37: self = make(.lui, rd: rd, word & 0xffff_f000)
        case 0x17: self = make(.auipc, rd: rd, word & 0xffff_f000)
        case 0x6f: self = make(.jal, rd: rd, immediateJ)
        case 0x67:
            self = funct3 == 0 ? make(.jalr, rd: rd, rs1: rs1, immediateI) : illegal
        case 0x63:
            let branches: [Operation?] = [.beq, .bne, nil, nil, .blt, .bge, .bltu, .bgeu]
            if let operation = branches[Int(funct3)] {
                self = make(operation, rs1: rs1, rs2: rs2, immediateB)
            } else {
                self = illegal
            }
        case 0x03:
            let loads: [Operation?] = [.lb, .lh, .lw, nil, .lbu, .lhu, nil, nil]
            if let operation = loads[Int(funct3)] {
                self = make(operation, rd: rd, rs1: rs1, immediateI)
            } else {
                self = illegal
            }
        case 0x23:
            let stores: [Operation?] = [.sb, .sh, .sw, nil, nil, nil, nil, nil]
            if let operation = stores[Int(funct3)] {
                self = make(operation, rs1: rs1, rs2: rs2, immediateS)
            } else {
                self = illegal
            }
        case 0x13:
            let shamt = UInt32(rs2)
            switch funct3 {
            case 0: self = make(.addi, rd: rd, rs1: rs1, immediateI)
            case 2: self = make(.slti, rd: rd, rs1: rs1, immediateI)
            case 3: self = make(.sltiu, rd: rd, rs1: rs1, immediateI)
            case 4: self = make(.xori, rd: rd, rs1: rs1, immediateI)
            case 6: self = make(.ori, rd: rd, rs1: rs1, immediateI)
            case 7: self = make(.andi, rd: rd, rs1: rs1, immediateI)
            case 1: self = funct7 == 0 ? make(.slli, rd: rd, rs1: rs1, shamt) : illegal
            default:  // 5
                switch funct7 {
                case 0x00: self = make(.srli, rd: rd, rs1: rs1, shamt)
                case 0x20: self = make(.srai, rd: rd, rs1: rs1, shamt)
                default: self = illegal
                }
            }
        case 0x33:
            let operation: Operation?
            switch funct7 {
            case 0x00: operation = [.add, .sll, .slt, .sltu, .xor, .srl, .or, .and][Int(funct3)]
            case 0x20: operation = funct3 == 0 ? .sub : (funct3 == 5 ? .sra : nil)
            case 0x01: operation = [.mul, .mulh, .mulhsu, .mulhu, .div, .divu, .rem, .remu][Int(funct3)]
            default: operation = nil
            }
            if let operation {
                self = make(operation, rd: rd, rs1: rs1, rs2: rs2)
            } else {
                self = illegal
            }
        case 0x0f:
            // Every FENCE variant (any pred/succ/fm, reserved fields ignored as the spec asks) is a
            // no-op here, as is FENCE.I: stores already invalidate decoded instructions.
            switch funct3 {
            case 0: self = make(.fence)
            case 1: self = make(.fenceI)
            default: self = illegal
            }
        case 0x73:
            switch word {
            case 0x0000_0073: self = make(.ecall)
            case 0x0010_0073: self = make(.ebreak)
            default: self = illegal
            }
        default:
            self = illegal
        }
    }
}
