/// Why the SPV program rejected its input: the exit code it halts with and the header it names
/// (Programs/spv/README.md, "Exit codes").
public struct SPVFailure: Hashable, Sendable, CustomStringConvertible {
    /// One kind per nonzero exit code; the raw value is the exit code.
    public enum Kind: UInt32, CaseIterable, Hashable, Sendable {
        /// The input does not have the documented layout (length, count, maximum target, a header's version).
        case malformedInput = 1
        /// A header's compact target is not canonical, is zero, or is above the input's maximum.
        case badTarget = 2
        /// A header's double-Blake3 hash is above its target.
        case insufficientWork = 3
        /// A header's parent field is not the hash of the header before it.
        case brokenParentLink = 4
        /// A header's height is not one more than the height of the header before it.
        case wrongHeight = 5
        /// A header's timestamp is not after the timestamp of the header before it.
        case timestampNotAfterParent = 6

        var phrase: String {
            switch self {
            case .malformedInput: "the input is malformed"
            case .badTarget: "bad target"
            case .insufficientWork: "its hash is above its target"
            case .brokenParentLink: "its parent is not the header before it"
            case .wrongHeight: "its height is not the previous height + 1"
            case .timestampNotAfterParent: "its timestamp is not after the previous header's"
            }
        }
    }

    /// The program's output when no single header is at fault (the length, count or maximum target).
    public static let noHeader: UInt32 = 0xFFFF_FFFF

    public let kind: Kind
    /// The index of the header at fault, counting from 0; nil when the input as a whole is malformed.
    public let headerIndex: UInt32?

    public init(kind: Kind, headerIndex: UInt32?) {
        self.kind = kind
        self.headerIndex = headerIndex
    }

    /// The exit code the program halts with.
    public var exitCode: UInt32 { kind.rawValue }

    /// The 4-byte output the program writes: the header index big-endian, or `noHeader`.
    public var encodedOutput: [UInt8] {
        let index = headerIndex ?? Self.noHeader
        return (0..<4).map { UInt8(truncatingIfNeeded: index >> (24 - 8 * $0)) }
    }

    public var description: String {
        guard let headerIndex else { return "exit code \(exitCode): \(kind.phrase)" }
        return "exit code \(exitCode): header \(headerIndex): \(kind.phrase)"
    }
}
