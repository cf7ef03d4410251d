import EmberVM
import Foundation
import EmberTestSupport
import Testing

func executablePath(_ name: String) -> String? {
    let search = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return search.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Random programs run on EmberVM and on qemu-riscv32 (an independent RISC-V implementation) must end
/// with the same registers. `.ci/run` installs qemu-user, so this runs in CI too.
@Test
func randomProgramsAgreeWithQemu() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-vm-qemu-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var random = SeededGenerator(seed: 0x9e3)
    for round in 0..<60 {
        var prologue = ["_start:", "  la s0, area", "  addi s0, s0, 128", "  la s1, dump"]
        for index in 1..<32 where ![2, 8, 9].contains(index) {
            prologue.append("  li x\(index), \(UInt32(truncatingIfNeeded: random.next()))")
        }
        let body = RandomPrograms.body(using: &random, length: 60, allowTraps: false)
        // Dump x1…x31 (sp zeroed: the two machines start it differently) at s1.
        var dump = ["  li sp, 0"]
        for index in 1..<32 { dump.append("  sw x\(index), \(4 * index)(s1)") }
        let data = ["  .data", "area: .zero 256", "dump: .zero 128"]
        let ember = prologue + body + dump + [
            "  li t0, 0x38000000", "  li t1, 128", "  sw t1, 0(t0)", "  li t2, 0",
            "1:", "  add t3, s1, t2", "  lbu t4, 0(t3)", "  add t3, t0, t2", "  sb t4, 4(t3)", "  addi t2, t2, 1",
            "  blt t2, t1, 1b", "  li a0, 0", "  li a7, 93", "  ecall",
        ] + data
        let linux = prologue + body + dump + [
            "  li a0, 1", "  mv a1, s1", "  li a2, 128", "  li a7, 64", "  ecall", "  li a0, 0", "  li a7, 93", "  ecall",
        ] + data

        let machine = try runAssembly(ember.joined(separator: "\n"))
        #expect(machine.status == .halted)
        let elfPath = folder.appendingPathComponent("round\(round).elf").path
        // qemu-user, like the kernel, runs only files marked executable.
        let created = FileManager.default.createFile(
            atPath: elfPath, contents: Data(try Assembler.assemble(linux.joined(separator: "\n")).elf()), attributes: [.posixPermissions: 0o755]
        )
        try #require(created)
        let qemu = Process()
        qemu.executableURL = URL(fileURLWithPath: try #require(executablePath("qemu-riscv32")))
        qemu.arguments = [elfPath]
        let pipe = Pipe()
        qemu.standardOutput = pipe
        try qemu.run()
        let printed = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        qemu.waitUntilExit()
        #expect(qemu.terminationStatus == 0)
        #expect(machine.output == printed, "round \(round) differs:\n\(body.joined(separator: "\n"))")
        if machine.output != printed { break }
    }
}
