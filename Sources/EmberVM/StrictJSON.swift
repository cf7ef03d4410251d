/// A deliberately small JSON reader for untrusted proof files.
///
/// It accepts only what proofs use — objects, arrays, strings without escapes, non-negative integers
/// in canonical form (no sign, no leading zeros, no fraction or exponent) and `null` — and rejects
/// duplicate keys, so that one proof has one spelling and every changed byte changes its meaning or
/// its validity. Input size and nesting depth are bounded.
enum StrictJSON: Equatable {
    case object([String: StrictJSON])
    case array([StrictJSON])
    case string(String)
    case number(UInt64)
    case null

    static let maxBytes = 1 << 20
    static let maxDepth = 8

    struct ParseError: Error {
        let message: String
    }

    static func parse(_ bytes: [UInt8]) throws(ParseError) -> StrictJSON {
        guard bytes.count <= maxBytes else { throw ParseError(message: "\(bytes.count) bytes, over the \(maxBytes)-byte limit") }
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw ParseError(message: "unexpected content after the JSON value at byte \(parser.position)") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[position]) { position += 1 }
        }

        func fail(_ message: String) -> ParseError {
            ParseError(message: "\(message) at byte \(position)")
        }

        mutating func value(depth: Int) throws(ParseError) -> StrictJSON {
            guard depth <= StrictJSON.maxDepth else { throw fail("nesting deeper than \(StrictJSON.maxDepth)") }
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [String: StrictJSON] = [:]
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    let key = try string()
                    guard members[key] == nil else { throw fail("duplicate key \"\(key)\"") }
                    try expect(":")
                    members[key] = try value(depth: depth + 1)
                    if try endOfList("}") { return .object(members) }
                }
            case UInt8(ascii: "["):
                position += 1
                var elements: [StrictJSON] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                }
                while true {
                    elements.append(try value(depth: depth + 1))
                    if try endOfList("]") { return .array(elements) }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "n"):
                guard bytes[position...].starts(with: Array("null".utf8)) else { throw fail("unexpected character") }
                position += 4
                return .null
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
            }
        }

        /// After a list element: true at the closing bracket, false after a comma.
        mutating func endOfList(_ closing: Character) throws(ParseError) -> Bool {
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of input") }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ",") { return false }
            guard Character(Unicode.Scalar(byte)) == closing else { throw fail("',' or '\(closing)' expected") }
            return true
        }

        mutating func expect(_ character: Character) throws(ParseError) {
            skipWhitespace()
            guard position < bytes.count, Character(Unicode.Scalar(bytes[position])) == character else {
                throw fail("'\(character)' expected")
            }
            position += 1
        }

        mutating func string() throws(ParseError) -> String {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("string expected") }
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                guard bytes[position] >= 0x20, bytes[position] < 0x7f, bytes[position] != UInt8(ascii: "\\") else {
                    throw fail("only printable ASCII without escapes is allowed in strings")
                }
                position += 1
            }
            guard position < bytes.count else { throw fail("unterminated string") }
            position += 1
            return String(decoding: bytes[start..<position - 1], as: UTF8.self)
        }

        mutating func number() throws(ParseError) -> UInt64 {
            let start = position
            var value: UInt64 = 0
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[position] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw fail("number does not fit in 64 bits") }
                value = sum
                position += 1
            }
            guard !(bytes[start] == UInt8(ascii: "0") && position - start > 1) else { throw fail("number with a leading zero") }
            if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
                throw fail("only whole numbers are allowed")
            }
            return value
        }
    }
}
