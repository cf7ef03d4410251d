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
