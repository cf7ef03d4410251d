/// Writing an assembled program as a static ELF32 RISC-V executable that `Program(elf:)`, GNU
/// objdump and qemu-riscv32 all accept.
extension AssembledProgram {
    public func elf() -> [UInt8] {
        var sections: [(name: String, address: UInt32, bytes: [UInt8], flags: UInt32, sectionFlags: UInt32)] = []
        // Segment flags: R = 4, W = 2, X = 1. Section flags: WRITE = 1, ALLOC = 2, EXECINSTR = 4.
        if !text.isEmpty { sections.append((".text", textAddress, text, 5, 6)) }
        if !data.isEmpty { sections.append((".data", dataAddress, data, 6, 3)) }
        let headerSize = 52
        let programHeadersOffset = headerSize
        var dataOffset = programHeadersOffset + 32 * sections.count
        var offsets: [Int] = []
        for section in sections {
            // Keep file offsets congruent to addresses modulo the page size, as loaders expect.
            let pageOffset = Int(section.address) % MachineLayout.pageSize
            while dataOffset % MachineLayout.pageSize != pageOffset { dataOffset += 1 }
            offsets.append(dataOffset)
            dataOffset += section.bytes.count
        }
        let names = "\0.text\0.data\0.shstrtab\0"
        let nameOffsets = [".text": 1, ".data": 7]
        let stringTableOffset = dataOffset
        let sectionHeadersOffset = (stringTableOffset + names.utf8.count + 3) / 4 * 4

        var out = ELFBuffer()
        out.bytes += [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0] + Array(repeating: 0, count: 8)
        out.u16(2)  // executable
        out.u16(243)  // RISC-V
        out.u32(1)
        out.u32(entry)
        out.u32(UInt32(programHeadersOffset))
        out.u32(UInt32(sectionHeadersOffset))
        out.u32(0)  // flags: soft-float ABI, no compressed instructions
        out.u16(UInt16(headerSize))
        out.u16(32)
        out.u16(UInt16(sections.count))
        out.u16(40)
        out.u16(UInt16(sections.count + 2))
        out.u16(UInt16(sections.count + 1))
        for (index, section) in sections.enumerated() {
            // The first segment also maps the ELF and program headers (file offset 0 up to the
            // section), as GNU ld does: qemu-user and other loaders expect the headers to be mapped.
            let start = index == 0 && offsets[0] <= Int(section.address) ? 0 : offsets[index]
            let extra = offsets[index] - start
            out.u32(1)
            out.u32(UInt32(start))
            out.u32(section.address - UInt32(extra))
            out.u32(section.address - UInt32(extra))
            out.u32(UInt32(section.bytes.count + extra))
            out.u32(UInt32(section.bytes.count + extra))
            out.u32(section.flags)
            out.u32(UInt32(MachineLayout.pageSize))
        }
        for (index, section) in sections.enumerated() {
            out.pad(to: offsets[index])
            out.bytes += section.bytes
        }
        out.pad(to: stringTableOffset)
        out.bytes += Array(names.utf8)
        out.pad(to: sectionHeadersOffset)
        out.bytes += Array(repeating: 0, count: 40)  // the null section
        for (index, section) in sections.enumerated() {
            out.sectionHeader(
                name: nameOffsets[section.name] ?? 0, type: 1, flags: section.sectionFlags, address: section.address,
                offset: offsets[index], size: section.bytes.count, alignment: 4
            )
        }
        out.sectionHeader(name: 13, type: 3, flags: 0, address: 0, offset: stringTableOffset, size: names.utf8.count, alignment: 1)
        return out.bytes
    }
}

private struct ELFBuffer {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
    }

    mutating func u32(_ value: UInt32) {
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    mutating func pad(to offset: Int) {
        if bytes.count < offset { bytes += Array(repeating: 0, count: offset - bytes.count) }
    }

    mutating func sectionHeader(name: Int, type: UInt32, flags: UInt32, address: UInt32, offset: Int, size: Int, alignment: UInt32) {
        u32(UInt32(name))
        u32(type)
        u32(flags)
        u32(address)
        u32(UInt32(offset))
        u32(UInt32(size))
        u32(0)
        u32(0)
        u32(alignment)
        u32(0)
    }
}
