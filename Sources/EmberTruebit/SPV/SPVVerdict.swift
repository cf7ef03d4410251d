/// What a halted run of the SPV program says about its input: the chain is valid with this result,
/// or it is not, for this reason.
public enum SPVVerdict: Hashable, Sendable {
    case valid(SPVTaskOutput)
    case invalid(SPVFailure)

    /// Reads the exit code and output of a run that halted (a trapped run is no verdict: the program
    /// never traps on any input, so a trap means another program or a broken machine).
    public init(exitCode: UInt32, output: [UInt8]) throws(SPVTaskOutputError) {
        guard exitCode != 0 else {
            self = .valid(try SPVTaskOutput(decoding: output))
            return
        }
        guard let kind = SPVFailure.Kind(rawValue: exitCode) else { throw .unknownExitCode(exitCode) }
        guard output.count == 4 else { throw .wrongFailureSize(expected: 4, found: output.count) }
        let index = output.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        self = .invalid(SPVFailure(kind: kind, headerIndex: index == SPVFailure.noHeader ? nil : index))
    }
}
