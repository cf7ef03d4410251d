// Fuzzes `Unlock.decode`, the unlock of every input (a public key, or a covenant spend whose layout
// depends on its tag and mode), on its own so that the fuzzer spends its time on the unlock bodies.
// Property: what decodes encodes back to the same bytes.

import EmberCore
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.unlockEncodings }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let unlock = try? Unlock.decode(from: bytes, limit: Transaction.maxSize) else { return false }
    Fuzz.expectRoundTrip(unlock.encoded, bytes, "unlock")
    return true
}
