/// A program as consensus loads it (DESIGN.md section 15): a strict reading of a static ELF32 RISC-V
/// executable, where every rule that refuses a file is a `ConsensusProgramRejection` case.
///
/// The rules, in the order they are checked: the file fits the blob limit; an ELF header (52 bytes,
/// the magic); ELFCLASS32; little-endian; `ET_EXEC`; `EM_RISCV`; the RVC flag clear; program headers of
/// 32 bytes lying inside the file. Then for each `PT_LOAD` with a non-zero memory size (every other
/// program header, and `PT_LOAD`s with memsz 0, are ignored): filesz ≤ memsz, its file bytes inside
/// the file, `[vaddr, vaddr + memsz)` inside `[0, 0x1000_0000)`, its vaddr not below the previous loaded
/// segment's (sorted) and not inside it (no overlap by a byte). Last, the entry is a multiple of 4 and
/// lies inside a loaded segment. All arithmetic is checked, so no field can wrap around.
public struct ConsensusProgram: Equatable, Sendable {
    /// What the machine loads: the entry point and the loaded segments, in address order.
    public let program: Program

    /// A program travels as one blob (DESIGN.md section 15), so a larger file is invalid; the limit also
    /// bounds the loader's work before any header is trusted.
    public static let maxELFBytes = 256 << 10

    static let headerSize = 52
    static let programHeaderSize: UInt16 = 32
    static let classELF32: UInt8 = 1
    static let littleEndian: UInt8 = 1
    static let typeExecutable: UInt16 = 2
    static let machineRISCV: UInt16 = 243
    static let flagCompressed: UInt32 = 0x1
    static let segmentLoad: UInt32 = 1

    /// The entry point.
    public var entry: UInt32 { program.entry }

