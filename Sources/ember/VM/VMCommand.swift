import ArgumentParser
import EmberVM
import Foundation

/// `ember vm`: assemble, run and prove programs on EmberVM (DESIGN.md section 14).
struct VMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "Assemble, run, hash and prove RV32IM programs on EmberVM.",
        subcommands: [VMAsmCommand.self, VMRunCommand.self, VMStateCommand.self, VMProveCommand.self, VMVerifyStepCommand.self]
    )
}

/// The program and input options the running subcommands share.
struct VMProgramOptions: ParsableArguments {
    @Argument(help: "A static ELF32 RISC-V executable, or RV32IM assembly (.s) assembled on the fly.")
    var program: String

    @Option(help: "A file whose bytes are the program's input (mapped at 0x30000000).")
    var input: String?

    /// Loads the program (ELF or assembly) and the input, with size limits and readable errors.
    func load() throws -> (program: Program, input: [UInt8]) {
        let bytes = try readVMFile(program, limit: Program.maxELFBytes, what: "program")
        let loaded: Program
        do {
            if bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
                loaded = try Program(elf: bytes)
            } else {
                loaded = try Assembler.assemble(String(decoding: bytes, as: UTF8.self)).program
            }
        } catch let error as AssemblyError {
            throw commandFailure("\(program):\(error.line): \(error.message)")
        } catch {
            throw commandFailure("\(program): \(error)")
        }
        let inputBytes = try input.map { try readVMFile($0, limit: MachineLayout.maxInputBytes, what: "input") } ?? []
        return (loaded, inputBytes)
    }
}

/// Reads a whole file after checking its size, so a huge file is refused before it is read.
func readVMFile(_ path: String, limit: Int, what: String) throws -> [UInt8] {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        let size = (attributes[.size] as? NSNumber)?.intValue
    else { throw commandFailure("cannot read \(what) \(path): no such file or permission denied") }
    guard size <= limit else { throw commandFailure("\(what) \(path) is \(size) bytes, over the \(limit)-byte limit") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw commandFailure("cannot read \(what) \(path)")
    }
    return [UInt8](data)
}

/// Parses a step count given on the command line.
func parseSteps(_ text: String, option: String) throws -> UInt64 {
    guard let value = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
        throw commandFailure("\(option) must be a whole number of steps from 0 to \(UInt64.max); got \(text)")
    }
    return value
}
