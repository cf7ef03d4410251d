// Fuzzes `SparseMerkleTree.Proof(decoding:limit:)`, the decoder of the sparse Merkle proofs a Plasma
// operator or an exiting coin owner hands over (DESIGN.md section 17, issue 16), then
// `SparseMerkleTree.root(of:key:leaf:)` on what decodes.
// Input: `key 32 ‖ leaf 32 ‖ proof`; an input shorter than 64 bytes is all proof, with the zero key and
// leaf. Properties: what decodes encodes back to the proof's bytes and has a sibling per bitmap bit set
// (`hasSibling(atDepth:)` agrees), the parts make the same proof through `Proof(bitmap:siblings:)`,
// a proof one byte over the limit is refused, and the root (of the leaf and of the empty leaf) is
// computed without trapping and agrees with `verify(encodedProof:…)`.

import EmberCrypto
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { Samples.smtProofInputs }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    let hasKeyAndLeaf = bytes.count >= 2 * Hash32.byteCount
    let key = hasKeyAndLeaf ? Hash32(bytes[0..<32])! : .zero
    let leaf = hasKeyAndLeaf ? Hash32(bytes[32..<64])! : SparseMerkleTree.emptyLeaf
    let proofBytes = hasKeyAndLeaf ? Array(bytes[64...]) : bytes
    typealias Proof = SparseMerkleTree.Proof

    guard let proof = try? Proof(decoding: proofBytes, limit: Proof.maxByteCount) else { return false }
    Fuzz.expectRoundTrip(proof.encoded, proofBytes, "sparse Merkle proof")
    Fuzz.expect(proofBytes.count <= Proof.maxByteCount, "a proof of \(proofBytes.count) bytes decoded")
    let setBits = proof.bitmap.reduce(0) { $0 + $1.nonzeroBitCount }
    Fuzz.expect(proof.siblings.count == setBits, "\(proof.siblings.count) siblings for \(setBits) bits set")
    let listed = (1...SparseMerkleTree.depth).filter { proof.hasSibling(atDepth: $0) }.count
    Fuzz.expect(listed == setBits, "hasSibling holds at \(listed) depths for \(setBits) bits set")
    Fuzz.expect((try? Proof(bitmap: proof.bitmap, siblings: proof.siblings)) == proof, "Proof(bitmap:siblings:) disagrees")
    Fuzz.expect(
        (try? Proof(decoding: proofBytes, limit: proofBytes.count - 1)) == nil,
        "a proof of \(proofBytes.count) bytes decoded under a limit of \(proofBytes.count - 1)")

    let root = SparseMerkleTree.root(of: proof, key: key, leaf: leaf)
    _ = SparseMerkleTree.root(of: proof, key: key, leaf: SparseMerkleTree.emptyLeaf)
    Fuzz.expect(
        SparseMerkleTree.verify(encodedProof: proofBytes, key: key, leaf: leaf, root: root),
        "verify(encodedProof:) refuses the root that root(of:) computed")
    return true
}
