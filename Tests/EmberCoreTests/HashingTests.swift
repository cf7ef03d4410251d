import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@Suite struct HashingTests {
    typealias Layout = KnownLayoutTests

    @Test func txidCoversEverythingButTheWitnesses() {
        let digests = Layout.transaction.digests
        #expect(digests.txid == Blake3.hash(Layout.transactionTxidPart))
        #expect(digests.fullHash == Blake3.hash(Layout.transactionBytes))
        #expect(digests.size == Layout.transactionBytes.count)
        #expect(Layout.transaction.txid == digests.txid)
        #expect(Layout.transaction.fullHash == digests.fullHash)
    }

    /// Digests of the hand-assembled layouts, computed independently with the `b3sum` tool.
    @Test func knownLayoutsHaveKnownDigests() {
        let digests = Layout.transaction.digests
        #expect(digests.txid.hex == "b6cd21b52a9cf76cb3d24eb86ff41ec9659572cd8b6e52e01bc35813a97ef5c9")
        #expect(digests.fullHash.hex == "4d7a031e45daed48f0359166ef94521ba008432f939b919f4ce2edc7740d4996")
        #expect(Layout.header.hash.hex == "44e3f20a4d66494c51c48218fdc01c296da59a0a52b5a85c13101b26626d672e")
    }

    @Test func witnessesChangeTheFullHashOnly() {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<200 {
            let transaction = RandomValues.transaction(using: &generator)
            var resigned = transaction
            resigned.witnesses.append(Witness(items: [[0x01]]))
            #expect(resigned.txid == transaction.txid)
            #expect(resigned.fullHash != transaction.fullHash)
            #expect(transaction.digests == Transaction.Digests(
                txid: transaction.txid, fullHash: transaction.fullHash, size: transaction.size
            ))
        }
    }

    @Test func blockHashIsDoubleHashOfTheHeaderBytes() {
        #expect(Layout.header.hash == Blake3.doubleHash(Layout.headerBytes))
        #expect(Layout.header.hash == Blake3.hash(Blake3.hash(Layout.headerBytes).bytes))
        let block = Block(header: Layout.header, transactions: [Layout.transaction])
        #expect(block.hash == Layout.header.hash)
    }
}
