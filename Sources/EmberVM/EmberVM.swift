// EmberVM: an RV32IM machine whose every step can be proven and checked on chain (DESIGN.md section 14).
//
// How the pieces fit:
// - `Program` is what runs: loaded from a static ELF32 executable (`Program(elf:)`) or produced by the
//   project's own assembler (`Assembler`).
// - `Machine` runs a program over an input. Its fast path (`run(untilStep:)`) executes predecoded
//   instructions over a paged sparse memory without hashing anything; the Merkle tree over memory is
//   brought up to date only when a state hash is asked for, and then only for pages written since.
// - `Semantics.execute` is the single definition of what one instruction does. The fast path, the
//   prover and the verifier all call it, with different memories behind it.
// - `Prover` keeps checkpoints of a run and produces a `StepProof` for any step; `verifyStep` checks one
//   proof with nothing but the proof and returns the pre- and post-state hashes.
// - `ConsensusProgram` and `ConsensusRun` are what consensus calls (DESIGN.md section 15): the strict ELF
//   loader and a bounded run that counts the distinct pages it touches.
// - Choices DESIGN.md leaves open (trap codes, the proof encodings, the assembler's pseudo-instructions)
//   are written down in docs/vm.md.

/// Addresses and limits fixed by DESIGN.md section 14, plus the few this implementation had to choose.
public enum MachineLayout {
    /// Where the input is mapped: its length as a little-endian word, then its bytes.
    public static let inputAddress: UInt32 = 0x3000_0000
    /// Where the program writes its result: a little-endian length word, then the bytes.
    public static let outputAddress: UInt32 = 0x3800_0000
    /// Initial stack pointer (x2).
    public static let initialStackPointer: UInt32 = 0x8000_0000
    /// Program and heap: the only window program segments may occupy.
    public static let programWindow: Range<UInt64> = 0x0000_0000..<0x1000_0000
    /// Input and output.
    public static let ioWindow: Range<UInt64> = 0x3000_0000..<0x4000_0000
    /// The stack, which grows down from `initialStackPointer`.
    public static let stackWindow: Range<UInt64> = 0x7000_0000..<0x8000_0000
    /// The memory windows as 256 MiB regions (address >> 28): bit k set when region k is a window.
    /// Every window is one whole region, so checking a byte address is one shift and one bit test.
    static let windowRegions: UInt32 = 1 << 0x0 | 1 << 0x3 | 1 << 0x7

    /// Whether the byte at `address` lies inside a memory window.
    @inline(__always)
    public static func isInsideWindows(_ address: UInt32) -> Bool {
        (windowRegions >> (address >> 28)) & 1 != 0
    }

    /// Whether every byte of `address..<address + width` (width 1…4, wrapping at 2^32) lies inside a
    /// window. Windows are 256 MiB regions, so the first and last bytes decide.
    @inline(__always)
    public static func isInsideWindows(_ address: UInt32, width: UInt32) -> Bool {
        (windowRegions >> (address >> 28)) & (windowRegions >> ((address &+ (width &- 1)) >> 28)) & 1 != 0
    }

    /// Largest output a program may declare; a store making the output length word larger traps.
    public static let maxOutputBytes: UInt32 = 1 << 20
    /// Largest input: it must fit between the input and output addresses.
    public static let maxInputBytes = Int(outputAddress - inputAddress) - 4

    /// Memory is allocated, counted and rehashed in pages of this size.
    public static let pageShift: UInt32 = 12
    public static let pageSize = 1 << pageShift
    public static let pageCount = 1 << (32 - pageShift)

    /// Merkle leaves hold 32 raw memory bytes; 2^27 of them cover the 4 GiB address space.
    public static let leafShift: UInt32 = 5
    public static let leafSize = 1 << leafShift
    public static let treeDepth = 32 - Int(leafShift)
    /// Levels of the tree that lie inside one page (a page is a subtree of this height).
    public static let pageTreeHeight = Int(pageShift - leafShift)

    /// The `ecall` number (in a7) that halts the machine with exit code a0.
    public static let haltSyscall: UInt32 = 93
}
