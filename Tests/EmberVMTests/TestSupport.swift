import EmberVM
import EmberTestSupport
import Foundation
import Testing

/// Assembles `source` and runs it until it stops or `maxSteps` have run.
func runAssembly(_ source: String, input: [UInt8] = [], maxSteps: UInt64 = 10_000_000) throws -> Machine {
    let assembled = try Assembler.assemble(source)
    let machine = try Machine(program: try assembled.program, input: input)
    machine.run(untilStep: maxSteps)
    return machine
}

/// The exit code of a program that puts its result in a0 and halts (the halting code is appended).
func resultOf(_ body: String) throws -> UInt32 {
    let machine = try runAssembly(body + "\n  li a7, 93\n  ecall\n")
    #expect(machine.status == .halted, "program did not halt: \(machine.status) \(machine.trapCause.map { "\($0)" } ?? "")")
    return machine.exitCode
}

/// Folder holding the committed test programs.
let programsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Programs")

/// Runs a tool found on PATH; nil when it is not installed.
func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
    let search = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    guard let path = search.map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        return nil
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
