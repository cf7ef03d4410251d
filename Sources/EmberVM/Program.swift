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

    /// Checks that the program can be loaded: an aligned entry and every segment inside the program
    /// window `[0, 0x1000_0000)` (DESIGN.md section 14 v2), with no more file bytes than memory bytes.
    public init(entry: UInt32, segments: [Segment]) throws(ProgramError) {
        guard entry & 3 == 0 else { throw .misalignedEntry(entry) }
        for segment in segments {
            guard UInt64(segment.bytes.count) <= UInt64(segment.memorySize) else {
                throw .segmentFileSizeExceedsMemorySize(address: segment.address)
            }
            let end = UInt64(segment.address) + UInt64(segment.memorySize)
            guard end <= MachineLayout.programWindow.upperBound else {
                throw .segmentOutsideProgramWindow(address: segment.address, size: segment.memorySize)
            }
        }
        self.entry = entry
        self.segments = segments
    }

    /// A program whose segments the caller has already checked (the consensus loader).
    init(checkedEntry entry: UInt32, segments: [Segment]) {
        self.entry = entry
        self.segments = segments
    }
}

/// Why a program cannot be loaded or assembled into a runnable image.
public enum ProgramError: Error, Equatable, Sendable, CustomStringConvertible {
    case misalignedEntry(UInt32)
    case segmentFileSizeExceedsMemorySize(address: UInt32)
    case segmentOutsideProgramWindow(address: UInt32, size: UInt32)
    case inputTooLarge(bytes: Int)
    case elf(String)

    public var description: String {
        switch self {
        case .misalignedEntry(let entry):
            "entry point 0x\(hex32(entry)) is not a multiple of 4"
        case .segmentFileSizeExceedsMemorySize(let address):
            "segment at 0x\(hex32(address)) has more file bytes than memory bytes"
        case .segmentOutsideProgramWindow(let address, let size):
            "segment at 0x\(hex32(address)) of \(size) bytes runs past 0x10000000, the end of the program window"
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
