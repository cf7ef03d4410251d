import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberTestSupport
import Testing

/// The miner's word-by-word comparison must agree with the rules' `BigUInt(hash:) <= target.value`.
@Suite("Digest against target")
struct MiningTargetTests {
    /// The digest whose bytes are `value` as a 256-bit big-endian integer; nil from 2^256 up.
    static func digest(of value: BigUInt) -> Hash32? {
        let bytes = Array(value.serialize())
        guard bytes.count <= Hash32.byteCount else { return nil }
        return Hash32([UInt8](repeating: 0, count: Hash32.byteCount - bytes.count) + bytes)
    }

    static func expectAgreement(_ hash: Hash32, _ compact: CompactTarget, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = BigUInt(hash: hash) <= compact.value
        #expect(MiningTarget(compact).isMet(by: hash) == expected, "hash \(hash), target \(compact)",
                sourceLocation: sourceLocation)
    }

    /// Canonical targets from the largest a network allows down to 1.
    static let canonicalTargets: [CompactTarget] =
        [1, 10, 12, 20, 30, 64, 200, 250].map { CompactTarget.maximum(zeros: $0) }
        + [CompactTarget(bits: 0x0101_0000), CompactTarget(bits: 0x0380_0000), CompactTarget(bits: 0x2000_0001)]

    @Test("a digest equal to the target meets it; one above does not; one below does", arguments: canonicalTargets)
    func boundaries(compact: CompactTarget) throws {
        let value = compact.value
        let target = MiningTarget(compact)
        let equal = try #require(Self.digest(of: value))
        #expect(target.isMet(by: equal))
        if let above = Self.digest(of: value + 1) {
            #expect(!target.isMet(by: above))
        }
        if value > 0, let below = Self.digest(of: value - 1) {
            #expect(target.isMet(by: below))
        }
        #expect(target.isMet(by: .zero))
        #expect(target.bigEndianBytes == equal.bytes)
    }

    @Test("random digests against random compact targets, including digests sharing the target's first bytes")
    func randomAgreement() throws {
        var generator = SeededGenerator(seed: 0x6D69_6E65)
        for _ in 0..<4_000 {
            let size = UInt32.random(in: 0...34, using: &generator)
            let compact = CompactTarget(bits: size << 24 | UInt32.random(in: 0...0xff_ffff, using: &generator))
            var hash = RandomValues.hash32(using: &generator)
            Self.expectAgreement(hash, compact)
            // A digest that matches the target's top bytes is decided by a later word, or not at all.
            if let targetDigest = Self.digest(of: compact.value) {
                let shared = Int.random(in: 0...Hash32.byteCount, using: &generator)
                hash = try #require(Hash32(targetDigest.bytes.prefix(shared) + hash.bytes.dropFirst(shared)))
                Self.expectAgreement(hash, compact)
            }
        }
    }

    @Test("a target of 2^256 or more, which the rules reject, is met by every digest; a zero target only by zero")
    func outOfRange() throws {
        let everything = MiningTarget(CompactTarget(bits: 0x2101_0000))
        #expect(everything.isMet(by: try #require(Hash32(hex: String(repeating: "ff", count: 32)))))
        let nothing = MiningTarget(CompactTarget(bits: 0))
        #expect(nothing.isMet(by: .zero))
        #expect(!nothing.isMet(by: try #require(Hash32(hex: String(repeating: "00", count: 31) + "01"))))
        // Size 33 whose top mantissa byte is 0 still fits 256 bits.
        Self.expectAgreement(try #require(Hash32(hex: "00ffff" + String(repeating: "00", count: 29))), CompactTarget(bits: 0x2100_ffff))
        Self.expectAgreement(try #require(Hash32(hex: "01" + String(repeating: "00", count: 31))), CompactTarget(bits: 0x2100_ffff))
    }
}
