/// An assembler expression: numbers, symbols, `.`, local labels, operators and relocation functions.
indirect enum AssemblyExpression: Equatable, Sendable {
    case number(Int64)
    case symbol(String)
    /// `1b` / `1f`: the nearest numeric label `1` before or after the statement.
    case localLabel(Int, forward: Bool)
    case currentAddress
    case unary(Character, AssemblyExpression)
    case binary(String, AssemblyExpression, AssemblyExpression)
    /// `%hi(e)`, `%lo(e)`, `%pcrel_hi(e)`, `%pcrel_lo(label)`.
    case relocation(RelocationKind, AssemblyExpression)

    enum RelocationKind: String, Sendable {
        case hi, lo
        case pcrelHi = "pcrel_hi"
        case pcrelLo = "pcrel_lo"
    }

    /// Whether the expression uses a relocation function at its top.
    var relocationKind: RelocationKind? {
        if case .relocation(let kind, _) = self { return kind }
        return nil
    }
}

/// How an expression's names are resolved when it is evaluated.
struct ExpressionContext {
    var address: Int64
    var symbol: (String) throws(AssemblyError) -> Int64
    var localLabel: (Int, Bool) throws(AssemblyError) -> Int64
    /// The target of the `%pcrel_hi` at an `auipc` address, for `%pcrel_lo`.
    var pcrelHiTarget: (Int64) throws(AssemblyError) -> Int64
    var line: Int
}

extension AssemblyExpression {
    func evaluate(_ context: ExpressionContext) throws(AssemblyError) -> Int64 {
        switch self {
        case .number(let value): return value
        case .symbol(let name): return try context.symbol(name)
        case .localLabel(let number, let forward): return try context.localLabel(number, forward)
        case .currentAddress: return context.address
        case .unary(let op, let operand):
            let value = try operand.evaluate(context)
            return op == "-" ? 0 &- value : ~value
        case .binary(let op, let left, let right):
            let a = try left.evaluate(context)
            let b = try right.evaluate(context)
            switch op {
            case "+": return a &+ b
            case "-": return a &- b
            case "*": return a &* b
            case "/", "%":
                guard b != 0 else { throw AssemblyError(line: context.line, message: "division by zero in expression") }
                guard !(a == Int64.min && b == -1) else { throw AssemblyError(line: context.line, message: "overflow in expression") }
                return op == "/" ? a / b : a % b
            case "<<": return b >= 0 && b < 64 ? a << b : 0
            case ">>": return b >= 0 && b < 64 ? a >> b : (a < 0 ? -1 : 0)
            case "&": return a & b
            case "|": return a | b
            default: return a ^ b
            }
        case .relocation(let kind, let operand):
            switch kind {
            case .hi: return Self.hiPart(try operand.evaluate(context))
            case .lo: return Self.loPart(try operand.evaluate(context))
            case .pcrelHi: return Self.hiPart(try operand.evaluate(context) &- context.address)
            case .pcrelLo:
                let auipcAddress = try operand.evaluate(context)
                let target = try context.pcrelHiTarget(auipcAddress)
                return Self.loPart(target &- auipcAddress)
            }
        }
    }

    /// The upper 20 bits to load with `lui`/`auipc` so that adding `loPart` gives the value.
    static func hiPart(_ value: Int64) -> Int64 {
        ((value &+ 0x800) >> 12) & 0xf_ffff
    }

    /// The sign-extended low 12 bits.
    static func loPart(_ value: Int64) -> Int64 {
        (value << 52) >> 52
    }
}

/// Parses expression text with the usual C precedence (`|` `^` `&` `<<`/`>>` `+`/`-` `*`/`/`/`%`).
struct ExpressionParser {
    private let characters: [Character]
    private var position = 0
    private let line: Int

    static let maxDepth = 64  // bounds recursion on hostile input like "((((((…"

    init(_ text: String, line: Int) {
        characters = Array(text)
        self.line = line
    }

    static func parse(_ text: String, line: Int) throws(AssemblyError) -> AssemblyExpression {
        var parser = ExpressionParser(text, line: line)
        let expression = try parser.parseBinary(level: 0, depth: 0)
        parser.skipSpaces()
        guard parser.position == parser.characters.count else {
            throw AssemblyError(line: line, message: "unexpected '\(String(parser.characters[parser.position...]))' in expression '\(text)'")
        }
        return expression
    }

