/// The result of assembling a source file: section contents at their addresses, and the symbols.
public struct AssembledProgram: Sendable {
    public let textAddress: UInt32
    public let text: [UInt8]
    public let dataAddress: UInt32
    public let data: [UInt8]
    public let entry: UInt32
    /// Named labels and their addresses.
    public let symbols: [String: UInt32]

    /// The program image to run: exactly what loading `elf()` gives (the ELF headers, mapped just
    /// below `.text` as loaders expect, are part of it), so an assembly file and the executable made
    /// from it run identically.
    public var program: Program {
        get throws(ProgramError) { try Program(elf: elf()) }
    }
}

/// Assembles RV32IM text into a program (sections `.text` and `.data`, labels, directives, the
/// common pseudo-instructions); base instructions are encoded as the GNU assembler encodes them.
///
/// `.text` is placed at 0x10000 and `.data` at the next 4 KiB boundary after it; the entry point is
/// the label `_start` if there is one, else the start of `.text`.
public enum Assembler {
    public static let textAddress: UInt32 = 0x0001_0000
    /// Bounds the work and memory a hostile source can demand.
    public static let maxSourceBytes = 16 << 20
    public static let maxSectionBytes = 64 << 20

    public static func assemble(_ source: String) throws(AssemblyError) -> AssembledProgram {
        guard source.utf8.count <= maxSourceBytes else {
            throw AssemblyError(line: 0, message: "source is \(source.utf8.count) bytes, over the \(maxSourceBytes)-byte limit")
        }
        var assembly = AssemblyRun()
        try assembly.firstPass(source)
        return try assembly.secondPass()
    }
}

/// The state of one assembly: statements laid out by the first pass, encoded by the second.
private struct AssemblyRun {
    enum Section: Int { case text = 0, data = 1 }

    enum Content {
        case instruction(String, [AssemblyOperand])
        case values([AssemblyExpression], width: Int)
        case bytes([UInt8])
        case padding(Int, nopFill: Bool)
    }

    struct Statement {
        var line: Int
        var section: Section
        var offset: Int
        var content: Content
    }

    enum Symbol {
        case label(Section, offset: Int)
        case constant(AssemblyExpression, line: Int)
    }

    var statements: [Statement] = []
    var symbols: [String: Symbol] = [:]
    /// Numeric labels: for each number, its definitions as (statement index, section, offset).
    var localLabels: [Int: [(statement: Int, section: Section, offset: Int)]] = [:]
    /// `auipc` statements with a `%pcrel_hi` operand, by section and offset, for `%pcrel_lo`.
    var pcrelHighs: [Int: (statement: Int, target: AssemblyExpression)] = [:]
    var sizes = [0, 0]
    var sectionBases = [0, 0]

    // MARK: First pass: parse, expand and lay out.

