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
    @inlinable
    public init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == Self.byteCount else { return nil }
        // Decoding reads every txid, parent and key through here: read contiguous storage directly.
        if let words = bytes.withContiguousStorageIfAvailable({ Self.words(from: UnsafeRawBufferPointer($0)) }) {
            self.init(words: words)
        } else {
            self.init(words: Array(bytes).withUnsafeBytes { Self.words(from: $0) })
        }
    }

    @inlinable
    static func words(from buffer: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        (
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        )
    }

    /// The digest as four 64-bit words, most significant first: arithmetic on a digest read as a
    /// 256-bit big-endian integer needs no byte array.
    @inlinable public var bigEndianWords: (UInt64, UInt64, UInt64, UInt64) { (w0, w1, w2, w3) }

    /// The digest whose big-endian integer reading has these words, most significant first.
    @inlinable public init(bigEndianWords words: (UInt64, UInt64, UInt64, UInt64)) {
        self.init(words: words)
    }

    /// Parses 64 hexadecimal digits (either case); returns nil otherwise.
    public init?(hex: String) {
        guard let bytes = [UInt8](hexString: hex), let value = Hash32(bytes) else { return nil }
        self = value
    }

    /// The digest bytes, most significant first.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.byteCount) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
            initialized = Self.byteCount
        }
    }

    /// Lowercase hexadecimal, 64 digits.
    public var hex: String { bytes.hexString }

    public var description: String { hex }

    public static func < (lhs: Hash32, rhs: Hash32) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
