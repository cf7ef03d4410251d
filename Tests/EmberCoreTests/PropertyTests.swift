import EmberCore
import EmberTestSupport
import Testing

/// Round trips and hostile inputs over many seeded random values. A failure message carries the
/// iteration, so a case can be replayed from the fixed seed.
@Suite struct PropertyTests {
    @Test func transactionsRoundTrip() throws {
        var generator = SeededGenerator(seed: 1)
        for iteration in 0..<3_000 {
            let transaction = RandomValues.transaction(using: &generator)
            let bytes = transaction.encoded
            let decoded = try Transaction.decode(from: bytes, limit: Transaction.maxSize)
            #expect(decoded == transaction, "iteration \(iteration)")
            #expect(decoded.encoded == bytes, "iteration \(iteration)")
            #expect(transaction.digests.size == bytes.count, "iteration \(iteration)")
        }
    }

    @Test func headersRoundTrip() throws {
        var generator = SeededGenerator(seed: 2)
        for iteration in 0..<3_000 {
            let header = RandomValues.blockHeader(using: &generator)
            let bytes = header.encoded
            #expect(bytes.count == BlockHeader.encodedSize)
            let decoded = try BlockHeader.decode(from: bytes, limit: BlockHeader.encodedSize)
            #expect(decoded == header, "iteration \(iteration)")
        }
    }

    @Test func blocksRoundTrip() throws {
        var generator = SeededGenerator(seed: 3)
        for iteration in 0..<300 {
            let block = RandomValues.block(maxTransactions: 6, using: &generator)
            let bytes = block.encoded
            let decoded = try Block.decode(from: bytes, limit: Block.maxSize)
            #expect(decoded == block, "iteration \(iteration)")
            #expect(decoded.encoded == bytes, "iteration \(iteration)")
        }
    }

    @Test func everyProperPrefixIsTruncated() throws {
        var generator = SeededGenerator(seed: 4)
        for iteration in 0..<40 {
            let bytes = RandomValues.transaction(using: &generator).encoded
            for length in 0..<bytes.count {
                let error = decodingError(Transaction.self, Array(bytes[..<length]))
                #expect(error?.reason == .truncated, "transaction \(iteration), length \(length)")
            }
        }
        for iteration in 0..<8 {
            let bytes = RandomValues.block(maxTransactions: 2, using: &generator).encoded
            for length in 0..<bytes.count {
                let error = decodingError(Block.self, Array(bytes[..<length]))
                #expect(error?.reason == .truncated, "block \(iteration), length \(length)")
            }
        }
    }

    @Test func anyAppendedByteIsTrailing() throws {
        var generator = SeededGenerator(seed: 5)
        for iteration in 0..<500 {
            let bytes = RandomValues.transaction(using: &generator).encoded
            let extra = UInt8.random(in: .min ... .max, using: &generator)
            let error = decodingError(Transaction.self, bytes + [extra])
            #expect(error == DecodingError(.trailingBytes(count: 1), path: [.field("transaction")]), "iteration \(iteration)")
        }
    }

    /// Changing bytes of a valid encoding either breaks it or gives another value whose encoding is
    /// exactly the changed bytes: no value has two encodings.
    @Test func mutatedEncodingsAreRejectedOrCanonical() {
        var generator = SeededGenerator(seed: 6)
        var stillValid = 0
        for iteration in 0..<3_000 {
            var bytes = RandomValues.transaction(using: &generator).encoded
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: .min ... .max, using: &generator)
            }
            guard let decoded = try? Transaction.decode(from: bytes, limit: Transaction.maxSize) else { continue }
            stillValid += 1
            #expect(decoded.encoded == bytes, "iteration \(iteration)")
        }
        // Most bytes are hashes and amounts, so many mutations stay valid; the check above did run.
        #expect(stillValid > 100)
    }

    /// Random byte strings never crash a decoder; whatever decodes re-encodes to the same bytes.
    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<10_000 {
            let length = Int.random(in: 0...160, using: &generator)
            var bytes = RandomValues.bytes(count: length, using: &generator)
            // A plausible first byte gets the decoders past the version check more often.
            if !bytes.isEmpty, Bool.random(using: &generator) {
                bytes[0] = Bool.random(using: &generator) ? Transaction.version1 : Transaction.version2
            }
            expectCanonicalOrRejected(Transaction.self, bytes)
            expectCanonicalOrRejected(Output.self, bytes)
            expectCanonicalOrRejected(Input.self, bytes)
            expectCanonicalOrRejected(Witness.self, bytes)
            expectCanonicalOrRejected(BlockHeader.self, bytes)
            expectCanonicalOrRejected(Block.self, bytes)
        }
    }

    private func expectCanonicalOrRejected<Value: CanonicalCodable>(_ type: Value.Type, _ bytes: [UInt8]) {
        guard let value = try? Value.decode(from: bytes, limit: Int.max) else { return }
        #expect(value.encoded == bytes)
    }
}
