import EmberConsensus
import EmberCore
import EmberCrypto

/// A target as the nonce search compares with it: its value's 32 bytes, big-endian, as four words.
///
/// Section 5: the work is valid when the hash, read as an unsigned big-endian 256-bit integer, is at most
/// the target value. Comparing word by word decides almost every digest on its first word, with no
/// arbitrary-precision arithmetic in the hot loop.
public struct MiningTarget: Sendable {
    /// The most significant word first.
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// The value of `compact` as section 6 decodes it. A value of 2^256 or more, which the header checks
    /// reject, is met by every hash here; the miner compares, the rules judge.
    public init(_ compact: CompactTarget) {
        var bytes = [UInt8](repeating: 0, count: Hash32.byteCount)
        let size = Int(compact.size)
        for index in 0..<3 {
            let byte = UInt8(truncatingIfNeeded: compact.mantissa >> (8 * (2 - index)))
            // The mantissa's top byte lands at position 32 − size; positions past 31 fall below 1.
            let position = Hash32.byteCount - size + index
            if position < 0 {
                if byte != 0 {
                    self.init(bigEndianBytes: [UInt8](repeating: 0xff, count: Hash32.byteCount))
                    return
                }
            } else if position < Hash32.byteCount {
                bytes[position] = byte
            }
        }
        self.init(bigEndianBytes: bytes)
    }

    private init(bigEndianBytes bytes: [UInt8]) {
        func word(_ index: Int) -> UInt64 {
            bytes[index * 8..<index * 8 + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// The 32 bytes of the value, most significant first.
    public var bigEndianBytes: [UInt8] {
        [words.0, words.1, words.2, words.3].flatMap { word in
            (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) }
        }
    }

    /// Whether the 32-byte digest at `digest` meets the target.
    @inline(__always)
    public func isMet(byDigestAt digest: UnsafeRawPointer) -> Bool {
        let first = UInt64(bigEndian: digest.loadUnaligned(as: UInt64.self))
        if first != words.0 { return first < words.0 }
        let second = UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if second != words.1 { return second < words.1 }
        let third = UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        if third != words.2 { return third < words.2 }
        return UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 24, as: UInt64.self)) <= words.3
    }

    /// Whether `hash` meets the target.
    public func isMet(by hash: Hash32) -> Bool {
        hash.bytes.withUnsafeBytes { isMet(byDigestAt: $0.baseAddress!) }
    }
}