    /// Loads `elf` under the consensus rules; `maxBytes` is the largest file accepted.
    public init(elf bytes: [UInt8], maxBytes: Int = ConsensusProgram.maxELFBytes) throws(ConsensusProgramRejection) {
        guard bytes.count <= maxBytes else { throw .tooLarge(limit: maxBytes, found: bytes.count) }
        guard bytes.count >= Self.headerSize else { throw .truncatedHeader(expectedAtLeast: Self.headerSize, found: bytes.count) }
        let magic = Array(bytes[0..<4])
        guard magic == [0x7f, 0x45, 0x4c, 0x46] else { throw .notELF(magic: magic) }
        guard bytes[4] == Self.classELF32 else { throw .wrongClass(expected: Self.classELF32, found: bytes[4]) }
        guard bytes[5] == Self.littleEndian else { throw .wrongByteOrder(expected: Self.littleEndian, found: bytes[5]) }
        // The header is inside the file (52 bytes checked above), so these reads cannot fail.
        let type = Self.u16(bytes, 16)
        guard type == Self.typeExecutable else { throw .wrongType(expected: Self.typeExecutable, found: type) }
        let machine = Self.u16(bytes, 18)
        guard machine == Self.machineRISCV else { throw .wrongMachine(expected: Self.machineRISCV, found: machine) }
        let entry = Self.u32(bytes, 24)
        let headerOffset = Self.u32(bytes, 28)
        let flags = Self.u32(bytes, 36)
        guard flags & Self.flagCompressed == 0 else { throw .compressedInstructions(flags: flags) }
        let headerSize = Self.u16(bytes, 42)
        guard headerSize == Self.programHeaderSize else {
            throw .wrongProgramHeaderSize(expected: Self.programHeaderSize, found: headerSize)
        }
        let headerCount = Self.u16(bytes, 44)
        let (tableSize, _) = UInt32(headerCount).multipliedReportingOverflow(by: UInt32(Self.programHeaderSize))  // ≤ 2^21
        let (tableEnd, tableOverflow) = headerOffset.addingReportingOverflow(tableSize)
        guard !tableOverflow, UInt64(tableEnd) <= UInt64(bytes.count) else {
            throw .programHeadersOutsideFile(offset: headerOffset, count: headerCount, fileBytes: bytes.count)
        }

        var segments: [Program.Segment] = []
        var previous: (address: UInt32, end: UInt32)? = nil
        var pages = 0
        var lastPage: UInt32? = nil
        for index in 0..<Int(headerCount) {
            let base = Int(headerOffset) + index * Int(Self.programHeaderSize)
            let segmentType = Self.u32(bytes, base)
            let offset = Self.u32(bytes, base + 4)
            let address = Self.u32(bytes, base + 8)
            let fileSize = Self.u32(bytes, base + 16)
            let memorySize = Self.u32(bytes, base + 20)
            guard segmentType == Self.segmentLoad, memorySize > 0 else { continue }
            guard fileSize <= memorySize else {
                throw .segmentFileSizeExceedsMemorySize(header: index, fileSize: fileSize, memorySize: memorySize)
            }
            let (fileEnd, fileOverflow) = offset.addingReportingOverflow(fileSize)
            guard !fileOverflow, UInt64(fileEnd) <= UInt64(bytes.count) else {
                throw .segmentDataOutsideFile(header: index, offset: offset, fileSize: fileSize, fileBytes: bytes.count)
            }
            let (end, endOverflow) = address.addingReportingOverflow(memorySize)
            guard !endOverflow, UInt64(end) <= MachineLayout.programWindow.upperBound else {
                throw .segmentOutsideProgramWindow(
                    header: index, address: address, memorySize: memorySize, windowEnd: UInt32(MachineLayout.programWindow.upperBound)
                )
            }
            if let previous {
                guard address >= previous.address else {
                    throw .segmentsNotSorted(header: index, address: address, previousAddress: previous.address)
                }
                guard address >= previous.end else {
                    throw .segmentsOverlap(header: index, address: address, previousEnd: previous.end)
                }
            }
            previous = (address, end)
            // Pages are counted before any byte is copied: segments may share file data, so a small file
            // could otherwise make the loader copy far more than a run could ever touch.
            let (firstPage, lastPageOfSegment) = (address >> MachineLayout.pageShift, (end - 1) >> MachineLayout.pageShift)
            pages += Int(lastPageOfSegment - firstPage) + (lastPage == firstPage ? 0 : 1)
            lastPage = lastPageOfSegment
            guard pages <= ConsensusRun.maxPages else { throw .segmentsOverPageLimit(header: index, pages: pages, limit: ConsensusRun.maxPages) }
            segments.append(Program.Segment(address: address, bytes: Array(bytes[Int(offset)..<Int(fileEnd)]), memorySize: memorySize))
        }
        guard entry & 3 == 0 else { throw .misalignedEntry(entry) }
        guard segments.contains(where: { entry >= $0.address && entry - $0.address < $0.memorySize }) else {
            throw .entryOutsideSegments(entry: entry, segments: segments.count)
        }
        program = Program(checkedEntry: entry, segments: segments)
    }

    /// The distinct 4 KiB pages that overlap a loaded segment's `[vaddr, vaddr + memsz)`.
    public var segmentPageCount: Int {
        var count = 0
        var lastCounted: UInt32? = nil
        for segment in program.segments where segment.memorySize > 0 {
            let first = segment.address >> MachineLayout.pageShift
            let last = (segment.address + (segment.memorySize - 1)) >> MachineLayout.pageShift
            // Segments are sorted and disjoint, so only the previous segment's last page can repeat.
            count += Int(last - first) + (lastCounted == first ? 0 : 1)
            lastCounted = last
        }
        return count
    }

    /// Little-endian reads at offsets the caller has checked to lie inside `bytes`.
    private static func u16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}

