// Fuzzes `ChildTransactionBatch.decode(_:)`, the decoder of the body of the Plasma operator's public
// `POST /v1/plasma/transactions` (docs/plasma-operator.md, "HTTP API"): 1 to `maxCount` child
// transactions of 136 bytes, end to end.
// Properties: what decodes encodes back to the body through `ChildTransactionBatch.encode`, holds
// body size / 136 transactions (1 to `maxCount`), and each is what `ChildTransaction.decode` reads
// from its own 136 bytes.

import EmberCore
import EmberPlasma
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: seeds, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let moves = try? ChildTransactionBatch.decode(bytes) else { return false }
    Fuzz.expectRoundTrip(ChildTransactionBatch.encode(moves), bytes, "child transaction batch")
    Fuzz.expect(
        (1...ChildTransactionBatch.maxCount).contains(moves.count) && moves.count * ChildTransaction.byteCount == bytes.count,
        "\(moves.count) child transactions read from \(bytes.count) bytes")
    for (index, move) in moves.enumerated() {
        let start = index * ChildTransaction.byteCount
        let alone = try? ChildTransaction.decode(from: Array(bytes[start..<start + ChildTransaction.byteCount]), limit: ChildTransaction.byteCount)
        Fuzz.expect(alone == move, "transaction \(index) of the batch differs from its bytes decoded alone")
    }
    return true
}

/// Batches of one sample, of two, of every sample, and one of a transaction and a half.
func seeds() -> [[UInt8]] {
    let moves = Samples.childTransactions
    let all = ChildTransactionBatch.encode(moves)
    return [
        ChildTransactionBatch.encode(moves.prefix(1)),
        ChildTransactionBatch.encode(moves.suffix(2)),
        all,
        Array(all.prefix(ChildTransaction.byteCount * 3 / 2)),
    ]
}
