import EmberCrypto
import EmberTestSupport
import Testing

@Suite("Blake3 multi-lane kernels")
struct Blake3LaneTests {
    @Test("lanes agree with one-at-a-time hashing on random inputs", arguments: executableKernels)
    func lanesAgreeWithScalar(kernel: Blake3Kernel) {
        var random = SeededGenerator(seed: 0xB1A4E3 &+ UInt64(kernel.rawValue))
        for length in [0, 1, 31, 32, 63, 64, 65, 109, 128, 500, 1023, 1024] {
            for count in [1, 3, 4, 7, 8, 9, 17, 64, 70] {
                let inputs = (0..<count).map { _ in (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) } }
                let lanes = Blake3.hashLanes(inputs, kernel: kernel)
                #expect(lanes == inputs.map { Blake3.hash($0, kernel: .scalar) }, "length \(length) count \(count)")
                let doubled = Blake3.hashLanes(inputs, double: true, kernel: kernel)
                #expect(doubled == inputs.map { Blake3.doubleHash($0, kernel: .scalar) }, "length \(length) count \(count)")
            }
        }
    }

    @Test("large random inputs hash the same through every kernel")
    func largeInputsAgree() {
        var random = SeededGenerator(seed: 42)
        for length in [1_025, 2_048, 4_097, 65_536, 65_537, 200_000, 1_048_576 + 3] {
            let input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let reference = Blake3.hash(input, kernel: .scalar)
            for kernel in executableKernels {
                #expect(Blake3.hash(input, kernel: kernel) == reference, "\(kernel) length \(length)")
            }
        }
    }

    @Test("the process-wide kernel honours EMBER_BLAKE3_KERNEL only when the CPU can run it")
    func activeKernelIsExecutable() {
        #expect(Blake3Kernel.active.rawValue <= Blake3Kernel.best.rawValue)
        if let forced = Blake3Kernel.forcedByEnvironment, Blake3Kernel.supported.contains(forced) {
            #expect(Blake3Kernel.active == forced)
        }
    }
}
