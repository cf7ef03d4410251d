import EmberCrypto

/// The 24 bytes a miner varies in a block header, which the header's encoding puts first.
///
/// Held as three big-endian words, so a miner can count through nonces with integer arithmetic and
/// write them into a header's encoding with `write(into:at:)`.
public struct Nonce: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 24
    public static let zero = Nonce(high: 0, middle: 0, low: 0)

    /// Bytes 0..<8, big-endian.
    public var high: UInt64
    /// Bytes 8..<16, big-endian.
    public var middle: UInt64
    /// Bytes 16..<24, big-endian: the word a miner usually counts in.
    public var low: UInt64

    /// The nonce whose bytes are `high`, `middle`, `low`, each big-endian.
    public init(high: UInt64, middle: UInt64, low: UInt64) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// The nonce from exactly 24 bytes; nil for any other length.
    public init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == Self.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for (offset, byte) in bytes.enumerated() {
            switch offset / 8 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            default: words.2 = words.2 << 8 | UInt64(byte)
            }
        }
        self.init(high: words.0, middle: words.1, low: words.2)
    }

    /// The 24 nonce bytes.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        write(into: &out, at: 0)
        return out
    }

    /// Overwrites `buffer[offset..<offset + 24]` with the nonce bytes (a header encoding at
    /// `BlockHeader.nonceOffset`, say) without allocating.
    public func write(into buffer: inout [UInt8], at offset: Int) {
        precondition(offset >= 0 && offset + Self.byteCount <= buffer.count, "nonce does not fit the buffer")
        Self.write(high, into: &buffer, at: offset)
        Self.write(middle, into: &buffer, at: offset + 8)
        Self.write(low, into: &buffer, at: offset + 16)
    }

    private static func write(_ word: UInt64, into buffer: inout [UInt8], at offset: Int) {
        for byteIndex in 0..<8 {
            buffer[offset + byteIndex] = UInt8(truncatingIfNeeded: word >> (56 - 8 * byteIndex))
        }
    }

    /// Lowercase hexadecimal, 48 digits.
    public var description: String { bytes.hexString }
}
