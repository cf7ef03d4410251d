/// The assembler's pseudo-instructions and the base instructions each expands to (docs/vm.md lists
/// them too). Expansions follow the GNU assembler's choices for RV32 without relaxation.
enum PseudoInstructions {
    typealias Expansion = [(mnemonic: String, operands: [AssemblyOperand])]

    private static let zero = AssemblyOperand.register(0)
    private static let returnAddress = AssemblyOperand.register(1)
    private static let temporary1 = AssemblyOperand.register(6)

    /// `%pcrel_lo` of the `auipc` just before the current instruction.
    private static let previousAuipcLo = AssemblyOperand.expression(
        .relocation(.pcrelLo, .binary("-", .currentAddress, .number(4)))
    )

    /// Expands `mnemonic` if it is a pseudo-instruction (or a short form of a base one); nil otherwise.
    ///
    /// `constant` evaluates an expression that is already known in the first pass (numbers and
    /// `.equ` constants defined above), which decides how long `li` is.
    static func expand(
        _ mnemonic: String, _ operands: [AssemblyOperand], line: Int,
        constant: (AssemblyExpression) -> Int64?
    ) throws(AssemblyError) -> Expansion? {
        func fail(_ message: String) -> AssemblyError {
            AssemblyError(line: line, message: "\(mnemonic): \(message)")
        }
        func expect(_ count: Int, _ shape: String) throws(AssemblyError) {
            guard operands.count == count else { throw fail("expects \(shape), found \(operands.count) operands") }
        }
        func register(_ index: Int) throws(AssemblyError) -> AssemblyOperand {
            guard case .register = operands[index] else { throw fail("operand \(index + 1) must be a register") }
            return operands[index]
        }
        func expression(_ index: Int) throws(AssemblyError) -> AssemblyExpression {
            guard case .expression(let expression) = operands[index] else {
                throw fail("operand \(index + 1) must be an immediate or label")
            }
            return expression
        }
        /// `op rd, rs` forms: (base mnemonic, operands built from rd and rs).
        func unary(_ base: String, _ build: (AssemblyOperand, AssemblyOperand) -> [AssemblyOperand]) throws(AssemblyError) -> Expansion {
            try expect(2, "rd, rs")
            return [(base, build(try register(0), try register(1)))]
        }
        /// Branches against zero: (base mnemonic, whether rs goes second).
        func branchZero(_ base: String, registerFirst: Bool) throws(AssemblyError) -> Expansion {
            try expect(2, "rs, target")
            let rs = try register(0)
            let target = AssemblyOperand.expression(try expression(1))
            return [(base, registerFirst ? [rs, zero, target] : [zero, rs, target])]
        }
        func branchSwapped(_ base: String) throws(AssemblyError) -> Expansion {
            try expect(3, "rs, rt, target")
            return [(base, [try register(1), try register(0), .expression(try expression(2))])]
        }
        func pcRelativePair(_ second: String, _ high: AssemblyOperand, _ link: AssemblyOperand, target: AssemblyExpression) -> Expansion {
            [("auipc", [high, .expression(.relocation(.pcrelHi, target))]), (second, [link, high, previousAuipcLo])]
        }

        switch mnemonic {
        case "nop":
            try expect(0, "no operands")
            return [("addi", [zero, zero, .expression(.number(0))])]
        case "li":
            try expect(2, "rd, immediate")
            let rd = try register(0)
            let value = try expression(1)
            guard let known = constant(value) else {
                return [("lui", [rd, .expression(.relocation(.hi, value))]), ("addi", [rd, rd, .expression(.relocation(.lo, value))])]
            }
            guard (-(1 << 31)...0xffff_ffff).contains(known) else { throw fail("value \(known) does not fit in 32 bits") }
            let word = Int64(Int32(truncatingIfNeeded: known))
            if (-2048...2047).contains(word) { return [("addi", [rd, zero, .expression(.number(word))])] }
            let high = AssemblyExpression.hiPart(word)
            let low = AssemblyExpression.loPart(word)
            var expansion: Expansion = [("lui", [rd, .expression(.number(high))])]
            if low != 0 { expansion.append(("addi", [rd, rd, .expression(.number(low))])) }
            return expansion
        case "la", "lla":
            try expect(2, "rd, symbol")
            let rd = try register(0)
            return pcRelativePair("addi", rd, rd, target: try expression(1))
        case "call":
            try expect(1, "target")
            return pcRelativePair("jalr", returnAddress, returnAddress, target: try expression(0))
        case "tail":
            try expect(1, "target")
            return pcRelativePair("jalr", temporary1, zero, target: try expression(0))
        case "mv": return try unary("addi") { [$0, $1, .expression(.number(0))] }
        case "not": return try unary("xori") { [$0, $1, .expression(.number(-1))] }
        case "neg": return try unary("sub") { [$0, zero, $1] }
        case "seqz": return try unary("sltiu") { [$0, $1, .expression(.number(1))] }
        case "snez": return try unary("sltu") { [$0, zero, $1] }
        case "sltz": return try unary("slt") { [$0, $1, zero] }
        case "sgtz": return try unary("slt") { [$0, zero, $1] }
        case "beqz": return try branchZero("beq", registerFirst: true)
        case "bnez": return try branchZero("bne", registerFirst: true)
        case "bgez": return try branchZero("bge", registerFirst: true)
        case "bltz": return try branchZero("blt", registerFirst: true)
        case "blez": return try branchZero("bge", registerFirst: false)
        case "bgtz": return try branchZero("blt", registerFirst: false)
        case "bgt": return try branchSwapped("blt")
        case "ble": return try branchSwapped("bge")
        case "bgtu": return try branchSwapped("bltu")
        case "bleu": return try branchSwapped("bgeu")
        case "j":
            try expect(1, "target")
            return [("jal", [zero, .expression(try expression(0))])]
        case "jal" where operands.count == 1:
            return [("jal", [returnAddress, .expression(try expression(0))])]
        case "jr":
            try expect(1, "rs")
            return [("jalr", [zero, .memory(offset: .number(0), base: try baseRegister(0))])]
        case "jalr" where operands.count == 1:
            return [("jalr", [returnAddress, .memory(offset: .number(0), base: try baseRegister(0))])]
        case "ret":
            try expect(0, "no operands")
            return [("jalr", [zero, .memory(offset: .number(0), base: 1)])]
        default:
            return nil
        }

        func baseRegister(_ index: Int) throws(AssemblyError) -> UInt8 {
            guard case .register(let number) = operands[index] else { throw fail("operand \(index + 1) must be a register") }
            return number
        }
    }
}
