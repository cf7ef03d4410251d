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
        let count = bytes[104..<108].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard count > 0 else { throw .noHeaders }
        // The sizes are checked above, so the slices have the widths these initialisers need.
        anchor = Hash32(bytes[0..<32])!
        tip = Hash32(bytes[32..<64])!
        totalWork = SPVWork(bigEndian: Array(bytes[64..<104]))!
        headerCount = count
    }

    /// The program's output bytes for this result.
    public var encoded: [UInt8] {
        anchor.bytes + tip.bytes + totalWork.bytes + (0..<4).map { UInt8(truncatingIfNeeded: headerCount >> (24 - 8 * $0)) }
    }
}

/// Why bytes are not an output of the SPV program.
public enum SPVTaskOutputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A valid chain's output is always `SPVTaskOutput.encodedSize` bytes.
    case wrongSize(expected: Int, found: Int)
    /// The header count is zero, which the program refuses as malformed input.
    case noHeaders
    /// A failure's output is the 4-byte index of the header at fault.
    case wrongFailureSize(expected: Int, found: Int)
    /// The exit code is none of the program's.
    case unknownExitCode(UInt32)

    public var description: String {
        switch self {
        case .wrongSize(let expected, let found):
            "an SPV result is \(expected) bytes, not \(found): this output is not the SPV program's"
        case .noHeaders:
            "the SPV result counts 0 headers, which the program never outputs"
        case .wrongFailureSize(let expected, let found):
            "an SPV failure names its header in \(expected) bytes, not \(found)"
        case .unknownExitCode(let code):
            "exit code \(code) is not one of the SPV program's (0 to 6)"
        }
    }
}
