import BigInt
import EmberCore
import EmberTestSupport
import Foundation

/// The consensus vector files of `../shared/vectors`, decoded as they are.
enum ConsensusVectors {
    struct TargetCompact: Decodable {
        struct Encode: Decodable, Sendable { let value: String; let bits: String }
        struct RoundTrip: Decodable, Sendable { let bits: String; let expect: String }
        let encode: [Encode]
        let roundTrip: [RoundTrip]
    }

    struct Difficulty: Decodable {
        struct Case: Decodable, Sendable { let parentTarget: String; let spanMs: Int64; let next: String }
        let blockTimeMs: UInt64
        let maxTarget: String
        let cases: [Case]
    }

    struct Emission: Decodable {
        struct Params: Decodable, Sendable { let chainCount: UInt64; let blockTimeMs: UInt64; let polwFactor: UInt64 }
        struct TimeCap: Decodable, Sendable { let elapsedMs: String; let reward: String }
        struct HashRateCap: Decodable, Sendable { let hashRate: String; let reward: String }
        struct TargetFromHashRate: Decodable, Sendable { let hashRate: String; let bits: String }
        struct Reward: Decodable, Sendable {
            let target: String
            let elapsedMs: String
            let kind: String
            let reward: String
            let burnt: String
            let polwTarget: String?
        }
        let params: Params
        let timeCap: [TimeCap]
        let hashRateCap: [HashRateCap]
        let targetFromHashRate: [TargetFromHashRate]
        let reward: [Reward]
    }

    static func targetCompact() throws -> TargetCompact { try load("target-compact.json") }
    static func difficulty() throws -> Difficulty { try load("difficulty.json") }
    static func emission() throws -> Emission { try load("emission.json") }

    private static func load<Vectors: Decodable>(_ name: String) throws -> Vectors {
        try JSONDecoder().decode(Vectors.self, from: SharedVectors.data(named: name))
    }
}

/// Parsing of the vectors' number formats; a malformed entry fails the test that reads it.
enum VectorField {
    struct Malformed: Error, CustomStringConvertible {
        let text: String
        var description: String { "malformed vector field '\(text)'" }
    }

    /// Eight hex digits of compact bits.
    static func bits(_ text: String) throws -> CompactTarget {
        guard text.count == 8, let bits = UInt32(text, radix: 16) else { throw Malformed(text: text) }
        return CompactTarget(bits: bits)
    }

    /// A `0x`-prefixed hexadecimal value.
    static func hexValue(_ text: String) throws -> BigUInt {
        guard text.hasPrefix("0x"), let value = BigUInt(String(text.dropFirst(2)), radix: 16) else {
            throw Malformed(text: text)
        }
        return value
    }

    /// A decimal integer string.
    static func decimal(_ text: String) throws -> BigUInt {
        guard !text.isEmpty, let value = BigUInt(text, radix: 10) else { throw Malformed(text: text) }
        return value
    }

    /// A decimal amount of units.
    static func amount(_ text: String) throws -> Amount {
        guard let units = UInt128(text) else { throw Malformed(text: text) }
        return Amount(units: units)
    }

    /// A decimal count of milliseconds.
    static func milliseconds(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else { throw Malformed(text: text) }
        return value
    }
}
