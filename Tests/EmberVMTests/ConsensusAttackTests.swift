import EmberTestSupport
import EmberVM
import Foundation
import Testing

/// A hostile review of EmberVM inside consensus (DESIGN.md section 15): the ELF loader and the bounded
/// run. Each test is an attack and asserts the defence; each hole found is fixed and its test asserts the defence.
@Suite("Consensus VM attacks")
struct ConsensusAttackTests {
    struct Segment {
        var type: UInt32 = 1
        var offset: UInt32
        var vaddr: UInt32
        var filesz: UInt32
        var memsz: UInt32
    }

    /// An ELF32 RISC-V executable with these program headers at `phoff` (default 52) and `payload`
    /// appended after the table; `phnum` overrides the count written in the header.
    static func elf(entry: UInt32, segments: [Segment], payload: [UInt8] = [], phoff: UInt32 = 52, phnum: UInt16? = nil) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 52 + 32 * segments.count)
        func put16(_ value: UInt16, _ at: Int) { bytes[at] = UInt8(value & 0xff); bytes[at + 1] = UInt8(value >> 8) }
        func put32(_ value: UInt32, _ at: Int) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) } }
        bytes[0...3] = [0x7f, 0x45, 0x4c, 0x46]
        bytes[4] = 1; bytes[5] = 1; bytes[6] = 1
        put16(2, 16); put16(243, 18); put32(1, 20); put32(entry, 24); put32(phoff, 28)
        put16(52, 40); put16(32, 42); put16(phnum ?? UInt16(segments.count), 44)
        for (index, segment) in segments.enumerated() {
            let base = 52 + 32 * index
            put32(segment.type, base); put32(segment.offset, base + 4); put32(segment.vaddr, base + 8); put32(segment.vaddr, base + 12)
            put32(segment.filesz, base + 16); put32(segment.memsz, base + 20); put32(5, base + 24); put32(4, base + 28)
        }
        return bytes + payload
    }

    static func words(_ code: [UInt32]) -> [UInt8] {
        code.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
    }

    /// `li a0, 0; li a7, 93; ecall`.
    static let haltOK: [UInt32] = [0x0000_0513, 0x05d0_0893, 0x0000_0073]

    static func program(code: [UInt32], memsz: UInt32? = nil) -> [UInt8] {
        let payload = words(code)
        return elf(entry: 0x10000, segments: [Segment(offset: 84, vaddr: 0x10000, filesz: UInt32(payload.count), memsz: memsz ?? UInt32(payload.count))], payload: payload)
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    // MARK: Loader

    @Test("program headers whose offset plus table size overflows 32 bits are refused")
    func headerTableOverflow() {
        let bytes = Self.elf(entry: 0x10000, segments: [], payload: [UInt8](repeating: 0, count: 64), phoff: 0xffff_fff0, phnum: 2)
        #expect(throws: ConsensusProgramRejection.programHeadersOutsideFile(offset: 0xffff_fff0, count: 2, fileBytes: bytes.count)) {
            try ConsensusProgram(elf: bytes)
        }
    }

    @Test("a segment whose file offset plus size overflows 32 bits is refused")
    func segmentFileOverflow() {
        let bytes = Self.elf(entry: 0x10000, segments: [Segment(offset: 0xffff_ff00, vaddr: 0x10000, filesz: 0x200, memsz: 0x200)])
        #expect(throws: ConsensusProgramRejection.segmentDataOutsideFile(header: 0, offset: 0xffff_ff00, fileSize: 0x200, fileBytes: bytes.count)) {
            try ConsensusProgram(elf: bytes)
        }
    }

    @Test("a segment whose vaddr plus memsz overflows, or ends one byte past the program window, is refused")
    func segmentAddressOverflow() throws {
        let payload = Self.words(Self.haltOK)
        let wrap = Self.elf(entry: 0x10000, segments: [Segment(offset: 52 + 32, vaddr: 0xffff_f000, filesz: 12, memsz: 0x2000)], payload: payload)
        #expect(throws: ConsensusProgramRejection.self) { try ConsensusProgram(elf: wrap) }
        let past = Self.elf(entry: 0x10000, segments: [Segment(offset: 84, vaddr: 0x10000, filesz: 12, memsz: 0x1000_0000 - 0x10000 + 1)], payload: payload)
        #expect(throws: ConsensusProgramRejection.self) { try ConsensusProgram(elf: past) }
        let exact = Self.elf(entry: 0x10000, segments: [Segment(offset: 84, vaddr: 0x10000, filesz: 12, memsz: 0x1000_0000 - 0x10000)], payload: payload)
        // Inside the window, but its 65 520 pages are refused by the loader before anything is copied.
        #expect(throws: ConsensusProgramRejection.segmentsOverPageLimit(header: 0, pages: 65_520, limit: 4_096)) {
            try ConsensusProgram(elf: exact)
        }
    }

    @Test("overlapping or unsorted segments, and an entry outside every segment, are refused")
    func overlapAndEntry() {
        let payload = Self.words(Self.haltOK)
        let overlap = Self.elf(entry: 0x10000, segments: [
            Segment(offset: 116, vaddr: 0x10000, filesz: 12, memsz: 0x1001), Segment(offset: 116, vaddr: 0x11000, filesz: 12, memsz: 12),
        ], payload: payload)
        #expect(throws: ConsensusProgramRejection.segmentsOverlap(header: 1, address: 0x11000, previousEnd: 0x11001)) { try ConsensusProgram(elf: overlap) }
        let outside = Self.elf(entry: 0x20000, segments: [Segment(offset: 84, vaddr: 0x10000, filesz: 12, memsz: 12)], payload: payload)
        #expect(throws: ConsensusProgramRejection.entryOutsideSegments(entry: 0x20000, segments: 1)) { try ConsensusProgram(elf: outside) }
    }

    @Test("thousands of ignored program headers cost the loader next to nothing")
    func manyIgnoredHeaders() throws {
        let payload = Self.words(Self.haltOK)
        let count = 8_000
        let codeOffset = UInt32(52 + 32 * (count + 1))
        var segments = (0..<count).map { _ in Segment(type: 4, offset: 0, vaddr: 0, filesz: 0, memsz: 0) }
        segments.append(Segment(offset: codeOffset, vaddr: 0x10000, filesz: 12, memsz: 12))
        let bytes = Self.elf(entry: 0x10000, segments: segments, payload: payload)
        var program: ConsensusProgram?
        let seconds = try Self.time { program = try ConsensusProgram(elf: bytes) }
        print("ATTACK manyIgnoredHeaders: \(bytes.count) bytes, \(count) headers, load \(seconds * 1000) ms")
        #expect(ConsensusRun.run(program: program!, input: [], maxSteps: 3).isSuccess)
    }

    @Test("the loader refuses segments over 4 096 pages before copying them (no 256 MiB copy from a 192 KiB file)")
    func loaderCopiesBeforePageLimit() throws {
        // 2 048 PT_LOADs of 128 KiB each, all pointing at the same 128 KiB of file data: 256 MiB of copies.
        let count = 2_048
        let chunk: UInt32 = 128 << 10
        let dataOffset = UInt32(52 + 32 * count)
        let segments = (0..<count).map { Segment(offset: dataOffset, vaddr: UInt32($0) * chunk, filesz: chunk, memsz: chunk) }
        let bytes = Self.elf(entry: 0, segments: segments, payload: [UInt8](repeating: 0x13, count: Int(chunk)))
        #expect(bytes.count <= ConsensusProgram.maxELFBytes)
        var program: ConsensusProgram?
        let seconds = Self.time { program = try? ConsensusProgram(elf: bytes) }
        let loaded = program != nil
        print("ATTACK loaderCopiesBeforePageLimit: \(bytes.count)-byte file, load \(seconds * 1000) ms, loaded=\(loaded)")
        if let program {
            #expect(program.segmentPageCount == 65_536)
            #expect(ConsensusRun.run(program: program, input: [], maxSteps: 3) == .pageLimitExceeded(pages: 65_537, steps: 0))
        }
        #expect(!loaded)
    
    }

    // MARK: Runs

    @Test("a store that would take a run past 4 096 pages stops it, also across a page boundary")
    func pageLimitAtTheEdge() throws {
        // 4 095 program pages + the input's page = 4 096; then a word store straddling 0x0200_0000.
        let code: [UInt32] = [
            0x0200_02b7,  // lui t0, 0x2000       (t0 = 0x0200_0000)
            0xffe2_8293,  // addi t0, t0, -2
            0x0062_a023,  // sw t1, 0(t0)
        ] + Self.haltOK
        let program = try ConsensusProgram(elf: Self.program(code: code, memsz: 4_095 * 4_096))
        #expect(program.segmentPageCount == 4_095)
        #expect(ConsensusRun.run(program: program, input: [], maxSteps: 100).failure == .tooManyPages(limit: 4_096))
        let fits = try ConsensusProgram(elf: Self.program(code: Self.haltOK, memsz: 4_095 * 4_096))
        #expect(ConsensusRun.run(program: fits, input: [], maxSteps: 3) == .halted(exitCode: 0, steps: 3))
    }

    @Test("worst-case run costs, measured: 2^20 steps, and a 3-step run over 4 096 pages")
    func worstCaseCosts() throws {
        // A tight loop: addi t0, t0, 1; j -4 — never halts, runs its full budget.
        let loop = try ConsensusProgram(elf: Self.program(code: [0x0012_8293, 0xffdf_f06f]))
        var outcome: ConsensusRunOutcome?
        let loopSeconds = Self.time { outcome = ConsensusRun.run(program: loop, input: [], maxSteps: 1 << 20) }
        #expect(outcome == .outOfSteps(maxSteps: 1 << 20))
        // Loads that straddle pages: lw from 0x…ffe of the same two pages, in a loop (slow path each time).
        let straddle = try ConsensusProgram(elf: Self.program(code: [
            0x0200_02b7, 0xffe2_8293,  // t0 = 0x0200_0000 - 2
            0x0002_a303,  // lw t1, 0(t0)
            0xffdf_f06f,  // j -4
        ]))
        let straddleSeconds = Self.time { outcome = ConsensusRun.run(program: straddle, input: [], maxSteps: 1 << 20) }
        #expect(outcome == .outOfSteps(maxSteps: 1 << 20))
        let fat = try ConsensusProgram(elf: Self.program(code: Self.haltOK, memsz: 4_095 * 4_096))
        let runs = 5
        let fatSeconds = Self.time { for _ in 0..<runs { outcome = ConsensusRun.run(program: fat, input: [], maxSteps: 3) } } / Double(runs)
        #expect(outcome == .halted(exitCode: 0, steps: 3))
        let tiny = try ConsensusProgram(elf: Self.program(code: Self.haltOK))
        let tinySeconds = Self.time { for _ in 0..<runs { outcome = ConsensusRun.run(program: tiny, input: [], maxSteps: 3) } } / Double(runs)
        print("""
            ATTACK worstCaseCosts: 2^20-step loop (debug build) \(loopSeconds * 1000) ms; 2^20 page-straddling loads \(straddleSeconds * 1000) ms; \
            3-step run over 4096 pages \(fatSeconds * 1000) ms; 3-step run over 2 pages \(tinySeconds * 1000) ms
            """)
    }
}
