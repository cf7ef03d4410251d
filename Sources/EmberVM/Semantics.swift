/// Why a machine stopped in the trapped state; the code is stored as the state's exit code.
public enum TrapCause: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case breakpoint = 1
    case illegalInstruction = 2
    case misalignedJump = 3
    case unsupportedEcall = 4
    case outsideMemoryWindows = 5
    case outputLimit = 6

    public var description: String {
        switch self {
        case .breakpoint: "ebreak"
        case .illegalInstruction: "illegal instruction"
        case .misalignedJump: "jump to an address that is not a multiple of 4"
        case .unsupportedEcall: "ecall other than 93"
        case .outsideMemoryWindows: "load, store or fetch outside the memory windows"
        case .outputLimit: "output length over 1 MiB"
        }
    }
}

/// What one executed instruction did to the machine's run state.
enum StepEvent: Equatable, Sendable {
    case next
    case halted(exitCode: UInt32)
    case trapped(TrapCause)
}

/// The memory an instruction sees. The fast path, the prover and the verifier each supply one.
protocol MachineMemory {
    mutating func load8(_ address: UInt32) -> UInt32
    mutating func load16(_ address: UInt32) -> UInt32
    mutating func load32(_ address: UInt32) -> UInt32
    /// Stores the low `width` bytes of `value` little-endian. `Semantics` has checked the memory windows.
    mutating func store(_ address: UInt32, _ value: UInt32, width: UInt32)
}

