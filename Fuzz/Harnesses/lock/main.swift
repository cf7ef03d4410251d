// Fuzzes `Lock.decode`, the lock of every output (a pubKeyHash or one of the fifteen covenant bodies of
// DESIGN.md v2), on its own so that the fuzzer spends its time on the lock bodies.
// Property: what decodes encodes back to the same bytes.

import EmberCore
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.lockEncodings }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let lock = try? Lock.decode(from: bytes, limit: Transaction.maxSize) else { return false }
    Fuzz.expectRoundTrip(lock.encoded, bytes, "lock")
    return true
}
