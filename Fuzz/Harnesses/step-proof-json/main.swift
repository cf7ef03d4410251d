// Fuzzes `StepProof(json:)`, the JSON step proof `ember vm verify-step` reads (StrictJSON underneath).
// Properties: a decoded proof's own JSON, and its binary form, decode to the same proof.

import EmberVM
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.stepProofs.map { Array($0.json().utf8) } }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let proof = try? StepProof(json: bytes) else { return false }
    let json = proof.json()
    Fuzz.expect((try? StepProof(json: Array(json.utf8))) == proof, "a proof's own JSON \(json) decodes to another proof")
    Fuzz.expect((try? StepProof(encoded: proof.encoded())) == proof, "a proof from JSON \(json) does not survive its binary form")
    return true
}