/// The single definition of RV32IM execution (DESIGN.md section 14), shared by every path.
enum Semantics {
    /// Executes `instruction` at `pc`; on `.next` the registers, memory and pc hold the new state, on a
    /// halt or trap nothing but the returned event has changed.
    ///
    /// `registers` has 33 entries: x0…x31 and the write sink (see `DecodedInstruction`).
    @inline(__always)
    static func execute<Memory: MachineMemory>(
        _ instruction: DecodedInstruction,
        pc: inout UInt32,
        registers: UnsafeMutablePointer<UInt32>,
        memory: inout Memory
    ) -> StepEvent {
        let rs1 = registers[Int(instruction.rs1)]
        let rs2 = registers[Int(instruction.rs2)]
        let rd = Int(instruction.rd)
        let immediate = instruction.immediate
        var result: UInt32

        switch instruction.operation {
        case .lui: result = immediate
        case .auipc: result = pc &+ immediate
        case .jal:
            let target = pc &+ immediate
            guard target & 3 == 0 else { return .trapped(.misalignedJump) }
            registers[rd] = pc &+ 4
            pc = target
            return .next
        case .jalr:
            let target = (rs1 &+ immediate) & ~1
            guard target & 3 == 0 else { return .trapped(.misalignedJump) }
            registers[rd] = pc &+ 4
            pc = target
            return .next
        case .beq: return branch(rs1 == rs2, &pc, immediate)
        case .bne: return branch(rs1 != rs2, &pc, immediate)
        case .blt: return branch(Int32(bitPattern: rs1) < Int32(bitPattern: rs2), &pc, immediate)
        case .bge: return branch(Int32(bitPattern: rs1) >= Int32(bitPattern: rs2), &pc, immediate)
        case .bltu: return branch(rs1 < rs2, &pc, immediate)
        case .bgeu: return branch(rs1 >= rs2, &pc, immediate)
        case .lb:
            let address = rs1 &+ immediate
            guard MachineLayout.isInsideWindows(address) else { return .trapped(.outsideMemoryWindows) }
            result = UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: memory.load8(address))))
        case .lh:
            let address = rs1 &+ immediate
            guard MachineLayout.isInsideWindows(address, width: 2) else { return .trapped(.outsideMemoryWindows) }
            result = UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: memory.load16(address))))
        case .lw:
            let address = rs1 &+ immediate
            guard MachineLayout.isInsideWindows(address, width: 4) else { return .trapped(.outsideMemoryWindows) }
            result = memory.load32(address)
        case .lbu:
            let address = rs1 &+ immediate
            guard MachineLayout.isInsideWindows(address) else { return .trapped(.outsideMemoryWindows) }
            result = memory.load8(address)
        case .lhu:
            let address = rs1 &+ immediate
            guard MachineLayout.isInsideWindows(address, width: 2) else { return .trapped(.outsideMemoryWindows) }
            result = memory.load16(address)
        case .sb: return store(rs1 &+ immediate, rs2, width: 1, &pc, &memory)
        case .sh: return store(rs1 &+ immediate, rs2, width: 2, &pc, &memory)
        case .sw: return store(rs1 &+ immediate, rs2, width: 4, &pc, &memory)
        case .addi: result = rs1 &+ immediate
        case .slti: result = Int32(bitPattern: rs1) < Int32(bitPattern: immediate) ? 1 : 0
        case .sltiu: result = rs1 < immediate ? 1 : 0
        case .xori: result = rs1 ^ immediate
        case .ori: result = rs1 | immediate
        case .andi: result = rs1 & immediate
        case .slli: result = rs1 << (immediate & 31)
        case .srli: result = rs1 >> (immediate & 31)
        case .srai: result = UInt32(bitPattern: Int32(bitPattern: rs1) >> (immediate & 31))
        case .add: result = rs1 &+ rs2
        case .sub: result = rs1 &- rs2
        case .sll: result = rs1 << (rs2 & 31)
        case .slt: result = Int32(bitPattern: rs1) < Int32(bitPattern: rs2) ? 1 : 0
        case .sltu: result = rs1 < rs2 ? 1 : 0
        case .xor: result = rs1 ^ rs2
        case .srl: result = rs1 >> (rs2 & 31)
        case .sra: result = UInt32(bitPattern: Int32(bitPattern: rs1) >> (rs2 & 31))
        case .or: result = rs1 | rs2
        case .and: result = rs1 & rs2
        case .mul: result = rs1 &* rs2
        case .mulh:
            let product = Int64(Int32(bitPattern: rs1)) &* Int64(Int32(bitPattern: rs2))
            result = UInt32(truncatingIfNeeded: product >> 32)
        case .mulhsu:
            let product = Int64(Int32(bitPattern: rs1)) &* Int64(rs2)
            result = UInt32(truncatingIfNeeded: product >> 32)
        case .mulhu: result = UInt32(truncatingIfNeeded: (UInt64(rs1) &* UInt64(rs2)) >> 32)
        case .div: result = signedDivide(rs1, rs2).quotient
        case .rem: result = signedDivide(rs1, rs2).remainder
        case .divu: result = rs2 == 0 ? UInt32.max : rs1 / rs2
        case .remu: result = rs2 == 0 ? rs1 : rs1 % rs2
        case .fence, .fenceI:
            pc &+= 4
            return .next
        case .ecall:
            guard registers[17] == MachineLayout.haltSyscall else { return .trapped(.unsupportedEcall) }
            return .halted(exitCode: registers[10])
        case .ebreak: return .trapped(.breakpoint)
        case .illegal, .undecoded: return .trapped(.illegalInstruction)
        }
        registers[rd] = result
        pc &+= 4
        return .next
    }

    @inline(__always)
    private static func branch(_ taken: Bool, _ pc: inout UInt32, _ offset: UInt32) -> StepEvent {
        guard taken else {
            pc &+= 4
            return .next
        }
        let target = pc &+ offset
        guard target & 3 == 0 else { return .trapped(.misalignedJump) }
        pc = target
        return .next
    }

    /// RISC-V division: by zero gives -1 and the dividend; INT_MIN / -1 gives INT_MIN and 0.
    @inline(__always)
    static func signedDivide(_ dividend: UInt32, _ divisor: UInt32) -> (quotient: UInt32, remainder: UInt32) {
        let a = Int32(bitPattern: dividend)
        let b = Int32(bitPattern: divisor)
        if b == 0 { return (UInt32.max, dividend) }
        if a == Int32.min && b == -1 { return (dividend, 0) }
        return (UInt32(bitPattern: a / b), UInt32(bitPattern: a % b))
    }

    @inline(__always)
    private static func store<Memory: MachineMemory>(
        _ address: UInt32, _ value: UInt32, width: UInt32, _ pc: inout UInt32, _ memory: inout Memory
    ) -> StepEvent {
        // The window check comes first: an access outside the windows touches no memory at all.
        guard MachineLayout.isInsideWindows(address, width: width) else { return .trapped(.outsideMemoryWindows) }
        if touchesOutputLength(address, width: width),
            outputLengthAfterStore(address, value, width: width, &memory) > MachineLayout.maxOutputBytes
        {
            return .trapped(.outputLimit)
        }
        memory.store(address, value, width: width)
        pc &+= 4
        return .next
    }

    /// Whether bytes address..<address+width overlap the output length word.
    @inline(__always)
    static func touchesOutputLength(_ address: UInt32, width: UInt32) -> Bool {
        address &- (MachineLayout.outputAddress &- width &+ 1) < width &+ 3
    }

    /// The output length word as it would read after the store, computed without storing.
    static func outputLengthAfterStore<Memory: MachineMemory>(
        _ address: UInt32, _ value: UInt32, width: UInt32, _ memory: inout Memory
    ) -> UInt32 {
        var length: UInt32 = 0
        for byteIndex: UInt32 in 0..<4 {
            let byteAddress = MachineLayout.outputAddress + byteIndex
            let offset = byteAddress &- address
            let byte = offset < width ? (value >> (8 * offset)) & 0xff : memory.load8(byteAddress)
            length |= byte << (8 * byteIndex)
        }
        return length
    }
}

/// The memory addresses an instruction reads or writes, for the prover and verifier.
extension DecodedInstruction {
    /// The first byte address and byte count of a load or store, or nil for any other instruction.
    func dataAccess(registers: UnsafeMutablePointer<UInt32>) -> (address: UInt32, width: UInt32)? {
        let address = registers[Int(rs1)] &+ immediate
        switch operation {
        case .lb, .lbu, .sb: return (address, 1)
        case .lh, .lhu, .sh: return (address, 2)
        case .lw, .sw: return (address, 4)
        default: return nil
        }
    }

    var isStore: Bool { operation == .sb || operation == .sh || operation == .sw }
}
