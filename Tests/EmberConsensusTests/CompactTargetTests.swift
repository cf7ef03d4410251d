import BigInt
import EmberConsensus
import EmberCore
import EmberTestSupport
import Testing

@Suite("Compact targets (DESIGN.md section 6)")
struct CompactTargetTests {
    @Test("every encode vector", arguments: try ConsensusVectors.targetCompact().encode)
    func encodeVector(_ vector: ConsensusVectors.TargetCompact.Encode) throws {
        let value = try VectorField.hexValue(vector.value)
        #expect(CompactTarget(rounding: value) == (try VectorField.bits(vector.bits)))
    }

    @Test("every round-trip vector", arguments: try ConsensusVectors.targetCompact().roundTrip)
    func roundTripVector(_ vector: ConsensusVectors.TargetCompact.RoundTrip) throws {
        let bits = try VectorField.bits(vector.bits)
        #expect(CompactTarget(rounding: bits.value) == (try VectorField.bits(vector.expect)))
    }

    @Test func decodingFollowsTheSizeByte() {
        #expect(CompactTarget(bits: 0x0312_3456).value == 0x12_3456)
        #expect(CompactTarget(bits: 0x0212_3456).value == 0x1234)
        #expect(CompactTarget(bits: 0x0412_3456).value == 0x1234_5600)
        #expect(CompactTarget(bits: 0x20ff_ffff).value == BigUInt(0xff_ffff) << 232)
    }

    @Test func valuesOf2To256AndAboveHaveNoCompactForm() {
        #expect(CompactTarget(rounding: BigUInt(1) << 256) == nil)
        #expect(CompactTarget(rounding: (BigUInt(1) << 256) - 1) == CompactTarget(bits: 0x20ff_ffff))
    }

    @Test func roundingTruncatesBelowTheTopThreeBytes() {
        #expect(CompactTarget(rounding: 0x1234_5678) == CompactTarget(bits: 0x0412_3456))
        #expect(CompactTarget(rounding: 0x1234_56ff)?.value == 0x1234_5600)
    }

    @Test func checkedValueAcceptsCanonicalNonZeroTargetsWithinTheMaximum() throws {
        let maximum = CompactTarget(bits: 0x1d03_ffff)
        #expect(try CompactTarget(bits: 0x1b01_0000).checkedValue(maximum: maximum) == BigUInt(1) << 208)
        #expect(try maximum.checkedValue(maximum: maximum) == maximum.value)
        #expect(try CompactTarget(bits: 0x0101_0000).checkedValue() == 1)
    }

    @Test func checkedValueRejectsSizesAbove32() {
        let bits = CompactTarget(bits: 0x2101_0000)
        #expect(throws: TargetRejection.sizeTooLarge(maximum: 32, found: 33)) { try bits.checkedValue() }
        let extreme = CompactTarget(bits: 0xffff_ffff)
        #expect(throws: TargetRejection.sizeTooLarge(maximum: 32, found: 255)) { try extreme.checkedValue() }
    }

    @Test func checkedValueRejectsNonCanonicalBits() {
        let cases: [(found: UInt32, expected: UInt32)] = [
            (0x0112_3456, 0x0112_0000), (0x0400_1234, 0x0312_3400), (0x0012_3456, 0x0000_0000),
            (0x2000_ffff, 0x1fff_ff00),
        ]
        for (found, expected) in cases {
            #expect(throws: TargetRejection.nonCanonical(
                expected: CompactTarget(bits: expected), found: CompactTarget(bits: found))
            ) { try CompactTarget(bits: found).checkedValue() }
        }
    }

    @Test func checkedValueRejectsZero() {
        #expect(throws: TargetRejection.zero(found: CompactTarget(bits: 0))) {
            try CompactTarget(bits: 0).checkedValue()
        }
    }

    @Test func checkedValueRejectsTargetsAboveTheMaximum() {
        let maximum = CompactTarget.maximum(zeros: 30)
        let easier = CompactTarget(bits: 0x1d04_0000)
        #expect(throws: TargetRejection.aboveMaximum(maximum: maximum, found: easier)) {
            try easier.checkedValue(maximum: maximum)
        }
    }

    @Test("maxTarget(z) = 2^(256 - z) - 1, rounded", arguments: [0, 1, 10, 20, 30, 200, 255] as [UInt8])
    func maximumTarget(zeros: UInt8) throws {
        let maximum = CompactTarget.maximum(zeros: zeros)
        let exact = (BigUInt(1) << (256 - Int(zeros))) - 1
        #expect(maximum.value <= exact)
        #expect(maximum.value.bitWidth == 256 - Int(zeros))
        #expect(try maximum.checkedValue() == maximum.value)
        // Rounding keeps the top three of `size` bytes, so only the bytes below them are lost.
        #expect(exact - maximum.value < BigUInt(1) << (8 * Swift.max(0, Int(maximum.size) - 3)))
    }

    @Test func networkMaximumTargets() {
        #expect(CompactTarget.maximum(zeros: 30) == CompactTarget(bits: 0x1d03_ffff))
        #expect(CompactTarget.maximum(zeros: 20) == CompactTarget(bits: 0x1e0f_ffff))
        #expect(CompactTarget.maximum(zeros: 10) == CompactTarget(bits: 0x1f3f_ffff))
        #expect(CompactTarget.maximum(zeros: 0) == CompactTarget(bits: 0x20ff_ffff))
        #expect(CompactTarget.maximum(zeros: 255) == CompactTarget(bits: 0x0101_0000))
    }

    @Test func everyCanonicalEncodingDecodesAndEncodesToItself() {
        var generator = SeededGenerator(seed: 0xC0FFEE)
        for _ in 0..<2_000 {
            let value = generator.bigUInt(bitWidth: Int.random(in: 1...256, using: &generator))
            guard let bits = CompactTarget(rounding: value) else {
                Issue.record("no compact form for a value below 2^256: \(value)")
                continue
            }
            #expect(CompactTarget(rounding: bits.value) == bits)
            #expect(bits.value <= value)
            #expect((try? bits.checkedValue()) == bits.value)
        }
    }
}