/// Why consensus refuses a program (DESIGN.md section 15). Each case names the rule and carries what
/// was expected and what was found; `header` is the index of the program header at fault. The sender of
/// a transaction carrying such a program is always at fault.
public enum ConsensusProgramRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(limit: Int, found: Int)
    case truncatedHeader(expectedAtLeast: Int, found: Int)
    case notELF(magic: [UInt8])
    case wrongClass(expected: UInt8, found: UInt8)
    case wrongByteOrder(expected: UInt8, found: UInt8)
    case wrongType(expected: UInt16, found: UInt16)
    case wrongMachine(expected: UInt16, found: UInt16)
    case compressedInstructions(flags: UInt32)
    case wrongProgramHeaderSize(expected: UInt16, found: UInt16)
    case programHeadersOutsideFile(offset: UInt32, count: UInt16, fileBytes: Int)
    case segmentFileSizeExceedsMemorySize(header: Int, fileSize: UInt32, memorySize: UInt32)
    case segmentDataOutsideFile(header: Int, offset: UInt32, fileSize: UInt32, fileBytes: Int)
    case segmentOutsideProgramWindow(header: Int, address: UInt32, memorySize: UInt32, windowEnd: UInt32)
    case segmentsNotSorted(header: Int, address: UInt32, previousAddress: UInt32)
    case segmentsOverlap(header: Int, address: UInt32, previousEnd: UInt32)
    case segmentsOverPageLimit(header: Int, pages: Int, limit: Int)
    case misalignedEntry(UInt32)
    case entryOutsideSegments(entry: UInt32, segments: Int)

    public var description: String {
        switch self {
        case .tooLarge(let limit, let found):
            "program is \(found) bytes, over the \(limit)-byte limit"
        case .truncatedHeader(let expected, let found):
            "program is \(found) bytes, shorter than the \(expected)-byte ELF header"
        case .notELF(let magic):
            "not an ELF file (magic \(magic.map { String($0, radix: 16) }.joined(separator: " ")), expected 7f 45 4c 46)"
        case .wrongClass(let expected, let found):
            "ELF class \(found), expected \(expected) (32-bit)"
        case .wrongByteOrder(let expected, let found):
            "ELF data encoding \(found), expected \(expected) (little-endian)"
        case .wrongType(let expected, let found):
            "ELF type \(found), expected \(expected) (a static executable: link with -static and no -pie)"
        case .wrongMachine(let expected, let found):
            "ELF machine \(found), expected \(expected) (RISC-V)"
        case .compressedInstructions(let flags):
            "ELF flags 0x\(hex32(flags)) have the compressed-instructions bit set; build with -march=rv32im"
        case .wrongProgramHeaderSize(let expected, let found):
            "program header size \(found), expected \(expected)"
        case .programHeadersOutsideFile(let offset, let count, let fileBytes):
            "\(count) program headers at offset \(offset) run past the end of the \(fileBytes)-byte file"
        case .segmentFileSizeExceedsMemorySize(let header, let fileSize, let memorySize):
            "program header \(header): file size \(fileSize) is over the memory size \(memorySize)"
        case .segmentDataOutsideFile(let header, let offset, let fileSize, let fileBytes):
            "program header \(header): \(fileSize) bytes at offset \(offset) run past the end of the \(fileBytes)-byte file"
        case .segmentOutsideProgramWindow(let header, let address, let memorySize, let windowEnd):
            "program header \(header): \(memorySize) bytes at 0x\(hex32(address)) run past 0x\(hex32(windowEnd)), the end of the program window"
        case .segmentsNotSorted(let header, let address, let previousAddress):
            "program header \(header): segment at 0x\(hex32(address)) comes after one at 0x\(hex32(previousAddress)); loaded segments must be sorted by address"
        case .segmentsOverlap(let header, let address, let previousEnd):
            "program header \(header): segment at 0x\(hex32(address)) overlaps the previous one, which ends at 0x\(hex32(previousEnd))"
        case .segmentsOverPageLimit(let header, let pages, let limit):
            "program header \(header): the loaded segments cover \(pages) pages, over the \(limit) a consensus run may touch"
        case .misalignedEntry(let entry):
            "entry point 0x\(hex32(entry)) is not a multiple of 4"
        case .entryOutsideSegments(let entry, let segments):
            "entry point 0x\(hex32(entry)) lies in none of the \(segments) loaded segments"
        }
    }
}
