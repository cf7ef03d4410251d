import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberTruebit
import EmberVM
import Testing

/// The committed SPV program run in EmberVM on chains mined by the node's own rules, against what the
/// node computes for them.
@Suite("SPV task program")
struct SPVProgramTests {
    /// Work small enough to write by hand, in the output's 40-byte form.
    static func work(_ value: UInt64) -> SPVWork {
        SPVWork(bigEndian: [UInt8](repeating: 0, count: 32) + (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) })!
    }

    @Test("a chain mined by the node's rules is valid: anchor, tip, work and count are the chain's")
    func acceptsMinedChain() throws {
        let chain = SPVChains.fastChain(length: 30)
        let input = try SPVChains.input(SPVChains.headers(of: chain))
        let run = try #require(try SPVProgramRunner.run(input))
        guard case .valid(let output) = run.verdict else {
            Issue.record("a valid chain was refused: \(run.verdict)")
            return
        }
        #expect(output.anchor == chain.blocks[0].header.hash, "the anchor is genesis, the first header's parent")
        #expect(output.tip == chain.tip.header.hash)
        #expect(output.headerCount == 30)
        // Every block of the fast devnet carries its maximum target, of weight 2.
        #expect(output.totalWork == Self.work(30 * SPVChains.fastTargetWeight))
        #expect(run.verdict == SPVReference.verdict(for: try SPVTaskInput(headers: SPVChains.headers(of: chain), maximumTarget: SPVChains.fastMaximumTarget)))
    }

    @Test("work sums each header's own target, whatever its size and mantissa")
    func workOfMixedTargets() throws {
        // Hand-computed weights ⌊2^256 / (m · 2^(8(s − 3)))⌋ = ⌊2^(8(35 − s)) / m⌋:
        // 0x207fffff: ⌊2^24 / 0x7fffff⌋ = 2; 0x1fffffff: ⌊2^32 / 0xffffff⌋ = 256;
        // 0x1f0a1234: ⌊2^32 / 0x0a1234⌋ = ⌊4 294 967 296 / 660 020⌋ = 6 507; 0x1effffff: ⌊2^40 / 0xffffff⌋ = 65 536.
        let targets: [UInt32] = [0x207f_ffff, 0x1fff_ffff, 0x1f0a_1234, 0x1eff_ffff, 0x207f_ffff]
        let base = SPVChains.fastChain(length: 1).tip.header
        var headers = [BlockHeader]()
        var parent = base
        for bits in targets {
            let header = SPVChains.remined(BlockHeader(
                nonce: .zero, height: parent.height + 1, parent: parent.hash, txRoot: .zero, timestamp: parent.timestamp + 1_000,
                target: CompactTarget(bits: bits)))
            headers.append(header)
            parent = header
        }
        let input = try SPVChains.input(headers)
        let run = try #require(try SPVProgramRunner.run(input))
        let expected = SPVTaskOutput(
            anchor: base.hash, tip: parent.hash, totalWork: Self.work(2 + 256 + 6_507 + 65_536 + 2), headerCount: 5)
        #expect(run.verdict == .valid(expected))
        #expect(try SPVReference.verdict(forInput: input) == .valid(expected))
    }

    @Test("each way of breaking a chain gives its exit code and names the header at fault", arguments: SPVBreakage.allCases)
    func brokenChains(breakage: SPVBreakage) throws {
        let chain = SPVChains.fastChain(length: 12)
        let input = try breakage.apply(to: SPVChains.headers(of: chain), at: 5)
        let run = try #require(try SPVProgramRunner.run(input))
        #expect(run.verdict == .invalid(breakage.expectedFailure(at: 5)))
        #expect(try SPVReference.verdict(forInput: input) == run.verdict, "the node's rules and the program disagree")
    }

    @Test("the program loads under the post rule: one segment, no shared file bytes, an initial state for the largest input")
    func postable() throws {
        let elf = try SPVProgramRunner.elf()
        let program = try SPVProgramRunner.consensusProgram()
        #expect(elf.count <= ConsensusProgram.maxELFBytes)
        // Post rule 1 (fix P): the loaded segments' file sizes sum to at most the program's length.
        #expect(program.program.segments.map(\.bytes.count).reduce(0, +) <= elf.count)
        let input = try SPVChains.input(SPVChains.headers(of: SPVChains.long))
        #expect(input.count <= Transaction.maxBlobSize, "the largest input fits one blob")
        let initial = try ConsensusRun.initialStateHash(program: program, input: input)
        #expect(initial == (try Machine(program: program.program, input: input)).stateHash())
    }

    @Test("the largest input, 2 404 mined headers, runs past 10^7 steps and within 2^24")
    func longChain() throws {
        let chain = SPVChains.long
        let input = try SPVChains.input(SPVChains.headers(of: chain))
        let run = try #require(try SPVProgramRunner.run(input))
        #expect(run.verdict == .valid(SPVTaskOutput(
            anchor: chain.blocks[0].header.hash, tip: chain.tip.header.hash,
            totalWork: Self.work(UInt64(SPVTaskInput.maxHeaders) * SPVChains.fastTargetWeight), headerCount: UInt32(SPVTaskInput.maxHeaders))))
        // The Truebit end-to-end test cheats in the middle of a run of about 10^7 steps; the worked
        // example of docs/truebit.md posts maxSteps = 2^24.
        #expect(run.steps >= 10_000_000, "\(run.steps) steps")
        #expect(run.steps <= 1 << 24, "\(run.steps) steps")
    }
}
