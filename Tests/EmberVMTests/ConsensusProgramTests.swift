import EmberTestSupport
import EmberVM
import Testing

// DESIGN.md section 15: the consensus ELF loader. Every malformed file is a valid ELF with one field
// changed, and must be refused with the rule it breaks.

/// A valid program with two loaded segments: .text (mapped with the ELF headers from 0xF000) and .data.
let consensusSource = """
    _start:
      la t0, value
      lw a0, 0(t0)
      li a7, 93
      ecall
    .data
    value: .word 0, 1, 2
    """

/// Offsets of ELF32 fields (the ELF header, then program header `index`).
enum ELFField {
    static let type = 16, machine = 18, entry = 24, programHeaderOffset = 28, flags = 36
    static let programHeaderSize = 42, programHeaderCount = 44
    static func header(_ index: Int, _ field: Int) -> Int { 52 + 32 * index + field }
    // Fields inside a program header.
    static let segmentType = 0, offset = 4, address = 8, fileSize = 16, memorySize = 20
}

struct ValidELF {
    var bytes: [UInt8]

    init() throws {
        bytes = try Assembler.assemble(consensusSource).elf()
    }

    func u32(_ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    mutating func set32(_ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    mutating func set16(_ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    func header(_ index: Int, _ field: Int) -> UInt32 { u32(ELFField.header(index, field)) }
}

@Test func aValidProgramLoadsAsTheGeneralLoaderReadsIt() throws {
    let elf = try ValidELF()
    let program = try ConsensusProgram(elf: elf.bytes)
    #expect(program.program == (try Program(elf: elf.bytes)))
    #expect(program.program.segments.map(\.address) == [0xf000, 0x11000])
    // Pages 0xF (ELF headers) and 0x10 (.text), and 0x11 (.data).
    #expect(program.segmentPageCount == 3)
    let outcome = ConsensusRun.run(program: program, input: [], maxSteps: 100)
    #expect(outcome == .halted(exitCode: 0, steps: 5))
}

@Test func aFileOverTheBlobLimitIsRefused() throws {
    let elf = try ValidELF()
    #expect(throws: ConsensusProgramRejection.tooLarge(limit: elf.bytes.count - 1, found: elf.bytes.count)) {
        try ConsensusProgram(elf: elf.bytes, maxBytes: elf.bytes.count - 1)
    }
    let padded = elf.bytes + [UInt8](repeating: 0, count: 256 * 1024 + 1 - elf.bytes.count)
    #expect(throws: ConsensusProgramRejection.tooLarge(limit: 256 * 1024, found: 256 * 1024 + 1)) {
        try ConsensusProgram(elf: padded)
    }
    // Exactly at the limit is fine: trailing bytes no header names are allowed.
    _ = try ConsensusProgram(elf: Array(padded.dropLast()))
}

@Test func headerRulesEachRefuseTheirFile() throws {
    let valid = try ValidELF()
    func refused(_ expected: ConsensusProgramRejection, _ change: (inout ValidELF) -> Void) {
        var elf = valid
        change(&elf)
        #expect(throws: expected) { try ConsensusProgram(elf: elf.bytes) }
    }
    #expect(throws: ConsensusProgramRejection.truncatedHeader(expectedAtLeast: 52, found: 51)) {
        try ConsensusProgram(elf: Array(valid.bytes.prefix(51)))
    }
    refused(.notELF(magic: [0x7f, 0x45, 0x4c, 0x47])) { $0.bytes[3] = 0x47 }
    refused(.wrongClass(expected: 1, found: 2)) { $0.bytes[4] = 2 }
    refused(.wrongByteOrder(expected: 1, found: 2)) { $0.bytes[5] = 2 }
    refused(.wrongType(expected: 2, found: 3)) { $0.set16(ELFField.type, 3) }  // ET_DYN: a PIE
    refused(.wrongMachine(expected: 243, found: 62)) { $0.set16(ELFField.machine, 62) }
    refused(.compressedInstructions(flags: 0x5)) { $0.set32(ELFField.flags, 0x5) }  // RVC | float-abi double
    refused(.wrongProgramHeaderSize(expected: 32, found: 56)) { $0.set16(ELFField.programHeaderSize, 56) }
    let size = valid.bytes.count
    refused(.programHeadersOutsideFile(offset: UInt32(size - 63), count: 2, fileBytes: size)) {
        $0.set32(ELFField.programHeaderOffset, UInt32(size - 63))
    }
    // offset + 64 wraps around 2^32 to a small number, which must not pass for "inside the file".
    refused(.programHeadersOutsideFile(offset: 0xffff_fff0, count: 2, fileBytes: size)) {
        $0.set32(ELFField.programHeaderOffset, 0xffff_fff0)
    }
    refused(.programHeadersOutsideFile(offset: 52, count: 0xffff, fileBytes: size)) {
        $0.set16(ELFField.programHeaderCount, 0xffff)
    }
}

