import EmberCrypto

/// An RV32IM machine running one program over one input.
///
/// `run(untilStep:)` is the fast path: it executes predecoded instructions and hashes nothing.
/// `stateHash()` brings the memory Merkle tree up to date (rehashing only pages written since the
/// last call) and hashes the state. Not thread-safe: one owner drives a machine.
public final class Machine {
    let memory: PagedMemory
    /// x0…x31 and the x0 write sink.
    let registers: UnsafeMutablePointer<UInt32>
    public private(set) var pc: UInt32
    /// Instructions executed so far, the trapping or halting one included.
    public private(set) var step: UInt64
    public private(set) var status: MachineStatus
    public private(set) var exitCode: UInt32

    static let registerSlots = 33

    /// Loads the program and maps the input; fails if the input does not fit below the output address.
    public init(program: Program, input: [UInt8]) throws(ProgramError) {
        guard input.count <= MachineLayout.maxInputBytes else { throw .inputTooLarge(bytes: input.count) }
        memory = PagedMemory()
        registers = .allocate(capacity: Self.registerSlots)
        registers.initialize(repeating: 0, count: Self.registerSlots)
        pc = program.entry
        step = 0
        status = .running
        exitCode = 0
        for segment in program.segments where !segment.bytes.isEmpty {
            memory.write(segment.address, bytes: segment.bytes)
        }
        let length = UInt32(input.count)
        let lengthBytes = (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        memory.write(MachineLayout.inputAddress, bytes: lengthBytes + input)
        registers[2] = MachineLayout.initialStackPointer
        registers[10] = length
        registers[11] = MachineLayout.inputAddress + 4
    }

    /// A machine in exactly the state a checkpoint recorded.
    init(restoring checkpoint: Checkpoint) {
        memory = PagedMemory(restoring: checkpoint.memory)
        registers = .allocate(capacity: Self.registerSlots)
        registers.initialize(repeating: 0, count: Self.registerSlots)
        for (index, value) in checkpoint.registers.enumerated() where index < 32 { registers[index] = value }
        pc = checkpoint.pc
        step = checkpoint.step
        status = checkpoint.status
        exitCode = checkpoint.exitCode
    }

    deinit {
        registers.deallocate()
    }

    /// The value of register x`index` (0…31).
    public func register(_ index: Int) -> UInt32 {
        guard (0..<32).contains(index) else { return 0 }
        return registers[index]
    }

    /// Memory pages (4 KiB) the run has written: what it holds in memory, never released before it ends.
    public var writtenPageCount: Int { memory.touchedPageCount }

    /// Why the machine trapped, if it did.
    public var trapCause: TrapCause? {
        status == .trapped ? TrapCause(rawValue: exitCode) : nil
    }

    /// The program's result: the length-prefixed bytes at the output address (at most 1 MiB, since a
    /// larger length traps).
    public var output: [UInt8] {
        let lengthBytes = memory.readBytes(MachineLayout.outputAddress, count: 4)
        let length = lengthBytes.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return memory.readBytes(MachineLayout.outputAddress + 4, count: Int(min(length, MachineLayout.maxOutputBytes)))
    }

    /// Every field of the state, with the memory root brought up to date.
    public var state: MachineState {
        MachineState(
            pc: pc, registers: (0..<32).map { registers[$0] }, memoryRoot: memory.updatedRoot().hash32,
            step: step, status: status, exitCode: exitCode
        )
    }

    /// The state hash of DESIGN.md section 14.
    public func stateHash() -> Hash32 {
        stateDigest().hash32
    }

    func stateDigest() -> Digest32 {
        let root = memory.updatedRoot()
        return hashState(
            pc: pc, registers: UnsafeBufferPointer(start: registers, count: 32), memoryRoot: root, step: step,
            status: status.rawValue, exitCode: exitCode
        )
    }

    /// Runs until `step` reaches `limit` or the machine halts or traps.
    public func run(untilStep limit: UInt64) {
        var access = PagedMemoryAccess(memory)
        run(untilStep: limit, access: &access)
    }

    /// The interpreter loop over any memory view; it also stops after a step that sets `access.stopsRun`.
    @inline(__always)
    func run<Access: RunLoopMemory>(untilStep limit: UInt64, access: inout Access) {
        guard status == .running, step < limit else { return }
        var pc = self.pc
        var step = self.step
        let registers = self.registers
        let pageMask = ~UInt32(MachineLayout.pageSize - 1)
        // The decoded slots of the page pc is in; `codePage` is never page-aligned while unset, and is
        // set only for pages inside the memory windows, so the fetch check runs once per page change.
        var codePage: UInt32 = 1
        var slots: UnsafeMutablePointer<DecodedInstruction>? = nil
        var event = StepEvent.next
        while step < limit {
            if pc & pageMask != codePage {
                guard MachineLayout.isInsideWindows(pc) else {
                    step &+= 1
                    event = .trapped(.outsideMemoryWindows)
                    break
                }
                slots = memory.decodedSlots(forPage: pc >> MachineLayout.pageShift)
                // Executing from a page nobody wrote decodes zero words: do not cache, the page may be
                // written later.
                codePage = slots == nil ? 1 : pc & pageMask
            }
            var instruction: DecodedInstruction
            if let slots {
                let slot = Int((pc & ~pageMask) >> 2)
                instruction = slots[slot]
                if instruction.operation == .undecoded {
                    instruction = DecodedInstruction(word: access.load32(pc))
                    slots[slot] = instruction
                }
            } else {
                instruction = DecodedInstruction(word: access.load32(pc))
            }
            event = Semantics.execute(instruction, pc: &pc, registers: registers, memory: &access)
            step &+= 1
            guard case .next = event, !access.stopsRun else { break }
        }
        self.pc = pc
        self.step = step
        finish(event)
    }

    func finish(_ event: StepEvent) {
        switch event {
        case .next: break
        case .halted(let code):
            status = .halted
            exitCode = code
        case .trapped(let cause):
            status = .trapped
            exitCode = cause.rawValue
        }
    }
}

/// A memory the interpreter loop runs over: `MachineMemory` plus a way for an access to end the run.
protocol RunLoopMemory: MachineMemory {
    /// Whether the run must stop after the current step (a consensus run over its page limit).
    var stopsRun: Bool { get }
}

extension PagedMemoryAccess: RunLoopMemory {
    @inline(__always)
    var stopsRun: Bool { false }
}
