/// The memory a consensus run sees: `PagedMemoryAccess` that allocates a page (as zeros) the first time
/// anything fetches, reads or writes it, so the memory's allocated pages are exactly the pages the run
/// has touched (DESIGN.md section 15). Counting therefore costs nothing per access: only a page-table
/// miss, which happens once per page, takes the slow path that counts.
///
/// When a new page would take the count over `pageLimit`, the access is not done (a load reads zero, a
/// store stores nothing), `overLimit` is set and the interpreter stops after the step: the run failed.
struct CountingMemoryAccess: RunLoopMemory {
    unowned(unsafe) let memory: PagedMemory
    let table: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let pageLimit: Int
    private(set) var overLimit = false

    init(_ memory: PagedMemory, pageLimit: Int) {
        self.memory = memory
        self.table = memory.table
        self.pageLimit = pageLimit
    }

    @inline(__always)
    var stopsRun: Bool { overLimit }

    /// The page holding `address`, allocated and counted if new; nil when that would pass the limit.
    @inline(__always)
    private mutating func page(_ address: UInt32) -> UnsafeMutableRawPointer? {
        table[Int(address >> MachineLayout.pageShift)] ?? touch(address)
    }

    @inline(never)
    private mutating func touch(_ address: UInt32) -> UnsafeMutableRawPointer? {
        guard memory.touchedPageCount < pageLimit else {
            overLimit = true
            return nil
        }
        memory.touchPage(address >> MachineLayout.pageShift)
        return table[Int(address >> MachineLayout.pageShift)]
    }

    @inline(__always)
    mutating func load8(_ address: UInt32) -> UInt32 {
        guard let page = page(address) else { return 0 }
        return UInt32(page.load(fromByteOffset: Int(address & 0xfff), as: UInt8.self))
    }

    @inline(__always)
    mutating func load16(_ address: UInt32) -> UInt32 {
        let offset = Int(address & 0xfff)
        guard offset <= PagedMemory.pageSize - 2 else { return load8(address) | load8(address &+ 1) << 8 }
        guard let page = page(address) else { return 0 }
        return UInt32(UInt16(littleEndian: page.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inline(__always)
    mutating func load32(_ address: UInt32) -> UInt32 {
        let offset = Int(address & 0xfff)
        guard offset <= PagedMemory.pageSize - 4 else { return load16(address) | load16(address &+ 2) << 16 }
        guard let page = page(address) else { return 0 }
        return UInt32(littleEndian: page.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    mutating func store(_ address: UInt32, _ value: UInt32, width: UInt32) {
        let offset = Int(address & 0xfff)
        if offset + Int(width) <= PagedMemory.pageSize, let page = table[Int(address >> MachineLayout.pageShift)],
            page.load(fromByteOffset: PagedMemory.hashDirtyOffset, as: UInt8.self) != 0,
            PagedMemory.decodedSlots(of: page) == nil
        {
            switch width {
            case 1: page.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
            case 2: page.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
            default: page.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
            }
            return
        }
        // Both pages (the same one unless the store crosses a page boundary) are counted before writing.
        guard page(address) != nil, page(address &+ (width &- 1)) != nil else { return }
        memory.storeSlowly(address, value, width: width)
    }
}