    mutating func firstPass(_ source: String) throws(AssemblyError) {
        var section = Section.text
        var lineNumber = 0
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = try AssemblyLexer.splitLine(rawLine, number: lineNumber)
            for label in line.labels {
                if let number = Int(label) {
                    localLabels[number, default: []].append((statements.count, section, sizes[section.rawValue]))
                } else {
                    guard symbols[label] == nil else { throw AssemblyError(line: lineNumber, message: "label '\(label)' is defined twice") }
                    symbols[label] = .label(section, offset: sizes[section.rawValue])
                }
            }
            guard let mnemonic = line.mnemonic else { continue }
            if mnemonic.hasPrefix(".") {
                try directive(mnemonic, line.operands, line: lineNumber, section: &section)
            } else {
                try instruction(mnemonic, line.operands, line: lineNumber, section: section)
            }
        }
    }

    mutating func append(_ content: Content, size: Int, line: Int, section: Section) throws(AssemblyError) {
        statements.append(Statement(line: line, section: section, offset: sizes[section.rawValue], content: content))
        sizes[section.rawValue] += size
        guard sizes[section.rawValue] <= Assembler.maxSectionBytes else {
            throw AssemblyError(line: line, message: "section grows past \(Assembler.maxSectionBytes) bytes")
        }
    }

    mutating func instruction(_ mnemonic: String, _ rawOperands: [String], line: Int, section: Section) throws(AssemblyError) {
        guard section == .text else {
            throw AssemblyError(line: line, message: "instruction '\(mnemonic)' outside .text")
        }
        var operands: [AssemblyOperand] = []
        for raw in rawOperands { operands.append(try AssemblyLexer.parseOperand(raw, line: line)) }
        let expansion = try PseudoInstructions.expand(mnemonic, operands, line: line) { constantValue($0) }
            ?? [(mnemonic, operands)]
        for (base, baseOperands) in expansion {
            guard InstructionEncoder.formats[base] != nil else {
                throw AssemblyError(line: line, message: "unknown instruction '\(mnemonic)'")
            }
            if base == "auipc", baseOperands.count == 2, case .expression(let expression) = baseOperands[1],
                case .relocation(.pcrelHi, let target) = expression
            {
                pcrelHighs[sizes[Section.text.rawValue]] = (statements.count, target)
            }
            try append(.instruction(base, baseOperands), size: 4, line: line, section: section)
        }
    }

    mutating func directive(_ name: String, _ operands: [String], line: Int, section: inout Section) throws(AssemblyError) {
        func expressions() throws(AssemblyError) -> [AssemblyExpression] {
            var result: [AssemblyExpression] = []
            for operand in operands { result.append(try ExpressionParser.parse(operand, line: line)) }
            return result
        }
        func constantOperand(_ index: Int) throws(AssemblyError) -> Int64 {
            guard index < operands.count else { throw AssemblyError(line: line, message: "\(name) needs operand \(index + 1)") }
            let expression = try ExpressionParser.parse(operands[index], line: line)
            guard let value = constantValue(expression) else {
                throw AssemblyError(line: line, message: "\(name) needs a constant, found '\(operands[index])'")
            }
            return value
        }
        func align(_ boundary: Int64) throws(AssemblyError) {
            guard boundary > 0, boundary <= 1 << 16, boundary & (boundary - 1) == 0 else {
                throw AssemblyError(line: line, message: "alignment \(boundary) is not a power of two up to 65536")
            }
            let offset = sizes[section.rawValue]
            let padding = (Int(boundary) - offset % Int(boundary)) % Int(boundary)
            if padding > 0 {
                try append(.padding(padding, nopFill: section == .text), size: padding, line: line, section: section)
            }
        }

        switch name {
        case ".text": section = .text
        case ".data", ".rodata", ".bss", ".sdata", ".sbss": section = .data
        case ".section":
            guard let target = operands.first else { throw AssemblyError(line: line, message: ".section needs a name") }
            section = target.hasPrefix(".text") ? .text : .data
        case ".globl", ".global", ".local", ".type", ".size", ".file", ".option", ".ident", ".attribute", ".p2alignw":
            break
        case ".word", ".4byte", ".long":
            let values = try expressions()
            try append(.values(values, width: 4), size: 4 * values.count, line: line, section: section)
        case ".half", ".short", ".2byte":
            let values = try expressions()
            try append(.values(values, width: 2), size: 2 * values.count, line: line, section: section)
        case ".byte":
            let values = try expressions()
            try append(.values(values, width: 1), size: values.count, line: line, section: section)
        case ".ascii", ".asciz", ".string":
            var bytes: [UInt8] = []
            for operand in operands {
                bytes += try AssemblyLexer.stringLiteral(operand, line: line)
                if name != ".ascii" { bytes.append(0) }
            }
            try append(.bytes(bytes), size: bytes.count, line: line, section: section)
        case ".align", ".p2align":
            let power = try constantOperand(0)
            guard (0...16).contains(power) else { throw AssemblyError(line: line, message: "\(name) \(power) is outside 0…16") }
            try align(1 << power)
        case ".balign":
            try align(try constantOperand(0))
        case ".zero", ".space", ".skip":
            let count = try constantOperand(0)
            let fill = operands.count > 1 ? try constantOperand(1) : 0
            guard (0...Int64(Assembler.maxSectionBytes)).contains(count) else {
                throw AssemblyError(line: line, message: "\(name) count \(count) is out of range")
            }
            try append(.bytes(Array(repeating: UInt8(truncatingIfNeeded: fill), count: Int(count))), size: Int(count), line: line, section: section)
        case ".equ", ".set":
            guard operands.count == 2, operands[0].allSatisfy(ExpressionParser.isSymbolCharacter), !operands[0].isEmpty else {
                throw AssemblyError(line: line, message: "\(name) expects name, value")
            }
            guard symbols[operands[0]] == nil else {
                throw AssemblyError(line: line, message: "symbol '\(operands[0])' is defined twice")
            }
            symbols[operands[0]] = .constant(try ExpressionParser.parse(operands[1], line: line), line: line)
        default:
            throw AssemblyError(line: line, message: "unknown directive '\(name)'")
        }
    }

    /// The value of an expression made only of numbers and `.equ` constants, else nil.
    func constantValue(_ expression: AssemblyExpression) -> Int64? {
        let context = ExpressionContext(
            address: 0,
            symbol: { name throws(AssemblyError) in
                guard case .constant(let value, let line)? = symbols[name] else {
                    throw AssemblyError(line: 0, message: "not constant")
                }
                guard let result = constantValue(value) else { throw AssemblyError(line: line, message: "not constant") }
                return result
            },
            localLabel: { _, _ throws(AssemblyError) in throw AssemblyError(line: 0, message: "not constant") },
            pcrelHiTarget: { _ throws(AssemblyError) in throw AssemblyError(line: 0, message: "not constant") },
            line: 0
        )
        if containsAddress(expression) { return nil }
        return try? expression.evaluate(context)
    }

    private func containsAddress(_ expression: AssemblyExpression, depth: Int = 0) -> Bool {
        guard depth < 64 else { return true }
        switch expression {
        case .number: return false
        case .currentAddress, .localLabel, .relocation: return true
        case .symbol(let name):
            guard case .constant(let value, _)? = symbols[name] else { return true }
            return containsAddress(value, depth: depth + 1)
        case .unary(_, let operand): return containsAddress(operand, depth: depth + 1)
        case .binary(_, let left, let right):
            return containsAddress(left, depth: depth + 1) || containsAddress(right, depth: depth + 1)
        }
    }

    // MARK: Second pass: place sections and encode.

    mutating func secondPass() throws(AssemblyError) -> AssembledProgram {
        let textBase = Int(Assembler.textAddress)
        let pageSize = MachineLayout.pageSize
        let dataBase = (textBase + sizes[0] + pageSize - 1) / pageSize * pageSize
        sectionBases = [textBase, dataBase]
        var output: [[UInt8]] = [[], []]
        output[0].reserveCapacity(sizes[0])
        output[1].reserveCapacity(sizes[1])
        for index in statements.indices {
            let statement = statements[index]
            let context = context(forStatement: index)
            switch statement.content {
            case .instruction(let mnemonic, let operands):
                let word = try InstructionEncoder.encode(mnemonic, operands, context: context)
                output[statement.section.rawValue] += littleEndian(UInt64(word), width: 4)
            case .values(let expressions, let width):
                for expression in expressions {
                    let value = try expression.evaluate(context)
                    let limit = Int64(1) << (8 * width)
                    guard value >= -(limit / 2) && value < limit else {
                        throw AssemblyError(line: statement.line, message: "value \(value) does not fit in \(width) byte\(width == 1 ? "" : "s")")
                    }
                    output[statement.section.rawValue] += littleEndian(UInt64(bitPattern: value), width: width)
                }
            case .bytes(let bytes):
                output[statement.section.rawValue] += bytes
            case .padding(let count, let nopFill):
                var remaining = count
                while nopFill, remaining > 0, (statement.offset + count - remaining) % 4 != 0 {
                    output[statement.section.rawValue].append(0)
                    remaining -= 1
                }
                while nopFill, remaining >= 4 {
                    output[statement.section.rawValue] += [0x13, 0x00, 0x00, 0x00]
                    remaining -= 4
                }
                output[statement.section.rawValue] += Array(repeating: 0, count: remaining)
            }
        }
        var namedSymbols: [String: UInt32] = [:]
        for (name, symbol) in symbols {
            if case .label(let section, let offset) = symbol {
                namedSymbols[name] = UInt32(truncatingIfNeeded: sectionBases[section.rawValue] + offset)
            }
        }
        return AssembledProgram(
            textAddress: UInt32(textBase), text: output[0], dataAddress: UInt32(dataBase), data: output[1],
            entry: namedSymbols["_start"] ?? UInt32(textBase), symbols: namedSymbols
        )
    }

    func littleEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    func address(_ section: Section, _ offset: Int) -> Int64 {
        Int64(sectionBases[section.rawValue] + offset)
    }

    /// How names resolve for the statement at `index` (its address, and which numeric labels are
    /// "before" and "after" it).
    func context(forStatement index: Int) -> ExpressionContext {
        let statement = statements[index]
        let line = statement.line
        return ExpressionContext(
            address: address(statement.section, statement.offset),
            symbol: { name throws(AssemblyError) in try symbolValue(name, line: line, depth: 0) },
            localLabel: { number, forward throws(AssemblyError) in
                let definitions = localLabels[number] ?? []
                let found = forward
                    ? definitions.first(where: { $0.statement > index })
                    : definitions.last(where: { $0.statement <= index })
                guard let found else {
                    throw AssemblyError(line: line, message: "no label \(number) \(forward ? "after" : "before") this line")
                }
                return address(found.section, found.offset)
            },
            pcrelHiTarget: { auipcAddress throws(AssemblyError) in
                let offset = Int(auipcAddress) - sectionBases[Section.text.rawValue]
                guard let high = pcrelHighs[offset] else {
                    throw AssemblyError(line: line, message: "%pcrel_lo must name the label of an auipc with %pcrel_hi")
                }
                return try high.target.evaluate(context(forStatement: high.statement))
            },
            line: line
        )
    }

    func symbolValue(_ name: String, line: Int, depth: Int) throws(AssemblyError) -> Int64 {
        guard depth < 64 else { throw AssemblyError(line: line, message: "symbol '\(name)' is defined in terms of itself") }
        switch symbols[name] {
        case .label(let section, let offset)?: return address(section, offset)
        case .constant(let expression, let definitionLine)?:
            var context = context(forConstantAt: definitionLine)
            context.symbol = { inner throws(AssemblyError) in try symbolValue(inner, line: line, depth: depth + 1) }
            return try expression.evaluate(context)
        case nil:
            throw AssemblyError(line: line, message: "undefined symbol '\(name)'")
        }
    }

    func context(forConstantAt line: Int) -> ExpressionContext {
        ExpressionContext(
            address: 0,
            symbol: { name throws(AssemblyError) in throw AssemblyError(line: line, message: "undefined symbol '\(name)'") },
            localLabel: { _, _ throws(AssemblyError) in throw AssemblyError(line: line, message: "local labels cannot be used in .equ") },
            pcrelHiTarget: { _ throws(AssemblyError) in throw AssemblyError(line: line, message: "%pcrel_lo cannot be used in .equ") },
            line: line
        )
    }
}
