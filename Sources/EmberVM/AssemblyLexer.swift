/// An assembly error, pointing at the line (1-based) and saying what is wrong there.
public struct AssemblyError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// One source line split into its labels, its mnemonic or directive, and its raw operands.
struct SourceLine {
    var number: Int
    var labels: [String]
    var mnemonic: String?
    var operands: [String]
}

/// An operand as written: a register, `offset(base)`, or an expression.
enum AssemblyOperand: Equatable {
    case register(UInt8)
    case memory(offset: AssemblyExpression, base: UInt8)
    case expression(AssemblyExpression)
}

/// Splits source text into lines, labels, mnemonics and operands.
enum AssemblyLexer {
    static func escapeValue(_ character: Character) -> UInt8? {
        switch character {
        case "n": 10
        case "t": 9
        case "r": 13
        case "0": 0
        case "\\": 92
        case "\"": 34
        case "'": 39
        case "a": 7
        case "b": 8
        case "f": 12
        case "v": 11
        default: nil
        }
    }

    static func splitLine(_ text: Substring, number: Int) throws(AssemblyError) -> SourceLine {
        var body = Array(stripComment(text))
        var labels: [String] = []
        // Leading `name:` labels, any number of them.
        while true {
            var index = 0
            while index < body.count, body[index].isWhitespace { index += 1 }
            let start = index
            while index < body.count, ExpressionParser.isSymbolCharacter(body[index]) { index += 1 }
            guard index > start, index < body.count, body[index] == ":" else { break }
            let name = String(body[start..<index])
            guard name.first?.isNumber == false || name.allSatisfy(\.isNumber) else {
                throw AssemblyError(line: number, message: "bad label '\(name)'")
            }
            labels.append(name)
            body = Array(body[(index + 1)...])
        }
        let rest = String(body).trimmingSpaces()
        guard !rest.isEmpty else { return SourceLine(number: number, labels: labels, mnemonic: nil, operands: []) }
        let mnemonicEnd = rest.firstIndex(where: { $0.isWhitespace }) ?? rest.endIndex
        let mnemonic = String(rest[..<mnemonicEnd]).lowercased()
        let operandText = String(rest[mnemonicEnd...]).trimmingSpaces()
        let operands = try splitOperands(operandText, line: number)
        return SourceLine(number: number, labels: labels, mnemonic: mnemonic, operands: operands)
    }

    /// Drops a `#` comment that is not inside a string or character literal.
    static func stripComment(_ text: Substring) -> Substring {
        var inString = false
        var inCharacter = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" && (inString || inCharacter) {
                escaped = true
            } else if character == "\"" && !inCharacter {
                inString.toggle()
            } else if character == "'" && !inString {
                inCharacter.toggle()
            } else if character == "#" && !inString && !inCharacter {
                return text[..<index]
            }
        }
        return text
    }

    /// Splits on commas that are outside parentheses and literals.
    static func splitOperands(_ text: String, line: Int) throws(AssemblyError) -> [String] {
        guard !text.isEmpty else { return [] }
        var operands: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                current.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current.append(character)
            case "(":
                depth += 1
                current.append(character)
            case ")":
                depth -= 1
                guard depth >= 0 else { throw AssemblyError(line: line, message: "unbalanced ')'") }
                current.append(character)
            case "," where depth == 0:
                operands.append(current.trimmingSpaces())
                current = ""
            default:
                current.append(character)
            }
        }
        guard !inString else { throw AssemblyError(line: line, message: "unterminated string") }
        guard depth == 0 else { throw AssemblyError(line: line, message: "unbalanced '('") }
        operands.append(current.trimmingSpaces())
        if let empty = operands.firstIndex(where: \.isEmpty) {
            throw AssemblyError(line: line, message: "operand \(empty + 1) is empty")
        }
        return operands
    }

    static let registerNames: [String: UInt8] = {
        var names: [String: UInt8] = [:]
        for index in 0..<32 { names["x\(index)"] = UInt8(index) }
        let abi = [
            "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
            "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
        ]
        for (index, name) in abi.enumerated() { names[name] = UInt8(index) }
        names["fp"] = 8
        return names
    }()

    static func register(_ text: String) -> UInt8? {
        registerNames[text.lowercased()]
    }

    static func parseOperand(_ text: String, line: Int) throws(AssemblyError) -> AssemblyOperand {
        if let register = register(text) { return .register(register) }
        // `offset(base)`: the last parenthesised group holds a register.
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)]).trimmingSpaces()
            if let base = register(inner) {
                let offsetText = String(text[..<open]).trimmingSpaces()
                let offset = offsetText.isEmpty ? AssemblyExpression.number(0) : try ExpressionParser.parse(offsetText, line: line)
                return .memory(offset: offset, base: base)
            }
        }
        return .expression(try ExpressionParser.parse(text, line: line))
    }

    /// Decodes a double-quoted string literal with C escapes (and `\xHH`, octal `\NNN`).
    static func stringLiteral(_ text: String, line: Int) throws(AssemblyError) -> [UInt8] {
        let characters = Array(text)
        guard characters.count >= 2, characters.first == "\"", characters.last == "\"" else {
            throw AssemblyError(line: line, message: "string literal expected, found \(text)")
        }
        var bytes: [UInt8] = []
        var index = 1
        while index < characters.count - 1 {
            let character = characters[index]
            index += 1
            guard character == "\\" else {
                bytes.append(contentsOf: Array(String(character).utf8))
                continue
            }
            guard index < characters.count - 1 else { throw AssemblyError(line: line, message: "string ends in a lone backslash") }
            let escape = characters[index]
            index += 1
            if escape == "x" {
                var value = 0
                var digits = 0
                while index < characters.count - 1, digits < 2, let digit = characters[index].hexDigitValue {
                    value = value * 16 + digit
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { throw AssemblyError(line: line, message: "\\x needs hex digits") }
                bytes.append(UInt8(value))
            } else if let first = escape.wholeNumberValue, first < 8 {
                var value = first
                var digits = 1
                while index < characters.count - 1, digits < 3, let digit = characters[index].wholeNumberValue, digit < 8 {
                    value = value * 8 + digit
                    index += 1
                    digits += 1
                }
                bytes.append(UInt8(truncatingIfNeeded: value))
            } else if let value = escapeValue(escape) {
                bytes.append(value)
            } else {
                throw AssemblyError(line: line, message: "unknown escape '\\\(escape)' in string")
            }
        }
        return bytes
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
