/// Loading static ELF32 RISC-V executables: the PT_LOAD segments and the entry point.
extension Program {
    /// Largest ELF file accepted; bounds reading before any header is trusted.
    public static let maxELFBytes = 64 << 20
    /// More program headers than any static executable has; bounds the header loop.
    public static let maxProgramHeaders = 64

    static let machineRISCV: UInt16 = 243
    static let typeExecutable: UInt16 = 2
    static let segmentLoad: UInt32 = 1
    static let flagCompressed: UInt32 = 0x1

    /// Reads a static little-endian ELF32 RISC-V executable, checking every offset against the file.
    public init(elf bytes: [UInt8]) throws(ProgramError) {
        guard bytes.count <= Self.maxELFBytes else {
            throw .elf("file is \(bytes.count) bytes, over the \(Self.maxELFBytes)-byte limit")
        }
        let reader = LittleEndianReader(bytes: bytes)
        guard bytes.count >= 52, bytes[0..<4] == [0x7f, 0x45, 0x4c, 0x46] else { throw .elf("no ELF header") }
        guard bytes[4] == 1 else { throw .elf("not a 32-bit ELF (class \(bytes[4]))") }
        guard bytes[5] == 1 else { throw .elf("not little-endian") }
        guard reader.u16(16) == Self.typeExecutable else {
            throw .elf("not a static executable (type \(reader.u16(16) ?? 0)); link with -static and no -pie")
        }
        guard reader.u16(18) == Self.machineRISCV else { throw .elf("not a RISC-V file (machine \(reader.u16(18) ?? 0))") }
        guard let entry = reader.u32(24), let headerOffset = reader.u32(28), let flags = reader.u32(36),
            let headerSize = reader.u16(42), let headerCount = reader.u16(44)
        else { throw .elf("truncated header") }
        guard flags & Self.flagCompressed == 0 else {
            throw .elf("built for the C extension (compressed instructions); EmberVM runs RV32IM: use -march=rv32im")
        }
        guard headerCount <= Self.maxProgramHeaders else { throw .elf("\(headerCount) program headers, over \(Self.maxProgramHeaders)") }
        guard headerCount == 0 || headerSize == 32 else { throw .elf("program header size \(headerSize), expected 32") }
        var segments: [Segment] = []
        for index in 0..<Int(headerCount) {
            let base = Int(headerOffset) + index * 32
            guard let type = reader.u32(base), let offset = reader.u32(base + 4), let address = reader.u32(base + 8),
                let fileSize = reader.u32(base + 16), let memorySize = reader.u32(base + 20)
            else { throw .elf("program header \(index) lies outside the file") }
            guard type == Self.segmentLoad, memorySize > 0 else { continue }
            guard UInt64(offset) + UInt64(fileSize) <= UInt64(bytes.count) else {
                throw .elf("segment \(index) data (offset \(offset), \(fileSize) bytes) lies outside the file")
            }
            guard fileSize <= memorySize else { throw .segmentFileSizeExceedsMemorySize(address: address) }
            segments.append(Segment(address: address, bytes: Array(bytes[Int(offset)..<Int(offset) + Int(fileSize)]), memorySize: memorySize))
        }
        guard !segments.isEmpty else { throw .elf("no loadable segment") }
        try self.init(entry: entry, segments: segments)
    }
}

/// Bounds-checked little-endian reads; nil past the end instead of a trap.
struct LittleEndianReader {
    let bytes: [UInt8]

    func u16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
