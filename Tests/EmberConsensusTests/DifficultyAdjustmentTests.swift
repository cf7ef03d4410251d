import BigInt
import EmberConsensus
import EmberCore
import EmberTestSupport
import Testing

@Suite("Difficulty adjustment (DESIGN.md section 7)")
struct DifficultyAdjustmentTests {
    static let vectors = try? ConsensusVectors.difficulty()

    @Test("every difficulty vector", arguments: try ConsensusVectors.difficulty().cases)
    func vector(_ vector: ConsensusVectors.Difficulty.Case) throws {
        let file = try #require(Self.vectors)
        let adjustment = try DifficultyAdjustment(
            blockTimeMs: file.blockTimeMs, maxTarget: try VectorField.bits(file.maxTarget))
        let next = try adjustment.nextTarget(
            parentTarget: try VectorField.bits(vector.parentTarget), spanMs: BigInt(vector.spanMs))
        #expect(next == (try VectorField.bits(vector.next)))
    }

    /// From the Python transcription of DESIGN.md in docs/consensus.md, at T = 4 s.
    @Test(arguments: [(0, 0x1ad7_0a3d), (68_000, 0x1b01_0000), (72_000, 0x1b01_03c3), (1_000_000_000, 0x1b01_147a)]
        as [(Int, UInt32)])
    func fourSecondBlocks(spanMs: Int, expected: UInt32) throws {
        let adjustment = try DifficultyAdjustment(blockTimeMs: 4_000, maxTarget: .maximum(zeros: 0))
        let next = try adjustment.nextTarget(parentTarget: CompactTarget(bits: 0x1b01_0000), spanMs: BigInt(spanMs))
        #expect(next == CompactTarget(bits: expected))
    }

    @Test func theWindowIsSeventeenBlocksAndSkipsGenesis() {
        #expect(DifficultyAdjustment.window == 17)
        #expect(DifficultyAdjustment.spanStartHeight(parentHeight: 0) == nil)
        #expect(DifficultyAdjustment.spanStartHeight(parentHeight: 17) == nil)
        #expect(DifficultyAdjustment.spanStartHeight(parentHeight: 18) == 1)
        #expect(DifficultyAdjustment.spanStartHeight(parentHeight: 1_000) == 983)
    }

    @Test func earlyBlocksKeepTheirParentsTarget() throws {
        let params = ConsensusParams.mainnet
        let parent = CompactTarget(bits: 0x1c01_0000)
        for height in 0...17 as ClosedRange<UInt64> {
            let next = try params.difficultyAdjustment.nextTarget(
                parentTarget: parent, parentHeight: height, parentTimestampMs: 1, spanStartTimestampMs: 0)
            #expect(next == parent)
        }
    }

    @Test func theSpanComesFromTheTwoTimestamps() throws {
        let adjustment = ConsensusParams.mainnet.difficultyAdjustment
        let parent = CompactTarget(bits: 0x1c01_0000)
        let start: UInt64 = 1_800_000_000_000
        for span in [0, 500_000, 1_088_000, 1_200_000, 9_000_000] as [UInt64] {
            let fromTimestamps = try adjustment.nextTarget(
                parentTarget: parent, parentHeight: 18, parentTimestampMs: start + span, spanStartTimestampMs: start)
            #expect(fromTimestamps == (try adjustment.nextTarget(parentTarget: parent, spanMs: BigInt(span))))
        }
    }

