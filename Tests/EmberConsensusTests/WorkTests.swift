import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@Suite("Weight, hash rate and fork choice (DESIGN.md sections 6 and 11)")
struct WorkTests {
    @Test func weightIsTwoTo256OverTheTarget() throws {
        #expect(try Work.weight(of: CompactTarget(bits: 0x1b01_0000)) == BigUInt(1) << 48)
        #expect(try Work.weight(of: CompactTarget(bits: 0x20ff_ffff)) == 1)
        #expect(try Work.weight(of: CompactTarget(bits: 0x0101_0000)) == BigUInt(1) << 256)
        #expect(try Work.weight(of: CompactTarget(bits: 0x0103_0000)) == (BigUInt(1) << 256) / 3)
    }

    @Test func chainWorkAddsEachBlocksWeight() throws {
        let target = CompactTarget(bits: 0x1b01_0000)
        let once = try Work.cumulative(parentWork: 0, adding: target)
        #expect(try Work.cumulative(parentWork: once, adding: target) == BigUInt(1) << 49)
    }

    @Test func invalidTargetsHaveNoWeight() {
        for bits in [0, 0x0012_3456, 0x2101_0000, 0xffff_ffff] as [UInt32] {
            #expect(throws: TargetRejection.self) { try Work.weight(of: CompactTarget(bits: bits)) }
            #expect(throws: TargetRejection.self) {
                try BlockTiming(chainCount: 1, blockTimeMs: 64_000).hashRate(of: CompactTarget(bits: bits))
            }
        }
    }

    @Test func hashRateAtOneChain() throws {
        let timing = try BlockTiming(chainCount: 1, blockTimeMs: 64_000)
        // difficulty 2^66 over 64 s is 2^60 H/s.
        #expect(try timing.hashRate(of: CompactTarget(bits: 0x1840_0000)) == BigUInt(1) << 60)
        #expect(timing.target(forHashRate: BigUInt(1) << 60) == CompactTarget(bits: 0x1840_0000))
        // The easiest target is still worth one hash per second.
        #expect(try timing.hashRate(of: CompactTarget(bits: 0x20ff_ffff)) == 1)
        #expect(timing.target(forHashRate: 0) == CompactTarget(bits: 0x20ff_ffff))
        #expect(timing.target(forHashRate: 1) == CompactTarget(bits: 0x2004_0000))
        // Past 2^256 hashes per block no target is small enough: the formula gives 0.
        #expect(timing.target(forHashRate: BigUInt(1) << 244) == CompactTarget(bits: 0x0140_0000))
        #expect(timing.target(forHashRate: BigUInt(1) << 250) == CompactTarget(bits: 0x0101_0000))
        #expect(timing.target(forHashRate: BigUInt(1) << 251) == CompactTarget(bits: 0))
        #expect(timing.target(forHashRate: BigUInt(1) << 2_000) == CompactTarget(bits: 0))
    }

    @Test func hashRateScalesWithTheSquareOfTheChainCount() throws {
        let target = CompactTarget(bits: 0x1b01_0000)
        let one = try BlockTiming(chainCount: 1, blockTimeMs: 64_000).hashRate(of: target)
        let sixteen = try BlockTiming(chainCount: 16, blockTimeMs: 64_000).hashRate(of: target)
        #expect(sixteen == one * 256)
    }

    @Test func blockTimingRejectsZeros() {
        #expect(throws: ConsensusParamsError.chainCountZero) { try BlockTiming(chainCount: 0, blockTimeMs: 1) }
        #expect(throws: ConsensusParamsError.blockTimeZero) { try BlockTiming(chainCount: 1, blockTimeMs: 0) }
    }

    /// The compact form keeps 16 to 24 significant bits, so a hash rate survives the round trip
    /// through a target to within about 2^-15 of itself.
    @Test func hashRateSurvivesTheRoundTripThroughATarget() throws {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let timing = try BlockTiming(
                chainCount: [1, 16].randomElement(using: &generator)!,
                blockTimeMs: [250, 4_000, 64_000].randomElement(using: &generator)!)
            let hashRate = generator.bigUInt(bitWidth: Int.random(in: 24...200, using: &generator))
            let roundTrip = try timing.hashRate(of: timing.target(forHashRate: hashRate))
            let difference = roundTrip > hashRate ? roundTrip - hashRate : hashRate - roundTrip
            #expect(difference <= hashRate >> 14, "hash rate \(hashRate) came back as \(roundTrip)")
        }
    }

    @Test func greaterWorkWinsWhateverTheHash() throws {
        let small = try #require(Hash32(hex: String(repeating: "00", count: 32)))
        let large = try #require(Hash32(hex: String(repeating: "ff", count: 32)))
        #expect(ChainRank(cumulativeWork: 10, tipHash: small) < ChainRank(cumulativeWork: 11, tipHash: large))
        #expect(ChainRank(cumulativeWork: BigUInt(1) << 300, tipHash: large)
            > ChainRank(cumulativeWork: (BigUInt(1) << 300) - 1, tipHash: small))
    }

    @Test func equalWorkPrefersTheSmallerHashAsAnUnsignedBigEndianInteger() throws {
        // 0x7f... is smaller than 0x80... unsigned; a signed-byte comparison would pick 0x80...
        let below = try #require(Hash32(hex: "7f" + String(repeating: "ff", count: 31)))
        let above = try #require(Hash32(hex: "80" + String(repeating: "00", count: 31)))
        let lastByteOnly = try #require(Hash32(hex: "7f" + String(repeating: "ff", count: 30) + "fe"))
        #expect(ChainRank(cumulativeWork: 5, tipHash: above) < ChainRank(cumulativeWork: 5, tipHash: below))
        #expect(ChainRank(cumulativeWork: 5, tipHash: below) < ChainRank(cumulativeWork: 5, tipHash: lastByteOnly))
        #expect([above, below, lastByteOnly].map { ChainRank(cumulativeWork: 5, tipHash: $0) }.max()?.tipHash
            == lastByteOnly)
        let same = ChainRank(cumulativeWork: 5, tipHash: below)
        #expect(!(same < same))
    }
}
