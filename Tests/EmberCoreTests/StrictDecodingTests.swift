import EmberCore
import EmberCrypto
import Testing

/// Malformed encodings are rejected with the field that failed and why.
@Suite struct StrictDecodingTests {
    typealias Layout = KnownLayoutTests

    /// The transaction's known bytes with `range` replaced by `replacement`.
    static func transactionBytes(replacing range: Range<Int>, with replacement: [UInt8]) -> [UInt8] {
        var bytes = Layout.transactionBytes
        bytes.replaceSubrange(range, with: replacement)
        return bytes
    }

    // Offsets into KnownLayoutTests.transactionBytes.
    static let indexOffset = 34
    static let unlockTagOffset = 36
    static let outputsOffset = 69
    static let amountOffset = 70
    static let lockTagOffset = 73
    static let dataOffset = 114
    static let witnessesOffset = 118

    static let cases: [(name: String, bytes: [UInt8], path: String, reason: DecodingError.Reason)] = [
        ("version 3", transactionBytes(replacing: 0..<1, with: [0x03]), "transaction.version", .unsupportedVersion(3)),
        ("version 0", transactionBytes(replacing: 0..<1, with: [0x00]), "transaction.version", .unsupportedVersion(0)),
        (
            "non-minimal outpoint index",
            transactionBytes(replacing: indexOffset..<indexOffset + 2, with: [0xac, 0x82, 0x00]),
            "transaction.inputs[0].outpoint.index", .nonMinimalVarint
        ),
        (
            "outpoint index over 32 bits",
            transactionBytes(replacing: indexOffset..<indexOffset + 2, with: [0x80, 0x80, 0x80, 0x80, 0x10]),
            "transaction.inputs[0].outpoint.index", .varintTooLarge(maxBits: 32)
        ),
        (
            "unknown unlock tag",
            transactionBytes(replacing: unlockTagOffset..<unlockTagOffset + 1, with: [0x04]),
            "transaction.inputs[0].unlock.tag", .unknownTag(4)
        ),
        (
            "amount of 2^128",
            transactionBytes(replacing: amountOffset..<amountOffset + 3, with: bytes(0x80, count: 18) + [0x04]),
            "transaction.outputs[0].amount", .varintTooLarge(maxBits: 128)
        ),
        (
            "unknown lock tag",
            transactionBytes(replacing: lockTagOffset..<lockTagOffset + 1, with: [0x10]),
            "transaction.outputs[0].lock.tag", .unknownTag(16)
        ),
        (
            "257 bytes of data",
            transactionBytes(replacing: dataOffset..<dataOffset + 4, with: [0x81, 0x02] + bytes(0, count: 257)),
            "transaction.outputs[0].data", .countOverLimit(count: 257, limit: 256)
        ),
        (
            "1 025 inputs",
            transactionBytes(replacing: 1..<2, with: [0x81, 0x08]),
            "transaction.inputs", .countOverLimit(count: 1_025, limit: 1_024)
        ),
        (
            "1 025 outputs",
            transactionBytes(replacing: outputsOffset..<outputsOffset + 1, with: [0x81, 0x08]),
            "transaction.outputs", .countOverLimit(count: 1_025, limit: 1_024)
        ),
        (
            "1 025 witnesses",
            transactionBytes(replacing: witnessesOffset..<witnessesOffset + 1, with: [0x81, 0x08]),
            "transaction.witnesses", .countOverLimit(count: 1_025, limit: 1_024)
        ),
        (
            "witness item of 65 537 bytes",
            Layout.transactionTxidPart + [0x01, 0x01, 0x81, 0x80, 0x04],
            "transaction.witnesses[0].items[0]", .countOverLimit(count: 65_537, limit: 65_536)
        ),
        (
            "witness of 17 items",
            Layout.transactionTxidPart + [0x01, 0x11] + Array(repeating: 0x00, count: 17),
            "transaction.witnesses[0].items", .countOverLimit(count: 17, limit: 16)
        ),
        (
            "more inputs announced than bytes left",
            transactionBytes(replacing: 1..<2, with: [0xff, 0x07]),
            "transaction.inputs", .truncated
        ),
        (
            "second input runs into the outputs, whose pubKeyHash byte becomes its unlock tag",
            transactionBytes(replacing: 1..<2, with: [0x02]),
            "transaction.inputs[1].unlock.tag", .unknownTag(0x33)
        ),
        ("one trailing byte", Layout.transactionBytes + [0x00], "transaction", .trailingBytes(count: 1)),
        ("empty", [], "transaction.version", .truncated),
        (
            "data cut short",
            Array(Layout.transactionBytes[..<(dataOffset + 2)]),
            "transaction.outputs[0].data", .truncated
        ),
    ]