    private static let levels: [[String]] = [["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]]

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func parseBinary(level: Int, depth: Int) throws(AssemblyError) -> AssemblyExpression {
        guard depth < Self.maxDepth else { throw AssemblyError(line: line, message: "expression nested too deeply") }
        if level == Self.levels.count { return try parseUnary(depth: depth + 1) }
        var left = try parseBinary(level: level + 1, depth: depth + 1)
        while true {
            skipSpaces()
            guard let op = Self.levels[level].first(where: { matches($0) }) else { return left }
            position += op.count
            let right = try parseBinary(level: level + 1, depth: depth + 1)
            left = .binary(op, left, right)
        }
    }

    private func matches(_ op: String) -> Bool {
        let opCharacters = Array(op)
        guard position + opCharacters.count <= characters.count else { return false }
        return Array(characters[position..<position + opCharacters.count]) == opCharacters
    }

    private mutating func parseUnary(depth: Int) throws(AssemblyError) -> AssemblyExpression {
        guard depth < Self.maxDepth else { throw AssemblyError(line: line, message: "expression nested too deeply") }
        skipSpaces()
        guard position < characters.count else { throw AssemblyError(line: line, message: "expression expected") }
        let character = characters[position]
        if character == "-" || character == "~" {
            position += 1
            return .unary(character, try parseUnary(depth: depth + 1))
        }
        if character == "+" {
            position += 1
            return try parseUnary(depth: depth + 1)
        }
        if character == "(" {
            position += 1
            let inner = try parseBinary(level: 0, depth: depth + 1)
            try expect(")")
            return inner
        }
        if character == "%" {
            position += 1
            let name = readWord()
            guard let kind = AssemblyExpression.RelocationKind(rawValue: name) else {
                throw AssemblyError(line: line, message: "unknown relocation function '%\(name)' (use %hi, %lo, %pcrel_hi or %pcrel_lo)")
            }
            skipSpaces()
            try expect("(")
            let inner = try parseBinary(level: 0, depth: depth + 1)
            try expect(")")
            return .relocation(kind, inner)
        }
        if character == "'" {
            return .number(try readCharacterLiteral())
        }
        if character.isNumber {
            return try readNumber()
        }
        let word = readWord()
        guard !word.isEmpty else { throw AssemblyError(line: line, message: "unexpected '\(character)' in expression") }
        return word == "." ? .currentAddress : .symbol(word)
    }

    private mutating func expect(_ character: Character) throws(AssemblyError) {
        skipSpaces()
        guard position < characters.count, characters[position] == character else {
            throw AssemblyError(line: line, message: "'\(character)' expected in expression")
        }
        position += 1
    }

    private mutating func readWord() -> String {
        let start = position
        while position < characters.count, Self.isSymbolCharacter(characters[position]) { position += 1 }
        return String(characters[start..<position])
    }

    static func isSymbolCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "." || character == "$")
    }

    private mutating func readNumber() throws(AssemblyError) -> AssemblyExpression {
        let word = readWord()
        let lower = word.lowercased()
        if lower.count >= 2, lower.allSatisfy({ $0.isNumber || $0 == "b" || $0 == "f" }),
            let last = lower.last, last == "b" || last == "f", let number = Int(lower.dropLast()),
            !lower.hasPrefix("0b") || lower.count == 2
        {
            return .localLabel(number, forward: last == "f")
        }
        let value: UInt64?
        if lower.hasPrefix("0x") {
            value = UInt64(lower.dropFirst(2), radix: 16)
        } else if lower.hasPrefix("0b") {
            value = UInt64(lower.dropFirst(2), radix: 2)
        } else {
            value = UInt64(lower, radix: 10)
        }
        guard let value else { throw AssemblyError(line: line, message: "bad number '\(word)'") }
        return .number(Int64(bitPattern: value))
    }

    private mutating func readCharacterLiteral() throws(AssemblyError) -> Int64 {
        position += 1
        guard position < characters.count else { throw AssemblyError(line: line, message: "unterminated character literal") }
        var value: Int64
        if characters[position] == "\\" {
            position += 1
            guard position < characters.count, let escaped = AssemblyLexer.escapeValue(characters[position]) else {
                throw AssemblyError(line: line, message: "bad escape in character literal")
            }
            value = Int64(escaped)
        } else {
            guard let ascii = characters[position].asciiValue else {
                throw AssemblyError(line: line, message: "character literal must be ASCII")
            }
            value = Int64(ascii)
        }
        position += 1
        guard position < characters.count, characters[position] == "'" else {
            throw AssemblyError(line: line, message: "unterminated character literal")
        }
        position += 1
        return value
    }
}
