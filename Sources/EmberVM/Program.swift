/// A program ready to run: an entry point and the bytes to place in memory.
public struct Program: Equatable, Sendable {
    /// A run of bytes loaded at `address`, followed by zeros up to `memorySize` bytes.
    public struct Segment: Equatable, Sendable {
        public var address: UInt32
        public var bytes: [UInt8]
        public var memorySize: UInt32

        public init(address: UInt32, bytes: [UInt8], memorySize: UInt32? = nil) {
            self.address = address
            self.bytes = bytes
            self.memorySize = memorySize ?? UInt32(truncatingIfNeeded: bytes.count)
        }
    }

    public var entry: UInt32
    public var segments: [Segment]

    /// Largest total segment size a program may declare: the memory limit itself.
    public static let maxLoadedBytes = UInt64(MachineLayout.maxTouchedPages * MachineLayout.pageSize)

    /// Checks that the program can be loaded: an aligned entry, segments inside the address space,
    /// outside the input/output window, and within the memory limit.
    public init(entry: UInt32, segments: [Segment]) throws(ProgramError) {
        guard entry & 3 == 0 else { throw .misalignedEntry(entry) }
        var total: UInt64 = 0
        for segment in segments {
            let start = UInt64(segment.address)
            let end = start + UInt64(segment.memorySize)
            guard UInt64(segment.bytes.count) <= UInt64(segment.memorySize) else {
                throw .segmentFileSizeExceedsMemorySize(address: segment.address)
            }
            guard end <= 1 << 32 else { throw .segmentOutsideAddressSpace(address: segment.address, size: segment.memorySize) }
            guard end <= MachineLayout.ioWindow.lowerBound || start >= MachineLayout.ioWindow.upperBound else {
                throw .segmentInIOWindow(address: segment.address, size: segment.memorySize)
            }
            total += UInt64(segment.memorySize)
            guard total <= Self.maxLoadedBytes else { throw .tooLarge(bytes: total) }
        }
        self.entry = entry
        self.segments = segments
    }
}

/// Why a program cannot be loaded or assembled into a runnable image.
public enum ProgramError: Error, Equatable, Sendable, CustomStringConvertible {
    case misalignedEntry(UInt32)
    case segmentFileSizeExceedsMemorySize(address: UInt32)
    case segmentOutsideAddressSpace(address: UInt32, size: UInt32)
    case segmentInIOWindow(address: UInt32, size: UInt32)
    case tooLarge(bytes: UInt64)
    case inputTooLarge(bytes: Int)
    case elf(String)

    public var description: String {
        switch self {
        case .misalignedEntry(let entry):
            "entry point 0x\(hex32(entry)) is not a multiple of 4"
        case .segmentFileSizeExceedsMemorySize(let address):
            "segment at 0x\(hex32(address)) has more file bytes than memory bytes"
        case .segmentOutsideAddressSpace(let address, let size):
            "segment at 0x\(hex32(address)) of \(size) bytes runs past the 4 GiB address space"
        case .segmentInIOWindow(let address, let size):
            "segment at 0x\(hex32(address)) of \(size) bytes overlaps 0x30000000..<0x40000000, reserved for input and output"
        case .tooLarge(let bytes):
            "program needs \(bytes) bytes of memory, over the 256 MiB limit"
        case .inputTooLarge(let bytes):
            "input of \(bytes) bytes is over the \(MachineLayout.maxInputBytes)-byte limit"
        case .elf(let reason):
            "not a loadable ELF: \(reason)"
        }
    }
}

/// Eight lowercase hex digits.
func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
