// Fuzzes `Block.decode(from:limit:)`, the decoder of every block a peer sends, the API accepts or a
// blocks file holds. Property: what decodes encodes back to the same bytes.

import EmberCore
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { [Samples.block().encoded, Samples.block(transactions: []).encoded] + Samples.fixtureBlocks(2) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let block = try? Block.decode(from: bytes, limit: Block.maxSize) else { return false }
    Fuzz.expectRoundTrip(block.encoded, bytes, "block")
    Fuzz.expectRoundTrip(block.header.encoded, Array(bytes.prefix(BlockHeader.encodedSize)), "block header")
    return true
}
