import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberTestSupport
import Testing

/// The miner end to end: real threads, real templates, blocks checked by every tier of the rules.
@Suite("Miner")
struct MinerTests {
    @Test("the miner's blocks pass every tier: trivial work (z = 1) and harder work (z = 12)",
          arguments: [(zeros: UInt8(1), threads: 1), (1, 2), (12, 2)])
    func minesValidBlocks(zeros: UInt8, threads: Int) async throws {
        var builder = ChainBuilder(params: try ConsensusParams.devnet(blockTimeMs: 1_000, maxTargetZeros: zeros, coinbaseLockupMs: 10_000))
        let miner = Miner(threadCount: threads)
        defer { miner.stop() }
        // Three blocks in a row, as a node does it: each solution becomes the tip, then a new template.
        for height in 1...3 {
            let template = try builder.template()
            if height == 1 { miner.start(template: template) } else { miner.replaceTemplate(template) }
            let block = try #require(try await blocks(from: miner).first)
            #expect(template.produced(block))
            #expect(block.header.nonce.high < UInt64(threads))
            try builder.append(block)
        }
        #expect(builder.tip.header.height == 3)
        #expect(miner.totalHashes > 0)
    }

    @Test("under PoLW the mined blocks burn and are valid, block after block")
    func minesPolwBlocks() async throws {
        var builder = ChainBuilder(params: ChainBuilder.polwParams())
        let miner = Miner(threadCount: 2)
        defer { miner.stop() }
        for _ in 1...3 {
            let template = try builder.template()
            #expect(template.reward.burnt > .zero)
            miner.start(template: template)
            let block = try #require(try await blocks(from: miner).first)
            let effects = try builder.append(block)
            #expect(effects.burnt == template.reward.burnt)
        }
    }

    @Test("stop joins every thread promptly, and no hash is counted after it")
    func stopJoins() async throws {
        let template = try ChainBuilder().template().unreachable
        let miner = Miner(threadCount: 2)
        miner.start(template: template)
        #expect(miner.isRunning)
        try await waitUntil("both workers hash") { miner.totalHashes > 10_000 }
        #expect(miner.hashRate > 0)

        let clock = ContinuousClock()
        let began = clock.now
        miner.stop()
        let took = clock.now - began
        #expect(took < .milliseconds(500), "stop took \(took)")
        #expect(!miner.isRunning)
        let hashesAtStop = miner.totalHashes
        try await Task.sleep(for: .milliseconds(50))
        #expect(miner.totalHashes == hashesAtStop)

        // A stopped miner starts again, with fresh threads.
        let builder = ChainBuilder()
        miner.start(template: try builder.template())
        let block = try #require(try await blocks(from: miner).first)
        _ = try builder.validate(block)
        miner.stop()
    }

    @Test("a template replaced mid-search: the workers take up the new one and its block comes out")
    func replacement() async throws {
        let builder = ChainBuilder()
        let template = try builder.template()
        let miner = Miner(threadCount: 2)
        defer { miner.stop() }
        miner.start(template: template.unreachable)
        try await waitUntil("the workers hash the first template") { miner.totalHashes > 10_000 }
        miner.replaceTemplate(template)
        let block = try #require(try await blocks(from: miner).first)
        #expect(template.produced(block))
        _ = try builder.validate(block)
    }

    @Test("rapid replacements: every block belongs to one template, at most one per template, the last one solved")
    func rapidReplacements() async throws {
        let builder = ChainBuilder()
        let start = builder.tip.header.timestamp + builder.params.blockTimeMs
        let templates = try (0..<30).map { try builder.template(nowMs: start + UInt64($0)) }
        let miner = Miner(threadCount: 2)
        defer { miner.stop() }
        miner.start(template: templates[0])
        for template in templates.dropFirst() { miner.replaceTemplate(template) }

        let last = templates[templates.count - 1]
        let found = try await blocks(from: miner, until: { last.produced($0) })
        let owners = found.map { block in templates.firstIndex { $0.produced(block) } }
        #expect(owners.allSatisfy { $0 != nil })
        #expect(Set(owners).count == owners.count)
        for block in found { _ = try builder.validate(block) }
    }
}
