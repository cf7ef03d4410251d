import EmberCrypto

/// Produces state hashes and step proofs for any step of one run, without re-running from the start.
///
/// The run is recorded as it goes: every `checkpointInterval` steps a checkpoint (registers, memory
/// pages shared with the previous checkpoint where unchanged, and the Merkle nodes) is kept. Asking for
/// step n resumes from the live machine if it is at or before n and no later checkpoint is closer,
/// else from the last checkpoint at or before n, so a bisection over a long run replays at most one
/// interval per question.
public final class Prover {
    public let checkpointInterval: UInt64
    private var checkpoints: [Checkpoint] = []
    private var machine: Machine
    /// Instructions executed so far, replays from checkpoints included: the cost of the questions asked.
    public private(set) var executedSteps: UInt64 = 0
    /// The deliberate error this run carries (tests and demos of a cheating solver), nil for an honest run.
    public let fault: RegisterFault?

    /// Default spacing of checkpoints: a few milliseconds of replay on the fast path.
    public static let defaultCheckpointInterval: UInt64 = 1 << 20

    /// - Parameter fault: corrupts the run on purpose (`RegisterFault`); only tests and demos pass one.
    public init(
        program: Program, input: [UInt8], checkpointInterval: UInt64 = Prover.defaultCheckpointInterval, fault: RegisterFault? = nil
    ) throws(ProgramError) {
        self.checkpointInterval = max(checkpointInterval, 1)
        self.fault = fault
        machine = try Machine(program: program, input: input)
        checkpoints.append(machine.checkpoint())
    }

    /// How many checkpoints are kept so far.
    public var checkpointCount: Int { checkpoints.count }

    /// The state after `steps` steps (or the halted or trapped state, if the run stopped earlier).
    public func state(afterSteps steps: UInt64) -> MachineState {
        advance(to: steps)
        return machine.state
    }

    /// The state hash after `steps` steps.
    public func stateHash(afterSteps steps: UInt64) -> Hash32 {
        advance(to: steps)
        return machine.stateHash()
    }

    /// The proof of step `step`: the transition from the state after `step` steps to the state after
    /// `step + 1`.
    ///
    /// Every step is provable: the memory-window trap follows from the address alone.
    public func proof(ofStep step: UInt64) -> StepProof {
        advance(to: step)
        return currentProof()
    }

    /// Brings the live machine to `min(steps, the step the run stops at)`.
    private func advance(to steps: UInt64) {
        let nearest = checkpoints.last { $0.step <= steps } ?? checkpoints[0]
        if machine.step > steps || (nearest.step > machine.step && machine.status == .running) {
            machine = Machine(restoring: nearest)
        }
        while machine.status == .running && machine.step < steps {
            let nextCheckpoint = (machine.step / checkpointInterval + 1) &* checkpointInterval
            let before = machine.step
            var target = min(steps, nextCheckpoint)
            // A faulty run stops where its fault strikes, so every checkpoint after it carries the fault.
            if let fault, before < fault.firstWrongIndex, fault.firstWrongIndex < target { target = fault.firstWrongIndex }
            machine.run(untilStep: target)
            executedSteps += machine.step - before
            if let fault, before < fault.firstWrongIndex, machine.step == fault.firstWrongIndex {
                machine.registers[fault.register] ^= fault.mask
            }
            if machine.step == nextCheckpoint, checkpoints.last.map({ $0.step < nextCheckpoint }) ?? true {
                checkpoints.append(machine.checkpoint())
            }
        }
    }

    /// An independent machine in the state after `steps` steps (for reading its output and memory paths):
    /// running or changing it leaves the prover's run untouched.
    public func machine(afterSteps steps: UInt64) -> Machine {
        advance(to: steps)
        return Machine(restoring: machine.checkpoint())
    }

    private func currentProof() -> StepProof {
        let memory = machine.memory
        let state = machine.state
        let preStateHash = machine.stateHash()
        // A stopped state, or a fetch outside the memory windows (which traps from pc alone): no leaves.
        guard machine.status == .running, MachineLayout.isInsideWindows(machine.pc) else {
            return StepProof(preStateHash: preStateHash, preState: state, instruction: nil, data: [])
        }
        let instructionIndex = machine.pc >> MachineLayout.leafShift
        let instructionLeaf = StepProof.LeafProof(
            index: instructionIndex, leaf: memory.leafBytes(instructionIndex), siblingDigests: memory.siblings(ofLeaf: instructionIndex)
        )
        let word = (0..<4).reduce(UInt32(0)) { $0 | UInt32(memory.readByte(machine.pc &+ UInt32($1))) << (8 * $1) }
        let instruction = DecodedInstruction(word: word)
        var data = touchedLeaves(instruction, registers: machine.registers).map { index in
            StepProof.LeafProof(index: index, leaf: memory.leafBytes(index), siblingDigests: memory.siblings(ofLeaf: index))
        }
        if data.count == 2 && instruction.isStore {
            // The second leaf's path is checked against the root after the first leaf's write: replace
            // the one sibling that covers the first leaf by that subtree as the store leaves it.
            var registers = (0..<Machine.registerSlots).map { machine.registers[$0] }
            var proofMemory = ProofMemory(leaves: data)
            var pc = machine.pc
            _ = registers.withUnsafeMutableBufferPointer { buffer in
                Semantics.execute(instruction, pc: &pc, registers: buffer.baseAddress!, memory: &proofMemory)
            }
            let first = data[0]
            let mergeLevel = (UInt32.bitWidth - (first.index ^ data[1].index).leadingZeroBitCount) - 1
            data[1].siblingDigests[mergeLevel] = merkleRoot(
                leaf: Digest32(bytes: proofMemory.leaves[0].bytes), index: first.index,
                siblings: first.siblingDigests[0..<mergeLevel]
            )
        }
        return StepProof(preStateHash: preStateHash, preState: state, instruction: instructionLeaf, data: data)
    }
}

/// Convenience: the proof of step `step` of a fresh run.
public func prove(program: Program, input: [UInt8], step: UInt64) throws -> StepProof {
    try Prover(program: program, input: input).proof(ofStep: step)
}
