import EmberCrypto

/// Whether the machine still runs; a halted or trapped machine never changes again.
public enum MachineStatus: UInt8, Sendable, CustomStringConvertible {
    case running = 0
    case halted = 1
    case trapped = 2

    public var description: String {
        switch self {
        case .running: "running"
        case .halted: "halted"
        case .trapped: "trapped"
        }
    }
}

/// Every field the state hash covers (DESIGN.md section 14).
public struct MachineState: Equatable, Sendable {
    public var pc: UInt32
    /// x0…x31; x0 is always 0 and is not hashed.
    public var registers: [UInt32]
    public var memoryRoot: Hash32
    public var step: UInt64
    public var status: MachineStatus
    /// The a0 of the halting ecall, the `TrapCause` code when trapped, 0 while running.
    public var exitCode: UInt32

    public init(pc: UInt32, registers: [UInt32], memoryRoot: Hash32, step: UInt64, status: MachineStatus, exitCode: UInt32) {
        self.pc = pc
        self.registers = registers
        self.memoryRoot = memoryRoot
        self.step = step
        self.status = status
        self.exitCode = exitCode
    }

    /// `H("ember/vm/v1" ‖ pc ‖ x1…x31 ‖ memoryRoot ‖ step ‖ status ‖ exitCode)`, integers little-endian.
    public var hash: Hash32 {
        registers.withUnsafeBufferPointer { registerBuffer in
            hashState(
                pc: pc, registers: registerBuffer, memoryRoot: Digest32(memoryRoot), step: step,
                status: status.rawValue, exitCode: exitCode
            ).hash32
        }
    }
}

/// The state hash from raw fields; `registers` holds x0…x31 (x0 is skipped).
func hashState(
    pc: UInt32, registers: UnsafeBufferPointer<UInt32>, memoryRoot: Digest32, step: UInt64, status: UInt8,
    exitCode: UInt32
) -> Digest32 {
    let domain = Array("ember/vm/v1".utf8)
    let size = domain.count + 4 + 31 * 4 + 32 + 8 + 1 + 4
    return withUnsafeTemporaryAllocation(byteCount: size, alignment: 8) { buffer in
        var offset = 0
        func put<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.littleEndian) { bytes in
                for byte in bytes {
                    buffer[offset] = byte
                    offset += 1
                }
            }
        }
        for byte in domain { put(byte) }
        put(pc)
        for index in 1..<32 { put(index < registers.count ? registers[index] : 0) }
        for byte in memoryRoot.bytes { put(byte) }
        put(step)
        put(status)
        put(exitCode)
        return vmHash(UnsafeRawBufferPointer(buffer))
    }
}
