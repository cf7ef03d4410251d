import ArgumentParser
import EmberVM

/// `ember vm state`: the state hash after a number of steps.
struct VMStateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Print the state hash of PROGRAM after N steps (the final state if it stops earlier)."
    )

    @OptionGroup var options: VMProgramOptions

    @Option(help: "The number of steps to run.")
    var step: String

    func run() throws {
        let (program, input) = try options.load()
        let steps = try parseSteps(step, option: "--step")
        do {
            let machine = try Machine(program: program, input: input)
            machine.run(untilStep: steps)
            print(machine.stateHash().hex)
        } catch {
            throw commandFailure("\(options.program): \(error)")
        }
    }
}
