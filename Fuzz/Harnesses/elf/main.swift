// Fuzzes `Program(elf:)`, the ELF loader of `ember vm run`, `prove` and `verify-step`, which read ELF
// files a person was handed. Properties: every loaded segment is what `Program(entry:segments:)`
// accepts, and the program loads into a `Machine` and runs a few steps.

import EmberVM
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.elfFiles }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let program = try? Program(elf: bytes) else { return false }
    Fuzz.expect(!program.segments.isEmpty, "a program without segments")
    Fuzz.expect((try? Program(entry: program.entry, segments: program.segments)) != nil, "segments Program(entry:segments:) refuses")
    for segment in program.segments {
        Fuzz.expect(segment.bytes.count <= Int(segment.memorySize), "a segment at \(segment.address) with more file bytes than memory")
    }
    guard let machine = try? Machine(program: program, input: [1, 2, 3]) else {
        fatalError("fuzz property broken: the machine refuses a program Program(elf:) loaded")
    }
    machine.run(untilStep: 64)
    return true
}
