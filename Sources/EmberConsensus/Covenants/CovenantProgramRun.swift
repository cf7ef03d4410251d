import EmberCore
import EmberVM

/// EmberVM inside consensus (DESIGN.md section 15): a rule that runs a program calls this, and only
/// such a rule. The verdict depends on the program, the input and the declared budget alone, never on
/// the including height, so it cannot change from one block to the next.
extension ConsensusParams {
    /// Loads `elf` with the consensus ELF loader and runs it on `input` for at most `maxSteps`
    /// instructions (the halting ecall included) over at most 4 096 pages; anything but a halt with
    /// exit code 0 rejects the spend of input `inputIndex`.
    public func runCovenantProgram(_ elf: [UInt8], input: [UInt8], maxSteps: UInt32, inputIndex: Int) throws(CovenantRejection) {
        guard maxSteps >= 1, maxSteps <= layer2.maxStepsPerInput else {
            throw .maxStepsAboveLimit(input: inputIndex, limit: layer2.maxStepsPerInput, found: maxSteps)
        }
        let program: ConsensusProgram
        do {
            program = try ConsensusProgram(elf: elf)
        } catch {
            throw .programRejected(reason: error.description)
        }
        if let failure = ConsensusRun.run(program: program, input: input, maxSteps: maxSteps).failure {
            throw .programRunFailed(input: inputIndex, reason: failure.description)
        }
    }
}