    @Test("a parent whose span-start ancestor is missing is an error, not a zero span")
    func missingAncestorIsAnError() throws {
        var builder = ChainBuilder()
        try builder.extend(by: 20)
        let parent = builder.tip.header
        #expect(throws: MissingAncestorError.spanStart(parentHeight: 20, ancestorHeight: 3)) {
            try ParentContext(header: parent) { $0 == 3 ? nil : builder.blocks[Int($0)].header.timestamp }
        }
        // Below height N + 1 no ancestor is asked for.
        let early = builder.blocks[17].header
        let context = try ParentContext(header: early) { _ in Issue.record("asked for an ancestor"); return nil }
        #expect(try builder.params.nextTarget(after: context) == early.target)
    }

    @Test func theNextTargetNeverExceedsTheMaximum() throws {
        let maximum = CompactTarget.maximum(zeros: 30)
        let adjustment = try DifficultyAdjustment(blockTimeMs: 64_000, maxTarget: maximum)
        #expect(try adjustment.nextTarget(parentTarget: maximum, spanMs: 100_000_000) == maximum)
        #expect(try adjustment.nextTarget(parentTarget: CompactTarget(bits: 0x20ff_ffff), spanMs: 0) == maximum)
    }

    @Test func aTargetOfOneStaysMineable() throws {
        let adjustment = try DifficultyAdjustment(blockTimeMs: 64_000, maxTarget: .maximum(zeros: 30))
        #expect(try adjustment.nextTarget(parentTarget: CompactTarget(bits: 0x0101_0000), spanMs: 0).value == 1)
    }

    @Test func invalidParentTargetsAreRejected() throws {
        let adjustment = try DifficultyAdjustment(blockTimeMs: 64_000, maxTarget: .maximum(zeros: 0))
        for bits in [0, 0x0012_3456, 0xffff_ffff, 0x2101_0000] as [UInt32] {
            #expect(throws: TargetRejection.self) {
                try adjustment.nextTarget(parentTarget: CompactTarget(bits: bits), spanMs: 1_088_000)
            }
            #expect(throws: TargetRejection.self) {
                try adjustment.nextTarget(
                    parentTarget: CompactTarget(bits: bits), parentHeight: 3,
                    parentTimestampMs: 10, spanStartTimestampMs: 0)
            }
        }
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: ConsensusParamsError.blockTimeZero) {
            try DifficultyAdjustment(blockTimeMs: 0, maxTarget: .maximum(zeros: 0))
        }
        #expect(throws: ConsensusParamsError.invalidMaxTarget(.zero(found: CompactTarget(bits: 0)))) {
            try DifficultyAdjustment(blockTimeMs: 64_000, maxTarget: CompactTarget(bits: 0))
        }
    }

    /// The target moves by at most the clamp: down to ⌊0.84 E⌋/E of itself (less the compact form's
    /// truncation), up to ⌊1.08 E⌋/E of itself, and never above the maximum.
    @Test func theAdjustmentStaysWithinTheClamp() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<3_000 {
            let blockTimeMs = [1, 250, 4_000, 64_000, UInt64.random(in: 1...10_000_000, using: &generator)]
                .randomElement(using: &generator)!
            let zeros = UInt8.random(in: 0...40, using: &generator)
            let adjustment = try DifficultyAdjustment(blockTimeMs: blockTimeMs, maxTarget: .maximum(zeros: zeros))
            let parentBits = Int.random(in: 1...256, using: &generator)
            let parent = try #require(CompactTarget(rounding: generator.bigUInt(bitWidth: parentBits)))
            let span = BigInt(Int64.random(in: .min ... .max, using: &generator))
                * BigInt(Int.random(in: 0...3, using: &generator) == 0 ? 1 << 40 : 1)
            let next = try adjustment.nextTarget(parentTarget: parent, spanMs: span)
            let expected = adjustment.expectedSpanMs
            let parentValue = parent.value
            let maximum = adjustment.maxTarget.value
            let lowest = parentValue * (expected * 84 / 100) / expected
            #expect(next.value <= parentValue * (expected * 108 / 100) / expected)
            #expect(next.value <= maximum)
            #expect(next.value >= 1)
            #expect(next.value * 65_536 >= Swift.min(lowest, maximum) * 65_535)
            #expect(CompactTarget(rounding: next.value) == next)
        }
    }

    @Test func extremeTimestampsAndSpansDoNotBreakTheRule() throws {
        let adjustment = ConsensusParams.mainnet.difficultyAdjustment
        let parent = CompactTarget(bits: 0x1c01_0000)
        let timestamps: [UInt64] = [0, 1, UInt64.max - 1, UInt64.max]
        for parentTimestamp in timestamps {
            for startTimestamp in timestamps {
                let next = try adjustment.nextTarget(
                    parentTarget: parent, parentHeight: .max,
                    parentTimestampMs: parentTimestamp, spanStartTimestampMs: startTimestamp)
                #expect(next.value <= parent.value * 108 / 100)
            }
        }
        for span in [-(BigInt(1) << 300), BigInt(Int64.min), -1, BigInt(UInt64.max), BigInt(1) << 300] {
            _ = try adjustment.nextTarget(parentTarget: CompactTarget(bits: 0x20ff_ffff), spanMs: span)
            _ = try adjustment.nextTarget(parentTarget: CompactTarget(bits: 0x0101_0000), spanMs: span)
        }
    }
}
