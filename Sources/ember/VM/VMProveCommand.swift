import ArgumentParser
import EmberVM

/// `ember vm prove`: the proof of one step, as JSON.
struct VMProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print the proof of step N of PROGRAM (from the state after N steps to the one after N + 1) as JSON."
    )

    @OptionGroup var options: VMProgramOptions

    @Option(help: "The step to prove.")
    var step: String

    func run() throws {
        let (program, input) = try options.load()
        let steps = try parseSteps(step, option: "--step")
        do {
            print(try prove(program: program, input: input, step: steps).json())
        } catch {
            throw commandFailure("\(options.program): \(error)")
        }
    }
}
