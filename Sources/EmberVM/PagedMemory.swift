#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The machine's 4 GiB sparse memory: 4 KiB pages allocated on first write, zero elsewhere.
///
/// Pages live in manually managed memory so the interpreter's loads and stores are a table lookup and
/// a pointer access. Each page carries a small header after its 4096 data bytes: whether it was written
/// since the Merkle tree was last brought up to date, whether it was written since the last checkpoint,
/// its predecoded instructions (if code ran from it), and its Merkle subtree root.
final class PagedMemory {
    static let pageSize = MachineLayout.pageSize
    static let hashDirtyOffset = pageSize
    static let snapshotDirtyOffset = pageSize + 1
    static let decodedOffset = pageSize + 8
    static let rootOffset = pageSize + 32
    static let allocationSize = pageSize + 64
    static let slotsPerPage = pageSize / 4

    /// One entry per page of the address space; nil is a page never written (all zero).
    let table: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// Indices of allocated pages; in a consensus run, the distinct pages the run touched.
    private(set) var allocatedPages: [UInt32] = []
    /// Pages written since the Merkle tree was last brought up to date.
    var hashDirtyPages: [UInt32] = []
    /// Pages written since the last checkpoint snapshot.
    var snapshotDirtyPages: [UInt32] = []
    /// Merkle nodes above page level (index 0 is the level just above pages); absent means zero.
    var upperLevels: [[UInt32: Digest32]]
    /// The snapshot this memory last matched, which the next snapshot shares unchanged pages with.
    var lastSnapshot: MemorySnapshot?

