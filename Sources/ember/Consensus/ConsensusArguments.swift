import BigInt
import EmberConsensus
import EmberCore

/// A research command's argument that cannot be used, phrased for the person who typed it.
///
/// Thrown from `run()`, it reaches ArgumentParser as a plain error: one line on stderr, exit status 1.
struct ConsensusArgumentError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Parsing of the numbers the research commands take: decimal or `0x`-hexadecimal integers of any
/// size, and compact target bits.
enum ConsensusArgument {
    private static let decimalDigits = Set("0123456789")
    private static let hexDigits = Set("0123456789abcdefABCDEF")

    /// The value of a required option, or an error naming it.
    static func required(_ text: String?, _ option: String) throws -> String {
        guard let text else { throw ConsensusArgumentError("missing \(option)") }
        return text
    }

    /// A required option's value below 2^64.
    static func requiredUInt64(_ text: String?, _ option: String) throws -> UInt64 {
        try uint64(required(text, option), option)
    }

    /// A required option's compact target bits.
    static func requiredBits(_ text: String?, _ option: String) throws -> CompactTarget {
        try bits(required(text, option), option)
    }

    /// A non-negative integer, decimal or `0x`-hexadecimal.
    static func bigUInt(_ text: String, _ option: String) throws -> BigUInt {
        let isHex = text.hasPrefix("0x") || text.hasPrefix("0X")
        let digits = isHex ? String(text.dropFirst(2)) : text
        guard !digits.isEmpty, digits.allSatisfy((isHex ? hexDigits : decimalDigits).contains),
              let value = BigUInt(digits, radix: isHex ? 16 : 10)
        else {
            throw ConsensusArgumentError(
                "\(option) '\(text)' is not a non-negative integer (decimal, or hexadecimal after 0x)")
        }
        return value
    }

    /// An integer that may be negative, decimal or `0x`-hexadecimal.
    static func bigInt(_ text: String, _ option: String) throws -> BigInt {
        guard text.hasPrefix("-") else { return BigInt(try bigUInt(text, option)) }
        return -BigInt(try bigUInt(String(text.dropFirst()), option))
    }

    /// A non-negative integer below 2^64.
    static func uint64(_ text: String, _ option: String) throws -> UInt64 {
        guard let value = UInt64(exactly: try bigUInt(text, option)) else {
            throw ConsensusArgumentError("\(option) '\(text)' is above the largest allowed value \(UInt64.max)")
        }
        return value
    }

    /// Compact target bits: up to 8 hexadecimal digits, with or without `0x`.
    static func bits(_ text: String, _ option: String) throws -> CompactTarget {
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        guard (1...8).contains(digits.count), digits.allSatisfy(hexDigits.contains),
              let bits = UInt32(digits, radix: 16)
        else {
            throw ConsensusArgumentError("\(option) '\(text)' is not compact target bits (8 hexadecimal digits)")
        }
        return CompactTarget(bits: bits)
    }

    /// A hexadecimal value, with or without `0x`.
    static func hexValue(_ text: String, _ option: String) throws -> BigUInt {
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        guard !digits.isEmpty, digits.allSatisfy(hexDigits.contains), let value = BigUInt(digits, radix: 16) else {
            throw ConsensusArgumentError("\(option) '\(text)' is not a hexadecimal value")
        }
        return value
    }

    /// Rejects what ArgumentParser did not recognise, so a mistyped option is not silently ignored.
    static func rejectUnexpected(_ unexpected: [String]) throws {
        guard let first = unexpected.first else { return }
        throw ConsensusArgumentError("unexpected argument '\(first)'; see --help")
    }

    /// Runs a library call whose failure comes from the arguments.
    static func checked<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw ConsensusArgumentError("\(error)")
        }
    }
}

/// A flat JSON object printed on one line, fields in the order given.
struct ConsensusJSON {
    enum Value {
        case string(String)
        case bool(Bool)
    }

    private var fields: [(key: String, value: Value)] = []

    mutating func add(_ key: String, _ value: String) { fields.append((key, .string(value))) }
    mutating func add(_ key: String, _ value: Bool) { fields.append((key, .bool(value))) }

    var text: String {
        let members = fields.map { field -> String in
            let value = switch field.value {
            case .string(let string): Self.quoted(string)
            case .bool(let bool): bool ? "true" : "false"
            }
            return Self.quoted(field.key) + ":" + value
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension BigUInt {
    /// `0x` and lowercase hexadecimal digits, as target values print.
    var prefixedHex: String { "0x" + String(self, radix: 16) }
}
