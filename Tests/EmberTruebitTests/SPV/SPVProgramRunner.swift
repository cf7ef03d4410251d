import EmberTestSupport
import EmberTruebit
import EmberVM
import Foundation
import Testing

/// Runs the committed SPV program (Programs/spv/spv.elf) on the fast path, loaded as consensus loads
/// a posted program.
enum SPVProgramRunner {
    static let elfURL = SharedVectors.packageRoot.appendingPathComponent("Programs/spv/spv.elf")

    /// The ELF as `ember truebit post --program Programs/spv/spv.elf` reads it.
    static func elf() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: elfURL))
    }

    /// The program as the post rule loads it.
    static func consensusProgram() throws -> ConsensusProgram {
        try ConsensusProgram(elf: try elf())
    }

    /// A halted run's verdict and step count; a run that traps or does not halt within `maxSteps` is
    /// recorded as an issue and gives nil.
    static func run(_ input: [UInt8], maxSteps: UInt64 = 100_000_000) throws -> (verdict: SPVVerdict, steps: UInt64)? {
        let machine = try Machine(program: try consensusProgram().program, input: input)
        machine.run(untilStep: maxSteps)
        guard machine.status == .halted else {
            Issue.record("the SPV program stopped as \(machine.status) (\(machine.trapCause.map { "\($0)" } ?? "no trap")) after \(machine.step) steps")
            return nil
        }
        return (try SPVVerdict(exitCode: machine.exitCode, output: machine.output), machine.step)
    }
}
