// Fuzzes `StepProof(encoded:)`, the binary step proof a Truebit challenger or solver submits in a
// transaction (DESIGN.md v2 section 18). Property: what decodes encodes back to the same bytes.

import EmberVM
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.stepProofs.map { $0.encoded() } }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let proof = try? StepProof(encoded: bytes) else { return false }
    Fuzz.expectRoundTrip(proof.encoded(), bytes, "step proof")
    return true
}
