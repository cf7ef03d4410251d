import EmberCore
import EmberTestSupport
import Testing

@Suite struct VarintTests {
    static let knownEncodings: [(value: UInt128, bytes: [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7f]),
        (128, [0x80, 0x01]),
        (300, [0xac, 0x02]),
        (16_383, [0xff, 0x7f]),
        (16_384, [0x80, 0x80, 0x01]),
        (1_000_000, [0xc0, 0x84, 0x3d]),
        (UInt128(UInt64.max), bytes(0xff, count: 9) + [0x01]),
        (UInt128.max, bytes(0xff, count: 18) + [0x03]),
    ]

    @Test(arguments: knownEncodings)
    func encodesToKnownBytes(value: UInt128, bytes: [UInt8]) throws {
        #expect(Varint.encoded(value) == bytes)
        #expect(Varint.encodedSize(of: value) == bytes.count)
        var reader = ByteReader(bytes)
        #expect(try reader.readVarint(field: "v") == value)
        #expect(reader.isAtEnd)
    }

    static let invalidEncodings: [(bytes: [UInt8], reason: DecodingError.Reason)] = [
        ([], .truncated),
        ([0x80], .truncated),
        ([0xff, 0xff], .truncated),
        ([0x80, 0x00], .nonMinimalVarint),
        ([0xff, 0x80, 0x00], .nonMinimalVarint),
        (bytes(0x80, count: 18) + [0x00], .nonMinimalVarint),
        // 2^128: one bit more than 128.
        (bytes(0x80, count: 18) + [0x04], .varintTooLarge(maxBits: 128)),
        (bytes(0xff, count: 18) + [0x7f], .varintTooLarge(maxBits: 128)),
        // A 20th byte is never allowed, whatever follows.
        (bytes(0x80, count: 19) + [0x01], .varintTooLarge(maxBits: 128)),
    ]

    @Test(arguments: invalidEncodings)
    func rejectsInvalidEncoding(bytes: [UInt8], reason: DecodingError.Reason) {
        var reader = ByteReader(bytes)
        #expect(throws: DecodingError(reason, path: [.field("amount")])) {
            try reader.readVarint(field: "amount")
        }
    }

    @Test func fittedReadRejectsValuesWiderThanTheField() throws {
        var reader = ByteReader(Varint.encoded(UInt128(UInt32.max) + 1))
        #expect(throws: DecodingError(.varintTooLarge(maxBits: 32), path: [.field("index")])) {
            try reader.readVarint(as: UInt32.self, field: "index")
        }
        var fits = ByteReader(Varint.encoded(UInt128(UInt32.max)))
        #expect(try fits.readVarint(as: UInt32.self, field: "index") == UInt32.max)
    }

    @Test func randomValuesRoundTrip() throws {
        var generator = SeededGenerator(seed: 0x7661_7269_6e74)
        for _ in 0..<20_000 {
            let value = RandomValues.varintValue(using: &generator)
            let encoded = Varint.encoded(value)
            #expect(encoded.count == Varint.encodedSize(of: value))
            var reader = ByteReader(encoded)
            let decoded = try reader.readVarint(field: nil)
            #expect(decoded == value && reader.isAtEnd, "value \(value)")
        }
    }

    /// Every 1- and 2-byte string either is the unique encoding of its value or is rejected.
    @Test func everyShortStringIsCanonicalOrRejected() {
        var candidates: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for first in 0...255 {
            for second in 0...255 { candidates.append([UInt8(first), UInt8(second)]) }
        }
        var accepted = 0
        for candidate in candidates {
            var reader = ByteReader(candidate)
            guard let value = try? reader.readVarint(field: nil), reader.isAtEnd else { continue }
            accepted += 1
            #expect(Varint.encoded(value) == candidate)
        }
        // 0...127 in one byte, 128...16 383 in two.
        #expect(accepted == 16_384)
    }
}
