// Fuzzes `Transaction.decode(from:limit:)`, the decoder of every transaction a peer, the API or a block
// brings: its inputs' unlocks, outputs' locks, reads, blobs and witnesses.
// Property: what decodes encodes back to the same bytes, and its digests measure those bytes.

import EmberCore
import EmberCrypto
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.transactions.map(\.encoded) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let transaction = try? Transaction.decode(from: bytes, limit: Transaction.maxSize) else { return false }
    Fuzz.expectRoundTrip(transaction.encoded, bytes, "transaction")
    let digests = transaction.digests
    Fuzz.expect(digests.size == bytes.count, "digests.size \(digests.size) for \(bytes.count) bytes")
    Fuzz.expect(digests.txid == transaction.txid && digests.fullHash == Blake3.hash(bytes), "digests disagree with txid and fullHash")
    return true
}
