import EmberCore
import Testing

@Suite struct ByteReaderTests {
    @Test func fixedWidthIntegersAreBigEndian() throws {
        var reader = ByteReader([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d])
        #expect(try reader.readUInt8(field: nil) == 0x01)
        #expect(try reader.readUInt32(field: nil) == 0x0203_0405)
        #expect(try reader.readUInt64(field: nil) == 0x0607_0809_0a0b_0c0d)
        #expect(reader.isAtEnd)

        var writer = ByteWriter()
        writer.writeUInt8(0x01)
        writer.writeUInt32(0x0203_0405)
        writer.writeUInt64(0x0607_0809_0a0b_0c0d)
        #expect(writer.bytes == Array(1...13))
    }

    @Test func limitTurnsRunningOutIntoSizeOverLimit() throws {
        var reader = ByteReader(Array(0..<10))
        let first = try reader.withLimit(4) { reader throws(DecodingError) in
            try reader.readUInt32(field: "word")
        }
        #expect(first == 0x0001_0203)
        #expect(reader.remainingCount == 6)
        #expect(throws: DecodingError(.sizeOverLimit(limit: 4), path: [.field("word")])) {
            try reader.withLimit(4) { reader throws(DecodingError) in
                try reader.readUInt64(field: "word")
            }
        }
        // The limit is lifted afterwards, and a limit beyond the data changes nothing.
        var after = ByteReader(Array(0..<10))
        _ = try after.withLimit(100) { reader throws(DecodingError) in try reader.readUInt64(field: nil) }
        #expect(throws: DecodingError(.truncated, path: [.field("word")])) {
            try after.readUInt32(field: "word")
        }
    }

    @Test func countIsCheckedAgainstLimitThenRemainingBytes() throws {
        var overLimit = ByteReader([0x05, 0, 0, 0, 0, 0])
        #expect(throws: DecodingError(.countOverLimit(count: 5, limit: 4), path: [.field("list")])) {
            try overLimit.readCount(limit: 4, field: "list")
        }
        var overRemaining = ByteReader([0x05, 0, 0, 0, 0])
        #expect(throws: DecodingError(.truncated, path: [.field("list")])) {
            try overRemaining.readCount(limit: 100, field: "list")
        }
        var fits = ByteReader([0x05, 0, 0, 0, 0, 0])
        #expect(try fits.readCount(limit: 5, field: "list") == 5)
    }

    @Test func hugeCountNeverAllocates() throws {
        // 2^128 − 1 elements announced with a limit of Int.max: rejected without reserving memory.
        var reader = ByteReader(bytes(0xff, count: 18) + [0x03, 0x00])
        let reason = DecodingError.Reason.countOverLimit(count: .max, limit: .max)
        #expect(throws: DecodingError(reason, path: [.field("items")])) {
            try reader.readList(limit: Int.max, field: "items") { reader throws(DecodingError) in
                try reader.readUInt8(field: nil)
            }
        }
    }

    @Test func byteStringsCarryTheirLength() throws {
        var writer = ByteWriter()
        writer.writeByteString([0xaa, 0xbb])
        writer.writeByteString([])
        #expect(writer.bytes == [0x02, 0xaa, 0xbb, 0x00])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readByteString(limit: 2, field: nil) == [0xaa, 0xbb])
        #expect(try reader.readByteString(limit: 0, field: nil) == [])
        try reader.expectEnd()
    }
}
