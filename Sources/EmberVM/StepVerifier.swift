import EmberCrypto

/// Checks a one-step proof with nothing but the proof, and returns the state hashes before and
/// after the step.
///
/// Pure: no clock, no I/O, no global state. It recomputes the pre-state hash from the fields, checks
/// the instruction leaf and every data leaf against the memory root (each data leaf against the root
/// as updated by the earlier writes of the same step), executes the one instruction with
/// `Semantics.execute` — the same code the machine runs — and hashes the result.
///
/// A fetch, load or store outside the memory windows traps from the address alone: the proof then
/// carries no leaf for it (no instruction leaf when pc is outside, no data leaf for the access).
public func verifyStep(_ proof: StepProof) throws(StepProofRejection) -> (preStateHash: Hash32, postStateHash: Hash32) {
    let state = proof.preState
    guard state.registers.count == 32 else {
        throw .invalidRegisters("\(state.registers.count) registers, expected x0…x31")
    }
    guard state.registers[0] == 0 else { throw .invalidRegisters("x0 is \(state.registers[0]), must be 0") }
    let memoryRoot = Digest32(state.memoryRoot)

    var registers: [UInt32] = state.registers + [0]  // x0…x31 and the x0 write sink
    let computed = registers.withUnsafeBufferPointer { buffer in
        hashState(
            pc: state.pc, registers: UnsafeBufferPointer(rebasing: buffer[0..<32]), memoryRoot: memoryRoot,
            step: state.step, status: state.status.rawValue, exitCode: state.exitCode
        )
    }
    guard computed == Digest32(proof.preStateHash) else {
        throw .preStateHashMismatch(claimed: proof.preStateHash, computed: computed.hash32)
    }

    // A halted or trapped state is a fixed point.
    guard state.status == .running else {
        guard proof.instruction == nil, proof.data.isEmpty else { throw .unexpectedLeaves(status: state.status) }
        return (proof.preStateHash, proof.preStateHash)
    }
    guard state.step < UInt64.max else { throw .stepCounterExhausted }

    // A fetch outside the memory windows traps before reading memory: pc alone proves it.
    guard MachineLayout.isInsideWindows(state.pc) else {
        guard proof.instruction == nil, proof.data.isEmpty else { throw .leavesForFetchOutsideWindows(pc: state.pc) }
        let post = registers.withUnsafeBufferPointer { buffer in
            hashState(
                pc: state.pc, registers: UnsafeBufferPointer(rebasing: buffer[0..<32]), memoryRoot: memoryRoot,
                step: state.step + 1, status: MachineStatus.trapped.rawValue, exitCode: TrapCause.outsideMemoryWindows.rawValue
            )
        }
        return (proof.preStateHash, post.hash32)
    }

    guard let instructionLeaf = proof.instruction else { throw .missingInstructionLeaf }
    try checkShape(instructionLeaf, "the instruction leaf")
    let instructionIndex = state.pc >> MachineLayout.leafShift
    guard instructionLeaf.index == instructionIndex else {
        throw .wrongLeafIndex(which: "the instruction leaf", expected: instructionIndex, found: instructionLeaf.index)
    }
    guard merkleRoot(leaf: Digest32(bytes: instructionLeaf.leaf), index: instructionIndex, siblings: instructionLeaf.siblingDigests) == memoryRoot else {
        throw .pathMismatch(which: "the instruction leaf")
    }
    let offset = Int(state.pc & UInt32(MachineLayout.leafSize - 1))
    let word = (0..<4).reduce(UInt32(0)) { $0 | UInt32(instructionLeaf.leaf[offset + $1]) << (8 * $1) }
    let instruction = DecodedInstruction(word: word)

    return try registers.withUnsafeMutableBufferPointer { buffer throws(StepProofRejection) in
        // The buffer has 33 entries, so the base address exists.
        guard let registerPointer = buffer.baseAddress else { throw .malformed("no registers") }
        let expectedLeaves = touchedLeaves(instruction, registers: registerPointer)
        guard proof.data.count == expectedLeaves.count else {
            throw .wrongDataLeafCount(expected: expectedLeaves.count, found: proof.data.count)
        }
        for (position, leaf) in proof.data.enumerated() {
            let which = "data leaf \(position + 1)"
            try checkShape(leaf, which)
            guard leaf.index == expectedLeaves[position] else {
                throw .wrongLeafIndex(which: which, expected: expectedLeaves[position], found: leaf.index)
            }
        }

        var memory = ProofMemory(leaves: proof.data)
        var pc = state.pc
        let event = Semantics.execute(instruction, pc: &pc, registers: registerPointer, memory: &memory)

        // Each path is checked against the root as updated by the earlier leaves' writes.
        var root = memoryRoot
        for (position, leaf) in proof.data.enumerated() {
            guard merkleRoot(leaf: Digest32(bytes: leaf.leaf), index: leaf.index, siblings: leaf.siblingDigests) == root else {
                throw .pathMismatch(which: "data leaf \(position + 1)")
            }
            root = merkleRoot(leaf: Digest32(bytes: memory.leaves[position].bytes), index: leaf.index, siblings: leaf.siblingDigests)
        }

        var status = MachineStatus.running
        var exitCode = state.exitCode
        switch event {
        case .next: break
        case .halted(let code):
            status = .halted
            exitCode = code
            pc = state.pc
        case .trapped(let cause):
            status = .trapped
            exitCode = cause.rawValue
            pc = state.pc
        }
        let post = hashState(
            pc: pc, registers: UnsafeBufferPointer(rebasing: buffer[0..<32]), memoryRoot: root, step: state.step + 1,
            status: status.rawValue, exitCode: exitCode
        )
        return (proof.preStateHash, post.hash32)
    }
}

