import EmberCore
import EmberCrypto
import EmberTruebit
import Testing

/// The byte formats around the SPV program: its input, its outputs and how a run is read.
@Suite("SPV input and output formats")
struct SPVFormatTests {
    static let header = BlockHeader(
        nonce: .zero, height: 7, parent: .zero, txRoot: .zero, timestamp: 1_000, target: SPVChains.fastMaximumTarget)

    @Test("the input is maximum target, count, then the headers' own encodings")
    func inputLayout() throws {
        let second = BlockHeader(
            nonce: Nonce(high: 1, middle: 2, low: 3), height: 8, parent: Self.header.hash, txRoot: .zero, timestamp: 2_000,
            target: CompactTarget(bits: 0x1fff_ffff))
        let input = try SPVTaskInput(headers: [Self.header, second], maximumTarget: SPVChains.fastMaximumTarget)
        #expect(input.encoded == [0x20, 0x7f, 0xff, 0xff, 0, 0, 0, 2] + Self.header.encoded + second.encoded)
        #expect(input.encoded.count == 8 + 2 * 109)
    }

    @Test("an input holds 1 to 2 404 headers, the most one 256 KiB blob holds, under a canonical maximum")
    func inputLimits() throws {
        // (262 144 − 8) / 109 = 2 404.9: 2 404 headers take 262 044 bytes, 2 405 would take 262 153.
        #expect(SPVTaskInput.maxHeaders == 2_404)
        let largest = try SPVTaskInput(headers: Array(repeating: Self.header, count: 2_404), maximumTarget: SPVChains.fastMaximumTarget)
        #expect(largest.encoded.count == 262_044)
        #expect(throws: SPVTaskInputError.tooManyHeaders(limit: 2_404, found: 2_405)) {
            try SPVTaskInput(headers: Array(repeating: Self.header, count: 2_405), maximumTarget: SPVChains.fastMaximumTarget)
        }
        #expect(throws: SPVTaskInputError.noHeaders) {
            try SPVTaskInput(headers: [], maximumTarget: SPVChains.fastMaximumTarget)
        }
        #expect {
            try SPVTaskInput(headers: [Self.header], maximumTarget: CompactTarget(bits: 0x2000_ffff))
        } throws: { error in
            guard case .invalidMaximumTarget = error as? SPVTaskInputError else { return false }
            return true
        }
        #expect(throws: SPVTaskInputError.self) {
            try SPVTaskInput(headers: [Self.header], maximumTarget: CompactTarget(bits: 0))
        }
    }

    @Test("the output is anchor, tip, 40 bytes of work and the count, and decodes back")
    func outputLayout() throws {
        let output = SPVTaskOutput(
            anchor: Hash32([UInt8](repeating: 0x11, count: 32))!, tip: Hash32([UInt8](repeating: 0x22, count: 32))!,
            totalWork: SPVWork(bigEndian: [UInt8](repeating: 0x33, count: 40))!, headerCount: 0x0102_0304)
        let bytes = [UInt8](repeating: 0x11, count: 32) + [UInt8](repeating: 0x22, count: 32) + [UInt8](repeating: 0x33, count: 40) + [1, 2, 3, 4]
        #expect(output.encoded == bytes)
        #expect(try SPVTaskOutput(decoding: bytes) == output)
        #expect(try SPVVerdict(exitCode: 0, output: bytes) == .valid(output))
    }

    @Test("an output of any other size is refused", arguments: [0, 4, 107, 109])
    func outputOfWrongSize(size: Int) {
        #expect(throws: SPVTaskOutputError.wrongSize(expected: 108, found: size)) {
            try SPVTaskOutput(decoding: [UInt8](repeating: 1, count: size))
        }
    }

    @Test("an output counting zero headers is refused")
    func outputWithoutHeaders() {
        #expect(throws: SPVTaskOutputError.noHeaders) {
            try SPVTaskOutput(decoding: [UInt8](repeating: 1, count: 104) + [0, 0, 0, 0])
        }
    }

    @Test("a failed run is read as its kind and header, strictly")
    func failures() throws {
        #expect(try SPVVerdict(exitCode: 4, output: [0, 0, 0, 9]) == .invalid(SPVFailure(kind: .brokenParentLink, headerIndex: 9)))
        #expect(try SPVVerdict(exitCode: 1, output: [0xff, 0xff, 0xff, 0xff]) == .invalid(SPVFailure(kind: .malformedInput, headerIndex: nil)))
        #expect(throws: SPVTaskOutputError.unknownExitCode(7)) { try SPVVerdict(exitCode: 7, output: [0, 0, 0, 0]) }
        #expect(throws: SPVTaskOutputError.wrongFailureSize(expected: 4, found: 5)) { try SPVVerdict(exitCode: 3, output: [0, 0, 0, 0, 1]) }
        #expect(SPVFailure(kind: .wrongHeight, headerIndex: 0x0102).encodedOutput == [0, 0, 1, 2])
        #expect(SPVFailure(kind: .insufficientWork, headerIndex: 12).description == "exit code 3: header 12: its hash is above its target")
    }

    @Test("work is 40 bytes big-endian, ordered and printed as a number")
    func work() {
        #expect(SPVWork(bigEndian: [UInt8](repeating: 0, count: 39)) == nil)
        let small = SPVWork(bigEndian: [UInt8](repeating: 0, count: 38) + [0x12, 0xc0])!
        let large = SPVWork(bigEndian: [1] + [UInt8](repeating: 0, count: 39))!
        #expect(small.description == "4800")
        #expect(small < large)
        // 2^312, the 40-byte value with only its top byte's lowest bit set.
        #expect(large.description == "8343699359066055009355553539724812947666814540455674882605631280555545803830627148527195652096")
    }

    @Test("the reference will not judge an input larger than one blob")
    func referenceBound() {
        #expect(throws: SPVReferenceError.inputTooLarge(limit: 262_144, found: 262_145)) {
            try SPVReference.verdict(forInput: [UInt8](repeating: 0, count: 262_145))
        }
    }
}
