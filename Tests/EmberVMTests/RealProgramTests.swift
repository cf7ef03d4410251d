import Crypto
import EmberVM
import Foundation
import EmberTestSupport
import Testing

/// Runs one of the committed C programs (built by Programs/build.sh) and returns the machine.
func runProgram(_ name: String, input: [UInt8], maxSteps: UInt64 = 500_000_000) throws -> Machine {
    let elf = [UInt8](try Data(contentsOf: programsFolder.appendingPathComponent("\(name).elf")))
    let machine = try Machine(program: try Program(elf: elf), input: input)
    machine.run(untilStep: maxSteps)
    #expect(machine.status == .halted, "\(name) stopped as \(machine.status) \(machine.trapCause.map { "\($0)" } ?? "")")
    #expect(machine.exitCode == 0)
    return machine
}

func littleEndianWords(_ bytes: [UInt8]) -> [UInt32] {
    stride(from: 0, to: bytes.count - 3, by: 4).map { offset in
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}

@Test(arguments: [0, 1, 55, 56, 63, 64, 65, 1000, 100_000])
func sha256MatchesTheHost(length: Int) throws {
    var random = SeededGenerator(seed: UInt64(length) &+ 1)
    let input = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    let machine = try runProgram("sha256", input: input)
    #expect(machine.output == Array(SHA256.hash(data: input)))
}

@Test(arguments: [0, 1, 2, 17, 1000, 20_000])
func sortMatchesTheHost(count: Int) throws {
    var random = SeededGenerator(seed: UInt64(count) &* 31 &+ 7)
    // A narrow range now and then, so equal keys occur.
    let values = (0..<count).map { _ in Int32(truncatingIfNeeded: count % 2 == 0 ? random.next() : random.next() % 50) }
    let input = values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * $0)) } }
    let machine = try runProgram("sort", input: input)
    #expect(littleEndianWords(machine.output).map { Int32(bitPattern: $0) } == values.sorted())
}

@Test(arguments: [UInt32(0), 1, 2, 3, 100, 65_537, 1_000_000])
func sieveMatchesTheHost(limit: UInt32) throws {
    let input = (0..<4).map { UInt8(truncatingIfNeeded: limit >> (8 * $0)) }
    let machine = try runProgram("sieve", input: input)
    var composite = [Bool](repeating: false, count: Int(limit) + 1)
    var primes: [UInt32] = []
    if limit >= 2 {
        for candidate in 2...Int(limit) where !composite[candidate] {
            primes.append(UInt32(candidate))
            for multiple in stride(from: candidate * candidate, through: Int(limit), by: candidate) { composite[multiple] = true }
        }
    }
    let sum = primes.reduce(UInt32(0), &+)
    #expect(littleEndianWords(machine.output) == [UInt32(primes.count), primes.last ?? 0, sum])
}

@Test func realProgramStepsProveAndVerify() throws {
    let elf = [UInt8](try Data(contentsOf: programsFolder.appendingPathComponent("sha256.elf")))
    let program = try Program(elf: elf)
    let input = Array("The quick brown fox jumps over the lazy dog".utf8)
    let prover = try Prover(program: program, input: input, checkpointInterval: 512)
    let final = prover.state(afterSteps: .max)
    var random = SeededGenerator(seed: 99)
    for _ in 0..<20 {
        let step = random.next() % final.step
        let (pre, post) = try verifyStep(prover.proof(ofStep: step))
        #expect(pre == (try freshStateHash(program, input: input, steps: step)))
        #expect(post == (try freshStateHash(program, input: input, steps: step + 1)))
    }
}
