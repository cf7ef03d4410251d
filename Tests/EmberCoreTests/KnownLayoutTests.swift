import EmberCore
import EmberCrypto
import Testing

/// Byte layouts assembled by hand from DESIGN.md sections 4 and 5, field by field.
@Suite struct KnownLayoutTests {
    static let spentTxid = Hash32(bytes(0x11, count: 32))!
    static let publicKey = RawPublicKey(bytes(0x22, count: 32))!
    static let pubKeyHash = Hash32(bytes(0x33, count: 32))!

    static let transaction = Transaction(
        inputs: [Input(outpoint: OutPoint(txid: spentTxid, index: 300), unlock: .publicKey(publicKey))],
        outputs: [
            Output(amount: Amount(units: 1_000_000), lock: .pubKeyHash(pubKeyHash), lockTime: 0x1234, data: [0x61, 0x62, 0x63])
        ],
        witnesses: [Witness(items: [[], [0xff, 0xee]])]
    )

    /// Everything the txid covers: version, inputs, outputs.
    static let transactionTxidPart: [UInt8] =
        [0x01]  // version
        + [0x01]  // one input
        + bytes(0x11, count: 32) + [0xac, 0x02]  // outpoint: txid, index 300
        + [0x00] + bytes(0x22, count: 32)  // unlock tag 0: public key
        + [0x01]  // one output
        + [0xc0, 0x84, 0x3d]  // amount 1 000 000
        + [0x00] + bytes(0x33, count: 32)  // lock tag 0: pubKeyHash
        + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34]  // lockTime
        + [0x03, 0x61, 0x62, 0x63]  // data "abc"

    static let transactionBytes: [UInt8] =
        transactionTxidPart
        + [0x01]  // one witness
        + [0x02, 0x00, 0x02, 0xff, 0xee]  // two items: empty, then ff ee

    static let header = BlockHeader(
        nonce: Nonce(Array(0..<24))!,
        height: 0x0102_0304_0506_0708,
        parent: Hash32(bytes(0xaa, count: 32))!,
        txRoot: Hash32(bytes(0xbb, count: 32))!,
        timestamp: 0x0000_018c_0a0b_0c0d,
        target: CompactTarget(bits: 0x1d00_ffff)
    )

    static let headerBytes: [UInt8] =
        Array(0..<24)  // nonce
        + [0x01]  // version
        + [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]  // height
        + bytes(0xaa, count: 32)  // parent
        + bytes(0xbb, count: 32)  // txRoot
        + [0x00, 0x00, 0x01, 0x8c, 0x0a, 0x0b, 0x0c, 0x0d]  // timestamp
        + [0x1d, 0x00, 0xff, 0xff]  // target

    @Test func transactionEncodesToHandAssembledBytes() throws {
        #expect(Self.transaction.encoded == Self.transactionBytes)
        #expect(try Transaction.decode(from: Self.transactionBytes, limit: Transaction.maxSize) == Self.transaction)
        #expect(Self.transaction.size == Self.transactionBytes.count)
        #expect(Self.transaction.digests.size == 124)
    }

    @Test func headerEncodesToHandAssembled109Bytes() throws {
        #expect(Self.headerBytes.count == BlockHeader.encodedSize)
        #expect(Self.header.encoded == Self.headerBytes)
        #expect(try BlockHeader.decode(from: Self.headerBytes, limit: BlockHeader.encodedSize) == Self.header)
    }

    @Test func blockIsHeaderThenTransactionList() throws {
        let block = Block(header: Self.header, transactions: [Self.transaction, Self.transaction])
        let expected = Self.headerBytes + [0x02] + Self.transactionBytes + Self.transactionBytes
        #expect(block.encoded == expected)
        #expect(try Block.decode(from: expected, limit: Block.maxSize) == block)
        #expect(Block(header: Self.header, transactions: []).encoded == Self.headerBytes + [0x00])
    }

    @Test func smallValuesHaveTheirKnownLayouts() {
        #expect(OutPoint(txid: .zero, index: 0).encoded == bytes(0, count: 33))
        #expect(Lock.pubKeyHash(Self.pubKeyHash).encoded == [0x00] + bytes(0x33, count: 32))
        #expect(Unlock.publicKey(Self.publicKey).encoded == [0x00] + bytes(0x22, count: 32))
        #expect(Witness(items: []).encoded == [0x00])
        #expect(Transaction(inputs: [], outputs: [], witnesses: []).encoded == [0x01, 0x00, 0x00, 0x00])
        let maxAmount = Output(amount: Amount(units: .max), lock: .pubKeyHash(.zero))
        #expect(maxAmount.encoded == bytes(0xff, count: 18) + [0x03, 0x00] + bytes(0, count: 32 + 8) + [0x00])
    }

    @Test func nonceSitsAtItsAdvertisedOffset() throws {
        var encoded = Self.header.encoded
        let nonce = Nonce(high: 1, middle: 2, low: 0xdead_beef)
        nonce.write(into: &encoded, at: BlockHeader.nonceOffset)
        var expected = Self.header
        expected.nonce = nonce
        #expect(encoded == expected.encoded)
        #expect(nonce.bytes == bytes(0, count: 7) + [1] + bytes(0, count: 7) + [2] + [0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef])
        #expect(Nonce(nonce.bytes) == nonce)
        #expect(Nonce(bytes(0, count: 23)) == nil)
    }
}
