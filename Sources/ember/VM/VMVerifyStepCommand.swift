import ArgumentParser
import EmberVM

/// `ember vm verify-step`: check a step proof and print the two state hashes it links.
struct VMVerifyStepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-step",
        abstract: "Verify a step proof (JSON, or the binary encoding) and print its pre- and post-state hashes.",
        discussion: "Exits 0 when the proof is valid, 1 with the reason when it is rejected."
    )

    @Argument(help: "The proof file, as printed by `ember vm prove`.")
    var proof: String

    func run() throws {
        let bytes = try readVMFile(proof, limit: 1 << 20, what: "proof")
        do {
            let firstByte = bytes.first { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }
            let decoded = firstByte == UInt8(ascii: "{") ? try StepProof(json: bytes) : try StepProof(encoded: bytes)
            let (pre, post) = try verifyStep(decoded)
            print("pre-state  \(pre.hex)")
            print("post-state \(post.hex)")
        } catch {
            throw commandFailure("proof rejected: \(error)")
        }
    }
}