    init() {
        let raw = calloc(MachineLayout.pageCount, MemoryLayout<UnsafeMutableRawPointer?>.stride)
        // Without 8 MiB of address space for the page table the process cannot run a machine at all.
        guard let raw else { fatalError("EmberVM: cannot allocate the page table") }
        table = raw.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: MachineLayout.pageCount)
        upperLevels = Array(repeating: [:], count: MachineLayout.treeDepth - MachineLayout.pageTreeHeight)
    }

    deinit {
        for index in allocatedPages {
            if let page = table[Int(index)] {
                if let slots = Self.decodedSlots(of: page) { free(slots) }
                page.deallocate()
            }
        }
        free(table)
    }

    var touchedPageCount: Int { allocatedPages.count }

    @inline(__always)
    static func decodedSlots(of page: UnsafeMutableRawPointer) -> UnsafeMutablePointer<DecodedInstruction>? {
        page.load(fromByteOffset: decodedOffset, as: UnsafeMutablePointer<DecodedInstruction>?.self)
    }

    /// Allocates a zero page at `index`, which must not be allocated yet.
    func allocatePage(_ index: UInt32) -> UnsafeMutableRawPointer {
        let page = UnsafeMutableRawPointer.allocate(byteCount: Self.allocationSize, alignment: 64)
        page.initializeMemory(as: UInt8.self, repeating: 0, count: Self.allocationSize)
        table[Int(index)] = page
        allocatedPages.append(index)
        return page
    }

    /// Records that `page` changed, for incremental hashing and for checkpoints.
    @inline(__always)
    func markWritten(_ page: UnsafeMutableRawPointer, index: UInt32) {
        if page.load(fromByteOffset: Self.hashDirtyOffset, as: UInt8.self) == 0 {
            page.storeBytes(of: 1, toByteOffset: Self.hashDirtyOffset, as: UInt8.self)
            hashDirtyPages.append(index)
        }
        if page.load(fromByteOffset: Self.snapshotDirtyOffset, as: UInt8.self) == 0 {
            page.storeBytes(of: 1, toByteOffset: Self.snapshotDirtyOffset, as: UInt8.self)
            snapshotDirtyPages.append(index)
        }
    }

    func readByte(_ address: UInt32) -> UInt8 {
        guard let page = table[Int(address >> MachineLayout.pageShift)] else { return 0 }
        return page.load(fromByteOffset: Int(address & 0xfff), as: UInt8.self)
    }

    func readBytes(_ address: UInt32, count: Int) -> [UInt8] {
        (0..<count).map { readByte(address &+ UInt32(truncatingIfNeeded: $0)) }
    }

    /// Writes bytes (wrapping at 2^32), allocating pages.
    func write(_ address: UInt32, bytes: some Collection<UInt8>) {
        var byteAddress = address
        for byte in bytes {
            let index = byteAddress >> MachineLayout.pageShift
            let page = table[Int(index)] ?? allocatePage(index)
            let offset = Int(byteAddress & 0xfff)
            page.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
            markWritten(page, index: index)
            if let slots = Self.decodedSlots(of: page) { slots[offset >> 2] = .undecoded }
            byteAddress &+= 1
        }
    }

    /// Allocates page `index` as zeros if it is not yet, without changing what memory holds (a zero page
    /// reads as an absent one); consensus runs use it to count the pages a run touches.
    func touchPage(_ index: UInt32) {
        guard table[Int(index)] == nil else { return }
        let page = allocatePage(index)
        // Its cached subtree root is not yet computed: have the next hash compute it.
        markWritten(page, index: index)
    }

    /// A store the inline path does not handle: a new page, the first write since a hash or snapshot,
    /// a page with decoded instructions, or a store across pages.
    @inline(never)
    func storeSlowly(_ address: UInt32, _ value: UInt32, width: UInt32) {
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { $0.storeBytes(of: value.littleEndian, as: UInt32.self) }
        withUnsafeBytes(of: &bytes) { write(address, bytes: $0.prefix(Int(width))) }
    }

    /// The predecoded-instruction slots of a page, created on first use; nil if the page is unallocated.
    func decodedSlots(forPage index: UInt32) -> UnsafeMutablePointer<DecodedInstruction>? {
        guard let page = table[Int(index)] else { return nil }
        if let slots = Self.decodedSlots(of: page) { return slots }
        // Zero bytes are a valid `.undecoded` slot, so calloc'd memory needs no further setup.
        guard let raw = calloc(Self.slotsPerPage, MemoryLayout<DecodedInstruction>.stride) else { return nil }
        let slots = raw.bindMemory(to: DecodedInstruction.self, capacity: Self.slotsPerPage)
        page.storeBytes(of: slots, toByteOffset: Self.decodedOffset, as: UnsafeMutablePointer<DecodedInstruction>?.self)
        return slots
    }
}

/// The interpreter's view of `PagedMemory`: the common cases inline, everything else out of line.
struct PagedMemoryAccess: MachineMemory {
    unowned(unsafe) let memory: PagedMemory
    let table: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    init(_ memory: PagedMemory) {
        self.memory = memory
        self.table = memory.table
    }

    @inline(__always)
    func load8(_ address: UInt32) -> UInt32 {
        guard let page = table[Int(address >> MachineLayout.pageShift)] else { return 0 }
        return UInt32(page.load(fromByteOffset: Int(address & 0xfff), as: UInt8.self))
    }

    @inline(__always)
    func load16(_ address: UInt32) -> UInt32 {
        let offset = Int(address & 0xfff)
        guard offset <= PagedMemory.pageSize - 2 else { return load8(address) | load8(address &+ 1) << 8 }
        guard let page = table[Int(address >> MachineLayout.pageShift)] else { return 0 }
        return UInt32(UInt16(littleEndian: page.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inline(__always)
    func load32(_ address: UInt32) -> UInt32 {
        let offset = Int(address & 0xfff)
        guard offset <= PagedMemory.pageSize - 4 else { return load16(address) | load16(address &+ 2) << 16 }
        guard let page = table[Int(address >> MachineLayout.pageShift)] else { return 0 }
        return UInt32(littleEndian: page.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func store(_ address: UInt32, _ value: UInt32, width: UInt32) {
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
        memory.storeSlowly(address, value, width: width)
    }
}
