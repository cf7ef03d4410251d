/// A 32-byte digest: block hashes, txids, Merkle nodes, key hashes.
///
/// Stored as four big-endian words so equality and ordering are cheap; `bytes` gives the digest in
/// its natural byte order, and comparison is that of the bytes read as an unsigned big-endian integer.
public struct Hash32: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32
    public static let zero = Hash32(words: (0, 0, 0, 0))

    @usableFromInline var w0: UInt64
    @usableFromInline var w1: UInt64
    @usableFromInline var w2: UInt64
    @usableFromInline var w3: UInt64

    @inlinable init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = words
    }

    /// Creates a digest from exactly 32 bytes; returns nil for any other length.
    public init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == Self.byteCount else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            words[index / 8] = words[index / 8] << 8 | UInt64(byte)
        }
        self.init(words: (words[0], words[1], words[2], words[3]))
    }

    /// Parses 64 hexadecimal digits (either case); returns nil otherwise.
    public init?(hex: String) {
        guard let bytes = [UInt8](hexString: hex), let value = Hash32(bytes) else { return nil }
        self = value
    }

    /// The digest bytes, most significant first.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.byteCount)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return out
    }

    /// Lowercase hexadecimal, 64 digits.
    public var hex: String { bytes.hexString }

    public var description: String { hex }

    public static func < (lhs: Hash32, rhs: Hash32) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
