import EmberCore
import EmberCrypto

/// What the SPV program outputs for a valid chain (Programs/spv/README.md): the anchor (the first
/// header's parent), the tip's hash, the total work and the number of headers.
public struct SPVTaskOutput: Hashable, Sendable {
    /// anchor 32 | tip 32 | totalWork 40 | headerCount u32 (big-endian).
    public static let encodedSize = 2 * Hash32.byteCount + SPVWork.byteCount + 4

    /// The parent of the first header: the block the checked chain builds on.
    public let anchor: Hash32
    /// The hash of the last header.
    public let tip: Hash32
    /// Σ ⌊2^256 / target⌋ over the headers.
    public let totalWork: SPVWork
    /// How many headers were checked.
    public let headerCount: UInt32

    public init(anchor: Hash32, tip: Hash32, totalWork: SPVWork, headerCount: UInt32) {
        self.anchor = anchor
        self.tip = tip
        self.totalWork = totalWork
        self.headerCount = headerCount
    }

    /// Decodes exactly `encodedSize` bytes, as a run's output or a reveal's output blob; anything else,
    /// or a count of zero (the program never outputs one), is an error.
    public init(decoding bytes: [UInt8]) throws(SPVTaskOutputError) {
        guard bytes.count == Self.encodedSize else { throw .wrongSize(expected: Self.encodedSize, found: bytes.count) }
        let count = bytes[Self.countOffset...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard count > 0 else { throw .noHeaders }
        // The size is checked above, so each slice has the width its initialiser needs.
        anchor = Hash32(bytes[..<Self.tipOffset])!
        tip = Hash32(bytes[Self.tipOffset..<Self.workOffset])!
        totalWork = SPVWork(bigEndian: Array(bytes[Self.workOffset..<Self.countOffset]))!
        headerCount = count
    }

    /// The program's output bytes for this result.
    public var encoded: [UInt8] {
        var writer = ByteWriter(reservingCapacity: Self.encodedSize)
        writer.writeHash(anchor)
        writer.writeHash(tip)
        writer.writeRawBytes(totalWork.bytes)
        writer.writeUInt32(headerCount)
        return writer.bytes
    }

    private static let tipOffset = Hash32.byteCount
    private static let workOffset = 2 * Hash32.byteCount
    private static let countOffset = workOffset + SPVWork.byteCount
}
