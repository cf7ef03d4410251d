import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Testing

/// EmberVM inside consensus (DESIGN.md section 15), through a block: the test channel's `forceMove`
/// runs blob 0 on witness item 0 under the unlock's declared maxSteps.
@Suite("EmberVM runs inside consensus")
struct CovenantProgramTests {
    typealias Framework = CovenantFrameworkTests

    /// Halts with exit code (first input byte − 1): 0 exactly when the input starts with 1. Six steps.
    static let firstByteIsOne = try! Assembler.assemble("""
        _start:
          lbu t0, 0(a1)
          addi a0, t0, -1
          li a7, 93
          ecall
        """).elf()

    /// Stores to 4 100 fresh pages from 0x0100_0000 on, then halts with 0.
    static let touchesManyPages = try! Assembler.assemble("""
        _start:
          li t0, 0x01000000
          li t1, 4100
          li t2, 4096
        1:
          sw t1, 0(t0)
          add t0, t0, t2
          addi t1, t1, -1
          bnez t1, 1b
          li a0, 0
          li a7, 93
          ecall
        """).elf()

    func forceMove(program: [UInt8], input: [UInt8], maxSteps: UInt32) throws -> (Framework.Setup, Block) {
        let (setup, channel) = try ReadAndStepRuleTests.withChannel()
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.forceMove.rawValue, firstOutput: 0, maxSteps: maxSteps))
        let transaction = setup.builder.covenantTransaction(
            covenant: [(channel, unlock, Witness(items: [input]))], plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [setup.change(extraIn: Amount(coins: 3)!, outputs: [])], blobs: [program])
        return (setup, setup.builder.makeBlock([transaction]))
    }

    func expectFailure(_ block: Block, on setup: Framework.Setup, _ expected: CovenantRejection, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: BlockRejection.transaction(index: 1, .covenant(expected)), sourceLocation: sourceLocation) {
            try setup.builder.validate(block)
        }
    }

    @Test("a program that halts with 0 within its declared steps lets the spend through")
    func haltsWithZero() throws {
        let (setup, block) = try forceMove(program: Self.firstByteIsOne, input: [1], maxSteps: 4)
        _ = try setup.builder.validate(block)
    }

    @Test("a program that exits with another code rejects the spend")
    func nonZeroExit() throws {
        let (setup, block) = try forceMove(program: Self.firstByteIsOne, input: [2], maxSteps: 4)
        expectFailure(block, on: setup, .programRunFailed(input: 0, reason: "exit code 1"))
    }

    @Test("the halting ecall counts against the declared steps")
    func stepBudget() throws {
        let (setup, block) = try forceMove(program: Self.firstByteIsOne, input: [1], maxSteps: 3)
        expectFailure(block, on: setup, .programRunFailed(input: 0, reason: "did not halt within 3 steps"))
    }

    @Test("a run over 4 096 pages fails")
    func pageLimit() throws {
        let (setup, block) = try forceMove(program: Self.touchesManyPages, input: [], maxSteps: 20_000)
        do {
            _ = try setup.builder.validate(block)
            Issue.record("a run over 4 096 pages was accepted")
        } catch {
            guard case .transaction(1, .covenant(.programRunFailed(0, let reason))) = error else {
                Issue.record("expected a failed run, got \(error)")
                return
            }
            #expect(reason.contains("4096") || reason.contains("4 096"))
        }
    }

    @Test("a program blob that is not a consensus ELF rejects the spend")
    func malformedProgram() throws {
        var elf = Self.firstByteIsOne
        elf[18] = 0x3e  // e_machine: x86-64, not RISC-V
        let (setup, block) = try forceMove(program: elf, input: [1], maxSteps: 4)
        // The loader's own rejection text, as consensus passes it on.
        let loaderError = #expect(throws: ConsensusProgramRejection.self) { try ConsensusProgram(elf: elf) }
        let reason = try #require(loaderError).description
        expectFailure(block, on: setup, .programRejected(reason: reason))
        #expect(!reason.isEmpty)
    }
}
