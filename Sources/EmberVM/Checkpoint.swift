/// A machine's complete state at one step, from which a run can resume without starting over.
struct Checkpoint: Sendable {
    var pc: UInt32
    var registers: [UInt32]
    var step: UInt64
    var status: MachineStatus
    var exitCode: UInt32
    var memory: MemorySnapshot
    var stateHash: Digest32
}

extension Machine {
    /// Records the current state; pages unchanged since the machine's previous checkpoint are shared.
    func checkpoint() -> Checkpoint {
        let memorySnapshot = memory.snapshot()
        return Checkpoint(
            pc: pc, registers: (0..<32).map { registers[$0] }, step: step, status: status, exitCode: exitCode,
            memory: memorySnapshot, stateHash: stateDigest()
        )
    }
}
