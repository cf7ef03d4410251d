import ArgumentParser
import EmberVM
import Foundation

/// `ember vm asm`: assemble RV32IM text into a static ELF executable.
struct VMAsmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asm",
        abstract: "Assemble FILE.s into a static ELF32 RISC-V executable."
    )

    @Argument(help: "The assembly source.")
    var source: String

    @Option(name: .shortAndLong, help: "Where to write the ELF executable.")
    var output: String

    func run() throws {
        let text = String(decoding: try readVMFile(source, limit: Assembler.maxSourceBytes, what: "source"), as: UTF8.self)
        let assembled: AssembledProgram
        do {
            assembled = try Assembler.assemble(text)
            _ = try assembled.program
        } catch let error as AssemblyError {
            throw commandFailure("\(source):\(error.line): \(error.message)")
        } catch {
            throw commandFailure("\(source): \(error)")
        }
        // Executable, so qemu-riscv32 and binfmt can run it directly.
        guard FileManager.default.createFile(atPath: output, contents: Data(assembled.elf()), attributes: [.posixPermissions: 0o755]) else {
            throw commandFailure("cannot write \(output)")
        }
    }
}
