import EmberCore
import EmberCrypto
import Testing

/// Version 2 (DESIGN.md section 15): reads and blobs, the txid that covers them, and each version's limits.
@Suite struct TransactionVersion2Tests {
    static let spentTxid = Hash32(bytes(0x11, count: 32))!
    static let readTxid = Hash32(bytes(0x44, count: 32))!
    static let publicKey = RawPublicKey(bytes(0x22, count: 32))!
    static let pubKeyHash = Hash32(bytes(0x33, count: 32))!

    static let transaction = Transaction(
        version: 2,
        inputs: [Input(outpoint: OutPoint(txid: spentTxid, index: 1), unlock: .publicKey(publicKey))],
        reads: [OutPoint(txid: readTxid, index: 2)],
        outputs: [Output(amount: Amount(units: 5), lock: .pubKeyHash(pubKeyHash))],
        blobs: [[0xde, 0xad], []],
        witnesses: [Witness(items: [[0x07]])]
    )

    /// version ‖ inputs ‖ reads ‖ outputs ‖ blobs, field by field.
    static let txidPart: [UInt8] =
        [0x02]  // version
        + [0x01] + bytes(0x11, count: 32) + [0x01]  // one input: outpoint txid, index 1
        + [0x00] + bytes(0x22, count: 32)  // unlock tag 0
        + [0x01] + bytes(0x44, count: 32) + [0x02]  // one read: txid, index 2
        + [0x01, 0x05] + [0x00] + bytes(0x33, count: 32) + bytes(0, count: 8) + [0x00]  // one output: 5 units, no data
        + [0x02, 0x02, 0xde, 0xad, 0x00]  // two blobs: de ad, then empty

    static let allBytes = txidPart + [0x01, 0x01, 0x01, 0x07]  // one witness of one item 07

    @Test func version2EncodesToHandAssembledBytes() throws {
        #expect(Self.transaction.encoded == Self.allBytes)
        #expect(try Transaction.decode(from: Self.allBytes, limit: Transaction.maxSize) == Self.transaction)
        let digests = Self.transaction.digests
        #expect(digests.txid == Blake3.hash(Self.txidPart))
        #expect(digests.fullHash == Blake3.hash(Self.allBytes))
        #expect(digests.size == Self.allBytes.count)
        #expect(Self.transaction.txid == digests.txid)
        #expect(Self.transaction.blobHashes == [Blake3.hash([0xde, 0xad]), Blake3.hash([])])
    }

    @Test("the txid covers reads and blobs, not witnesses")
    func txidCoverage() {
        var changedRead = Self.transaction
        changedRead.reads[0].index = 3
        var changedBlob = Self.transaction
        changedBlob.blobs[1] = [0x00]
        var changedWitness = Self.transaction
        changedWitness.witnesses[0].items[0] = [0x08]
        #expect(changedRead.txid != Self.transaction.txid)
        #expect(changedBlob.txid != Self.transaction.txid)
        #expect(changedWitness.txid == Self.transaction.txid)
        #expect(changedWitness.fullHash != Self.transaction.fullHash)
    }

    @Test("a version-1 transaction keeps the bytes and txid of protocol v1")
    func versionOneUnchanged() {
        let v1 = Transaction(inputs: [], outputs: [], witnesses: [])
        #expect(v1.version == 1)
        #expect(v1.encoded == [0x01, 0x00, 0x00, 0x00])
        #expect(v1.txid == Blake3.hash([0x01, 0x00, 0x00]))
    }

    @Test func versionsOtherThanOneAndTwoAreRefused() {
        for version: UInt8 in [0, 3, 255] {
            #expect(decodingError(Transaction.self, [version, 0, 0, 0, 0, 0])?.reason == .unsupportedVersion(version))
        }
    }

    @Test("more than 16 reads are refused")
    func readLimit() {
        var transaction = Self.transaction
        transaction.reads = (0..<17).map { OutPoint(txid: Self.readTxid, index: UInt32($0)) }
        let error = decodingError(Transaction.self, transaction.encoded)
        #expect(error?.reason == .countOverLimit(count: 17, limit: 16))
        transaction.reads.removeLast()
        #expect(decodingError(Transaction.self, transaction.encoded) == nil)
    }

    @Test("more than 16 blobs are refused")
    func blobCountLimit() {
        var transaction = Self.transaction
        transaction.blobs = Array(repeating: [0x01], count: 17)
        #expect(decodingError(Transaction.self, transaction.encoded)?.reason == .countOverLimit(count: 17, limit: 16))
        transaction.blobs.removeLast()
        #expect(decodingError(Transaction.self, transaction.encoded) == nil)
    }

    @Test("a blob over 256 KiB is refused")
    func blobSizeLimit() {
        var transaction = Self.transaction
        transaction.blobs = [bytes(0x5a, count: Transaction.maxBlobSize + 1)]
        #expect(decodingError(Transaction.self, transaction.encoded)?.reason
            == .countOverLimit(count: UInt128(Transaction.maxBlobSize + 1), limit: Transaction.maxBlobSize))
        transaction.blobs = [bytes(0x5a, count: Transaction.maxBlobSize)]
        #expect(decodingError(Transaction.self, transaction.encoded) == nil)
    }

    @Test("version 1 keeps its 100 000-byte limit while version 2 may reach 1 MiB")
    func sizeLimitsFollowTheVersion() {
        let filler = Output(amount: Amount(units: 1), lock: .pubKeyHash(Self.pubKeyHash), data: bytes(0x01, count: 256))
        let v1 = Transaction(inputs: [], outputs: Array(repeating: filler, count: 400), witnesses: [])
        #expect(v1.size > Transaction.maxVersion1Size)
        #expect(decodingError(Transaction.self, v1.encoded)?.reason == .sizeOverLimit(limit: Transaction.maxVersion1Size))
        let v2 = Transaction(version: 2, inputs: [], reads: [], outputs: v1.outputs, blobs: [], witnesses: [])
        #expect(decodingError(Transaction.self, v2.encoded) == nil)
        let huge = Transaction(
            version: 2, inputs: [], reads: [], outputs: [],
            blobs: Array(repeating: bytes(0x02, count: Transaction.maxBlobSize), count: 4), witnesses: [])
        #expect(huge.size > Transaction.maxSize)
        #expect(decodingError(Transaction.self, huge.encoded)?.reason == .sizeOverLimit(limit: Transaction.maxSize))
    }

    @Test("every truncation of a version-2 transaction fails cleanly, and trailing bytes are refused")
    func truncationsAndTrailingBytes() {
        for length in 0..<Self.allBytes.count {
            #expect(decodingError(Transaction.self, Array(Self.allBytes.prefix(length))) != nil)
        }
        #expect(decodingError(Transaction.self, Self.allBytes + [0x00])?.reason == .trailingBytes(count: 1))
    }
}