@Test func segmentRulesEachRefuseTheirFile() throws {
    let valid = try ValidELF()
    let size = valid.bytes.count
    let text = (address: valid.header(0, ELFField.address), memorySize: valid.header(0, ELFField.memorySize))
    let data = (offset: valid.header(1, ELFField.offset), address: valid.header(1, ELFField.address),
                fileSize: valid.header(1, ELFField.fileSize), memorySize: valid.header(1, ELFField.memorySize))
    func refused(_ expected: ConsensusProgramRejection, _ change: (inout ValidELF) -> Void) {
        var elf = valid
        change(&elf)
        #expect(throws: expected) { try ConsensusProgram(elf: elf.bytes) }
    }
    refused(.segmentFileSizeExceedsMemorySize(header: 1, fileSize: data.memorySize + 1, memorySize: data.memorySize)) {
        $0.set32(ELFField.header(1, ELFField.fileSize), data.memorySize + 1)
        $0.set32(ELFField.header(1, ELFField.memorySize), data.memorySize)
    }
    refused(.segmentDataOutsideFile(header: 1, offset: UInt32(size - 11), fileSize: data.fileSize, fileBytes: size)) {
        $0.set32(ELFField.header(1, ELFField.offset), UInt32(size - 11))
    }
    refused(.segmentDataOutsideFile(header: 1, offset: 0xffff_fffc, fileSize: data.fileSize, fileBytes: size)) {
        $0.set32(ELFField.header(1, ELFField.offset), 0xffff_fffc)  // offset + size wraps around
    }
    refused(.segmentOutsideProgramWindow(header: 1, address: 0x0fff_fffc, memorySize: data.memorySize, windowEnd: 0x1000_0000)) {
        $0.set32(ELFField.header(1, ELFField.address), 0x0fff_fffc)  // one byte past is enough
    }
    refused(.segmentOutsideProgramWindow(header: 1, address: 0xffff_fffc, memorySize: data.memorySize, windowEnd: 0x1000_0000)) {
        $0.set32(ELFField.header(1, ELFField.address), 0xffff_fffc)  // vaddr + memsz wraps around
    }
    refused(.segmentOutsideProgramWindow(header: 1, address: 0x3000_0000, memorySize: data.memorySize, windowEnd: 0x1000_0000)) {
        $0.set32(ELFField.header(1, ELFField.address), 0x3000_0000)
    }
    // The two program headers swapped: the .data segment comes first.
    refused(.segmentsNotSorted(header: 1, address: text.address, previousAddress: data.address)) { elf in
        let first = Array(elf.bytes[52..<84])
        elf.bytes.replaceSubrange(52..<84, with: elf.bytes[84..<116])
        elf.bytes.replaceSubrange(84..<116, with: first)
    }
    refused(.segmentsOverlap(header: 1, address: text.address + text.memorySize - 1, previousEnd: text.address + text.memorySize)) {
        $0.set32(ELFField.header(1, ELFField.address), text.address + text.memorySize - 1)
    }
    refused(.misalignedEntry(0x1_0002)) { $0.set32(ELFField.entry, 0x1_0002) }
    refused(.entryOutsideSegments(entry: 0x2_0000, segments: 2)) { $0.set32(ELFField.entry, 0x2_0000) }
    refused(.entryOutsideSegments(entry: text.address + text.memorySize + 4, segments: 2)) {
        $0.set32(ELFField.entry, text.address + text.memorySize + 4)  // in the gap between the segments
    }
}

@Test func segmentsThatTouchWithoutOverlappingLoad() throws {
    var elf = try ValidELF()
    let textEnd = elf.header(0, ELFField.address) + elf.header(0, ELFField.memorySize)
    elf.set32(ELFField.header(1, ELFField.address), textEnd)
    let program = try ConsensusProgram(elf: elf.bytes)
    #expect(program.program.segments.map(\.address) == [0xf000, textEnd])
    // .data now starts inside the last page of .text: pages 0xF and 0x10 only.
    #expect(program.segmentPageCount == 2)
}

@Test func otherProgramHeadersAndEmptyLoadsAreIgnored() throws {
    let valid = try ValidELF()
    for type: UInt32 in [0x6474_e551, 0x7000_0003, 4] {  // PT_GNU_STACK, PT_RISCV_ATTRIBUTES, PT_NOTE
        var elf = valid
        elf.set32(ELFField.header(1, ELFField.segmentType), type)
        elf.set32(ELFField.header(1, ELFField.offset), 0xffff_ffff)
        elf.set32(ELFField.header(1, ELFField.address), 0xffff_fff0)
        let program = try ConsensusProgram(elf: elf.bytes)
        #expect(program.program.segments.map(\.address) == [0xf000], "type \(type)")
    }
    var empty = valid
    empty.set32(ELFField.header(1, ELFField.memorySize), 0)
    empty.set32(ELFField.header(1, ELFField.fileSize), 0)
    empty.set32(ELFField.header(1, ELFField.offset), 0xffff_ffff)
    empty.set32(ELFField.header(1, ELFField.address), 0x0000_1000)  // would be out of order if loaded
    #expect(try ConsensusProgram(elf: empty.bytes).program.segments.count == 1)
}

@Test func randomByteChangesNeverCrashTheLoader() throws {
    let valid = try ValidELF()
    var random = SeededGenerator(seed: 0xe1f)
    for _ in 0..<3_000 {
        var bytes = valid.bytes
        for _ in 0..<(1 + random.next() % 4) {
            let position = Int(random.next() % 128)  // the headers
            bytes[position] = UInt8(truncatingIfNeeded: random.next())
        }
        if let program = try? ConsensusProgram(elf: bytes) {
            // Whatever loads satisfies the rules.
            let segments = program.program.segments
            #expect(segments.allSatisfy { UInt64($0.address) + UInt64($0.memorySize) <= 0x1000_0000 })
            #expect(zip(segments, segments.dropFirst()).allSatisfy { UInt64($0.address) + UInt64($0.memorySize) <= UInt64($1.address) })
            #expect(program.entry & 3 == 0)
        }
    }
}