private func checkShape(_ leaf: StepProof.LeafProof, _ which: String) throws(StepProofRejection) {
    guard leaf.leaf.count == MachineLayout.leafSize, leaf.siblingDigests.count == MachineLayout.treeDepth else {
        throw .wrongLeafShape(which: which, leafBytes: leaf.leaf.count, siblings: leaf.siblingDigests.count)
    }
}

/// The leaves a load or store touches, in ascending leaf order (one, or two across a leaf boundary);
/// none when the access lies (even partly) outside the memory windows, since it then traps unread.
func touchedLeaves(_ instruction: DecodedInstruction, registers: UnsafeMutablePointer<UInt32>) -> [UInt32] {
    guard let access = instruction.dataAccess(registers: registers),
        MachineLayout.isInsideWindows(access.address, width: access.width)
    else { return [] }
    let first = access.address >> MachineLayout.leafShift
    let last = (access.address &+ access.width &- 1) >> MachineLayout.leafShift
    return first == last ? [first] : [min(first, last), max(first, last)]
}

/// The memory a step sees in a proof: just the data leaves it carries.
struct ProofMemory: MachineMemory {
    var leaves: [(index: UInt32, bytes: [UInt8])]

    init(leaves: [StepProof.LeafProof]) {
        self.leaves = leaves.map { ($0.index, $0.leaf) }
    }

    /// Leaves outside the proof cannot be reached: `verifyStep` has checked the proof carries exactly
    /// the leaves the access touches. Reading one anyway yields zero rather than a crash.
    private func position(_ address: UInt32) -> Int? {
        let index = address >> MachineLayout.leafShift
        return leaves.firstIndex { $0.index == index && $0.bytes.count == MachineLayout.leafSize }
    }

    func load8(_ address: UInt32) -> UInt32 {
        guard let position = position(address) else { return 0 }
        return UInt32(leaves[position].bytes[Int(address & UInt32(MachineLayout.leafSize - 1))])
    }

    func load16(_ address: UInt32) -> UInt32 {
        load8(address) | load8(address &+ 1) << 8
    }

    func load32(_ address: UInt32) -> UInt32 {
        load16(address) | load16(address &+ 2) << 16
    }

    mutating func store(_ address: UInt32, _ value: UInt32, width: UInt32) {
        for byteIndex in 0..<width {
            let byteAddress = address &+ byteIndex
            guard let position = position(byteAddress) else { continue }
            leaves[position].bytes[Int(byteAddress & UInt32(MachineLayout.leafSize - 1))] = UInt8(truncatingIfNeeded: value >> (8 * byteIndex))
        }
    }
}