    @Test(arguments: cases)
    func transactionIsRejected(name: String, bytes: [UInt8], path: String, reason: DecodingError.Reason) throws {
        let error = try #require(decodingError(Transaction.self, bytes), "\(name) decoded")
        #expect(error.fieldPath == path, "\(name)")
        #expect(error.reason == reason, "\(name)")
    }

    @Test("a witness of 16 items, the largest a protocol uses, decodes")
    func sixteenWitnessItemsDecode() throws {
        let witness = try Witness.decode(from: [0x10] + Array(repeating: 0x00, count: 16), limit: 100)
        #expect(witness.items.count == 16)
    }

    @Test func offsetsUsedAboveMatchTheLayout() {
        let layout = Layout.transactionBytes
        #expect(Array(layout[Self.indexOffset..<Self.indexOffset + 2]) == [0xac, 0x02])
        #expect(layout[Self.outputsOffset] == 0x01 && layout[Self.amountOffset] == 0xc0)
        #expect(Array(layout[Self.dataOffset..<Self.dataOffset + 4]) == [0x03, 0x61, 0x62, 0x63])
        #expect(Self.witnessesOffset == Layout.transactionTxidPart.count)
    }

    @Test func transactionOverMaxSizeIsRejectedAtTheFieldThatCrossesIt() throws {
        let big = bytes(0x5a, count: 60_000)
        let transaction = Transaction(inputs: [], outputs: [], witnesses: [Witness(items: [big, big])])
        let error = try #require(decodingError(Transaction.self, transaction.encoded))
        #expect(error.fieldPath == "transaction.witnesses[0].items[1]")
        #expect(error.reason == .sizeOverLimit(limit: Transaction.maxVersion1Size))
    }

    @Test func callerLimitIsCheckedBeforeDecoding() throws {
        let error = try #require(decodingError(Transaction.self, Layout.transactionBytes, limit: 100))
        #expect(error == DecodingError(.sizeOverLimit(limit: 100), path: [.field("transaction")]))
        #expect(decodingError(Transaction.self, Layout.transactionBytes, limit: Layout.transactionBytes.count) == nil)
    }

    @Test func headerIsRejectedForVersionAndLength() throws {
        var badVersion = Layout.headerBytes
        badVersion[24] = 0x02
        let versionError = try #require(decodingError(BlockHeader.self, badVersion))
        #expect(versionError.fieldPath == "blockHeader.version")
        #expect(versionError.reason == .unsupportedVersion(2))

        let short = try #require(decodingError(BlockHeader.self, Array(Layout.headerBytes.dropLast())))
        #expect(short.fieldPath == "blockHeader.target")
        #expect(short.reason == .truncated)

        let long = try #require(decodingError(BlockHeader.self, Layout.headerBytes + [0]))
        #expect(long.reason == .trailingBytes(count: 1))
    }

    @Test func blockErrorsNameTheTransaction() throws {
        var badSecond = Layout.transactionBytes
        badSecond[0] = 0x09
        let bytes = Layout.headerBytes + [0x02] + Layout.transactionBytes + badSecond
        let error = try #require(decodingError(Block.self, bytes))
        #expect(error.fieldPath == "block.transactions[1].version")
        #expect(error.reason == .unsupportedVersion(9))

        let tooMany = Layout.headerBytes + Varint.encoded(20_001)
        let countError = try #require(decodingError(Block.self, tooMany))
        #expect(countError.fieldPath == "block.transactions")
        #expect(countError.reason == .countOverLimit(count: 20_001, limit: Block.maxTransactions))
    }

    @Test func errorDescriptionNamesFieldAndReason() {
        let error = DecodingError(
            .countOverLimit(count: 257, limit: 256),
            path: [.field("transaction"), .field("outputs"), .index(0), .field("data")]
        )
        #expect(error.description == "invalid encoding at transaction.outputs[0].data: length 257 is over the limit of 256")
    }
}
