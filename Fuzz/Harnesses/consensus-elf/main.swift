// Fuzzes `ConsensusProgram(elf:)`, the strict loader consensus runs on a program blob a transaction
// carries (DESIGN.md v2 section 15), then starts the loaded program for a few steps, as a covenant
// spend would.
//
// Properties: what loads keeps every rule the loader documents (sorted, disjoint segments inside the
// program window, file bytes within memory size, an aligned entry inside a segment, at most
// `ConsensusRun.maxPages` pages); `Program(entry:segments:)` accepts it too; and it runs.

import EmberVM
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.elfFiles }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let loaded = try? ConsensusProgram(elf: bytes) else { return false }
    let program = loaded.program
    var previousEnd: UInt64? = nil
    for segment in program.segments {
        let end = UInt64(segment.address) + UInt64(segment.memorySize)
        Fuzz.expect(segment.memorySize > 0 && segment.bytes.count <= Int(segment.memorySize), "segment sizes \(segment)")
        Fuzz.expect(end <= MachineLayout.programWindow.upperBound, "a segment ending at \(end), past the program window")
        Fuzz.expect(previousEnd.map { UInt64(segment.address) >= $0 } ?? true, "segments out of order or overlapping at \(segment.address)")
        previousEnd = end
    }
    Fuzz.expect(program.entry & 3 == 0, "misaligned entry \(program.entry)")
    Fuzz.expect(
        program.segments.contains { program.entry >= $0.address && program.entry - $0.address < $0.memorySize },
        "entry \(program.entry) outside every segment")
    Fuzz.expect(loaded.segmentPageCount <= ConsensusRun.maxPages, "\(loaded.segmentPageCount) pages, over \(ConsensusRun.maxPages)")
    Fuzz.expect((try? Program(entry: program.entry, segments: program.segments)) != nil, "segments Program(entry:segments:) refuses")
    _ = ConsensusRun.run(program: loaded, input: [1, 2, 3], maxSteps: 64)
    return true
}
