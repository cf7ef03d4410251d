import BigInt
import Foundation

/// The total work the SPV program outputs: Σ ⌊2^256 / target⌋ over the headers it checked, as a
/// 40-byte big-endian unsigned integer (Programs/spv/README.md).
///
/// Forty bytes because a header's weight is at most 2^256 (target 1) and a run checks fewer than 2^32
/// headers, so the sum stays below 2^288 (37 bytes), rounded up to whole 8-byte words.
public struct SPVWork: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The width of the encoding.
    public static let byteCount = 40

    /// The value, big-endian, exactly `byteCount` bytes.
    public let bytes: [UInt8]

    /// The work encoded in `bytes`, which must be exactly `byteCount` long.
    public init?(bigEndian bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// `value` in the fixed width; nil when it needs more than `byteCount` bytes.
    public init?(_ value: BigUInt) {
        let significant = Array(value.serialize().drop { $0 == 0 })
        guard significant.count <= Self.byteCount else { return nil }
        bytes = [UInt8](repeating: 0, count: Self.byteCount - significant.count) + significant
    }

    /// The work as an arbitrary-precision integer, as consensus weighs chains (`ChainRank`).
    public var value: BigUInt { BigUInt(Data(bytes)) }

    /// Decimal, as a person compares work.
    public var description: String { String(value) }

    public static func < (lhs: SPVWork, rhs: SPVWork) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
