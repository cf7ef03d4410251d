import ArgumentParser
import EmberVM
import Foundation

/// `ember vm run`: run a program to its end (or the step limit) on the fast path.
struct VMRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run PROGRAM and print its status, exit code, steps, final state hash and output.",
        discussion: "Exits 0 when the program halts with exit code 0, 1 when it halts with another code, 2 when it traps or reaches the step limit."
    )

    @OptionGroup var options: VMProgramOptions

    @Option(help: "Stop after this many steps.")
    var maxSteps: String = "1000000000"

    @Flag(help: "Print one JSON object with keys status, exitCode, steps, stateHash, output.")
    var json = false

    func run() throws {
        let (program, input) = try options.load()
        let limit = try parseSteps(maxSteps, option: "--max-steps")
        let machine: Machine
        do {
            machine = try Machine(program: program, input: input)
        } catch {
            throw commandFailure("\(options.program): \(error)")
        }
        machine.run(untilStep: limit)
        let status = machine.status == .running ? "step limit reached" : machine.status.description
        let output = machine.output.hexString
        let stateHash = machine.stateHash().hex
        if json {
            print("{\"status\":\"\(machine.status)\",\"exitCode\":\(machine.exitCode),\"steps\":\(machine.step),"
                + "\"stateHash\":\"\(stateHash)\",\"output\":\"\(output)\"}")
        } else {
            print("status     \(status)\(machine.trapCause.map { " (\($0))" } ?? "")")
            print("exit code  \(machine.exitCode)")
            print("steps      \(machine.step)")
            print("state hash \(stateHash)")
            print("output     \(output.isEmpty ? "(empty)" : output)")
        }
        switch machine.status {
        case .halted where machine.exitCode == 0: return
        case .halted: throw ExitCode(1)
        default: throw ExitCode(2)
        }
    }
}
