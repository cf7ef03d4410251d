// Fuzzes what a Truebit result of the SPV program says (docs/truebit.md; Programs/spv/README.md): the
// output bytes and exit code a solver's reveal puts on layer 1, read by `SPVVerdict(exitCode:output:)`
// and, for exit code 0, `SPVTaskOutput(decoding:)`.
// Input: `exitCode u32 big-endian ‖ output`; an input shorter than 4 bytes is all output, with exit code 0.
// Properties: a valid result encodes back to the output (exactly `encodedSize` bytes, at least one header)
// and its work survives `SPVWork(value)`; a failure has the exit code it was read from and writes back
// the same 4 bytes; exit code 0 and `SPVTaskOutput(decoding:)` agree on what they accept.

import EmberCrypto
import EmberTruebit
import FuzzSupport

Fuzz.main(seeds: seeds, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    let hasExitCode = bytes.count >= 4
    let exitCode = hasExitCode ? bytes[..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : 0
    let output = hasExitCode ? Array(bytes[4...]) : bytes

    let direct = try? SPVTaskOutput(decoding: output)
    if let direct {
        Fuzz.expectRoundTrip(direct.encoded, output, "SPV output")
        Fuzz.expect(output.count == SPVTaskOutput.encodedSize, "an SPV output of \(output.count) bytes decoded")
        Fuzz.expect(direct.headerCount > 0, "an SPV output of zero headers decoded")
        Fuzz.expect(SPVWork(direct.totalWork.value) == direct.totalWork, "the total work does not survive its value")
        _ = direct.totalWork.description
    }
    guard let verdict = try? SPVVerdict(exitCode: exitCode, output: output) else {
        Fuzz.expect(exitCode != 0 || direct == nil, "SPVVerdict refuses exit code 0 with an output SPVTaskOutput accepts")
        return false
    }
    switch verdict {
    case .valid(let result):
        Fuzz.expect(exitCode == 0, "exit code \(exitCode) read as a valid chain")
        Fuzz.expect(result == direct, "SPVVerdict and SPVTaskOutput(decoding:) read the output differently")
    case .invalid(let failure):
        Fuzz.expect(failure.exitCode == exitCode, "exit code \(exitCode) read as a failure of exit code \(failure.exitCode)")
        Fuzz.expectRoundTrip(failure.encodedOutput, output, "SPV failure")
        _ = failure.description
    }
    return true
}

/// Valid results at the edges of each field (no work, the most work, one header and the most headers),
/// a count of zero (refused), every failure kind naming a header and naming none, and an unknown code.
func seeds() -> [[UInt8]] {
    let success: [UInt8] = [0, 0, 0, 0]
    let works = [
        [UInt8](repeating: 0, count: SPVWork.byteCount),
        [UInt8](repeating: 0, count: SPVWork.byteCount - 1) + [1],
        [UInt8](repeating: 0, count: 8) + [1] + [UInt8](repeating: 0, count: SPVWork.byteCount - 9),
        [UInt8](repeating: 0xff, count: SPVWork.byteCount),
    ].compactMap(SPVWork.init(bigEndian:))
    var all: [[UInt8]] = []
    for (index, work) in works.enumerated() {
        for count in [UInt32(1), 2, 144, .max] {
            let result = SPVTaskOutput(
                anchor: Blake3.hash([UInt8(index), 0]), tip: Blake3.hash([UInt8(index), 1]), totalWork: work, headerCount: count)
            all.append(success + result.encoded)
        }
    }
    all.append(success + [UInt8](repeating: 0, count: SPVTaskOutput.encodedSize))
    for kind in SPVFailure.Kind.allCases {
        for index in [UInt32?(0), 5, nil] {
            let failure = SPVFailure(kind: kind, headerIndex: index)
            all.append(bigEndian(failure.exitCode) + failure.encodedOutput)
        }
    }
    all.append(bigEndian(7) + [0, 0, 0, 0])
    return all
}

func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
