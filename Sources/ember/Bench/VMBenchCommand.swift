import ArgumentParser
import EmberCrypto
import EmberVM
import Foundation

/// `ember bench vm`: EmberVM speed on a CPU-bound program, beside qemu-riscv32 running the same ELF in
/// the same run; the cost of state hashing at checkpoints; proof size and verification time; consensus
/// runs against the fast path and the worst covenant run.
struct VMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "EmberVM instructions per second (fast path, checkpoint hashing, consensus runs) against qemu-riscv32, step-proof size and verification time, and the worst consensus run."
    )

    @Option(help: "A static ELF32 RISC-V executable to run instead of the built-in workload; it should halt with ecall 93.")
    var program: String?

    @Option(help: "Iterations of the built-in workload's loop (16 instructions each).")
    var iterations: Int = 7_000_000

    @Option(help: "How many step proofs to produce and verify.")
    var proofs: Int = 200

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    /// A pseudo-random walk over a 64 KiB table: loads, stores, shifts, xors, a multiply and a branch
    /// per iteration. It halts with the low bits of a checksum, which qemu must reproduce.
    static func workload(iterations: Int) -> String {
        """
        _start:
          li s0, \(iterations)
          la s1, table
          li t0, 0x12345678
          li a0, 0
        loop:
          slli t1, t0, 13
          xor t0, t0, t1
          srli t1, t0, 17
          xor t0, t0, t1
          slli t1, t0, 5
          xor t0, t0, t1
          srli t2, t0, 18
          slli t2, t2, 2
          add t2, t2, s1
          lw t3, 0(t2)
          add t3, t3, t0
          sw t3, 0(t2)
          mul t4, t3, t0
          add a0, a0, t4
          addi s0, s0, -1
          bnez s0, loop
          andi a0, a0, 0xff
          li a7, 93
          ecall
        .data
        table: .zero 65536
        """
    }

    func run() throws {
        guard iterations > 0, iterations <= 1 << 28 else { throw commandFailure("--iterations must be from 1 to 268435456") }
        guard proofs > 0, proofs <= 100_000 else { throw commandFailure("--proofs must be from 1 to 100000") }
        let elf: [UInt8]
        if let program {
            elf = try readVMFile(program, limit: Program.maxELFBytes, what: "program")
        } else {
            elf = try Assembler.assemble(Self.workload(iterations: iterations)).elf()
        }
        let image: Program
        do { image = try Program(elf: elf) } catch { throw commandFailure("\(program ?? "workload"): \(error)") }
        if !json { print("running \(program ?? "the built-in workload") on the fast path…") }

        let clock = ContinuousClock()
        let machine = try Machine(program: image, input: [])
        var start = clock.now
        machine.run(untilStep: 20_000_000_000)
        let fastSeconds = (clock.now - start).seconds
        let steps = machine.step
        guard machine.status != .running, steps > 0 else {
            throw commandFailure("the program did not stop within 2e10 steps")
        }
        let fastRate = Double(steps) / fastSeconds

        if !json { print("again with a checkpoint and state hash every \(Prover.defaultCheckpointInterval) steps…") }
        let prover = try Prover(program: image, input: [])
        start = clock.now
        let finalHash = prover.stateHash(afterSteps: .max)
        let checkpointedSeconds = (clock.now - start).seconds
        let agrees = finalHash == machine.stateHash()

        if !json { print("qemu-riscv32 on the same ELF…") }
        let qemu = try measureQemu(elf: elf, expectedExitCode: machine.exitCode & 0xff)

        if !json { print("\(proofs) step proofs…") }
        var random = UInt64(0x5eed)
        var proofList: [StepProof] = []
        start = clock.now
        for _ in 0..<proofs {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let step = (random >> 11) % steps
            proofList.append(prover.proof(ofStep: step))
        }
        let proveSeconds = (clock.now - start).seconds / Double(proofs)
        let binarySizes = proofList.map { $0.encoded().count }
        let jsonSizes = proofList.map { $0.json().utf8.count }
        var verified = 0
        start = clock.now
        repeat {
            for proof in proofList {
                guard (try? verifyStep(proof)) != nil else { throw commandFailure("a produced proof failed to verify") }
                verified += 1
            }
        } while (clock.now - start).seconds < 0.5
        let verifySeconds = (clock.now - start).seconds / Double(verified)

        if !json { print("consensus runs of the built-in workload (2^24 steps) against the fast path, and the worst case…") }
        let consensus = try VMConsensusBench.measure()

        let ratio = qemu.map { fastRate / (Double(steps) / $0.seconds) }
        let hashingCost = checkpointedSeconds / Double(steps)
        if json {
            let fields: [(String, String)] = [
                ("program", "\"\((program ?? "built-in").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""),
                ("steps", "\(steps)"),
                ("fastInstructionsPerSec", jsonNumber(fastRate)),
                ("fastNanosPerStep", jsonNumber(fastSeconds / Double(steps) * 1e9)),
                ("checkpointInterval", "\(Prover.defaultCheckpointInterval)"),
                ("checkpointedNanosPerStep", jsonNumber(hashingCost * 1e9)),
                ("checkpointedStateHashMatches", "\(agrees)"),
                ("qemuInstructionsPerSec", qemu.map { jsonNumber(Double(steps) / $0.seconds) } ?? "null"),
                ("qemuExitCodeMatches", qemu.map { "\($0.exitCodeMatches)" } ?? "null"),
                ("ratioToQemu", ratio.map(jsonNumber) ?? "null"),
                ("proofBytesMin", "\(binarySizes.min() ?? 0)"),
                ("proofBytesMax", "\(binarySizes.max() ?? 0)"),
                ("proofBytesMean", jsonNumber(Double(binarySizes.reduce(0, +)) / Double(proofs))),
                ("proofJSONBytesMean", jsonNumber(Double(jsonSizes.reduce(0, +)) / Double(proofs))),
                ("proveMicrosPerProof", jsonNumber(proveSeconds * 1e6)),
                ("verifyMicrosPerProof", jsonNumber(verifySeconds * 1e6)),
                ("consensusSteps", "\(consensus.steps)"),
                ("consensusInstructionsPerSec", jsonNumber(consensus.consensusStepsPerSecond)),
                ("consensusFastInstructionsPerSec", jsonNumber(consensus.fastStepsPerSecond)),
                ("ratioConsensusToFast", jsonNumber(consensus.ratio)),
                ("worstConsensusRunMillis", jsonNumber(consensus.worstCaseMillis)),
                ("relayCapConsensusRunMillis", jsonNumber(consensus.relayCapMillis)),
            ]
            print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
            return
        }
        print("")
        print(String(format: "steps                          %14llu", steps))
        print(String(format: "fast path                      %14.1f M instructions/s  (%.2f ns/step)", fastRate / 1e6, fastSeconds / Double(steps) * 1e9))
        print(String(format: "with hashing every %-7llu     %14.2f ns/step  (%.2fx the fast path; final hash %@)",
                     Prover.defaultCheckpointInterval, hashingCost * 1e9, checkpointedSeconds / fastSeconds, agrees ? "agrees" : "DIFFERS"))
        if let qemu, let ratio {
            print(String(format: "qemu-riscv32                   %14.1f M instructions/s  (exit code %@)", Double(steps) / qemu.seconds / 1e6,
                         qemu.exitCodeMatches ? "agrees" : "DIFFERS"))
            print(String(format: "ratio EmberVM / qemu           %14.3f", ratio))
        } else {
            print("qemu-riscv32                   not installed or the program does not run under Linux: no ratio")
        }
        print(String(format: "proof size (binary)            %14d bytes mean  (%d…%d)", binarySizes.reduce(0, +) / proofs,
                     binarySizes.min() ?? 0, binarySizes.max() ?? 0))
        print(String(format: "proof size (JSON)              %14d bytes mean", jsonSizes.reduce(0, +) / proofs))
        print(String(format: "prove (from checkpoints)       %14.1f µs/proof", proveSeconds * 1e6))
        print(String(format: "verifyStep                     %14.1f µs/proof", verifySeconds * 1e6))
        print(String(format: "consensus run (%llu steps) %14.1f M instructions/s  (fast path %.1f M/s in the same run)",
                     consensus.steps, consensus.consensusStepsPerSecond / 1e6, consensus.fastStepsPerSecond / 1e6))
        print(String(format: "ratio consensus / fast path    %14.3f  (target ≥ 0.9)", consensus.ratio))
        print(String(format: "worst run, 2^24 steps, 4093 pages %11.1f ms  (%@)", consensus.worstCaseMillis, "\(consensus.worstCaseOutcome)"))
        print(String(format: "run at the relay cap, 2^20 steps %12.1f ms", consensus.relayCapMillis))
    }

    private struct QemuRun {
        let seconds: Double
        let exitCodeMatches: Bool
    }

    /// Runs the ELF under qemu-user; nil when qemu is missing or the program fails there.
    private func measureQemu(elf: [UInt8], expectedExitCode: UInt32) throws -> QemuRun? {
        guard let qemu = executableInPath("qemu-riscv32") else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ember-bench-vm-\(getpid()).elf")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(elf), attributes: [.posixPermissions: 0o755]) else {
            throw commandFailure("cannot write \(file.path)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = qemu
        process.arguments = [file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        let seconds = (clock.now - start).seconds
        guard process.terminationReason == .exit else { return nil }
        return QemuRun(seconds: seconds, exitCodeMatches: UInt32(process.terminationStatus) == expectedExitCode)
    }
}
