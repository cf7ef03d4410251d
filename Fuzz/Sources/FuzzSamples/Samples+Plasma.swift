import EmberCore
import EmberCrypto

extension Samples {
    /// The input of the `smt-proof` harness for a key, its leaf and a proof: `key 32 ‖ leaf 32 ‖ proof`.
    public static func smtProofInput(key: Hash32, leaf: Hash32, proof: SparseMerkleTree.Proof) -> [UInt8] {
        key.bytes + leaf.bytes + proof.encoded
    }

    /// Sparse Merkle trees of the vectors' shapes (DESIGN.md section 17): empty, one leaf, two keys that
    /// differ only in the last bit, 40 pseudo-random keys, and 257 keys that part from key 0 at every depth
    /// (whose proof for key 0 lists all 256 siblings: the largest proof, `Proof.maxByteCount` bytes). For
    /// each, proofs of inclusion of some keys and of non-inclusion of absent keys, as `smtProofInput`s.
    public static var smtProofInputs: [[UInt8]] {
        let absent = [Blake3.hash(Array("absent".utf8)), hash(0xff), Hash32.zero, hash(0x80)]
        var key1 = [UInt8](repeating: 0, count: 32)
        key1[31] = 1
        let lastBit = Hash32(key1)!
        let random = (0..<40).map { Blake3.hash(Array("smt key \($0)".utf8)) }
        let everyDepth = [Hash32.zero] + (0..<SparseMerkleTree.depth).map { bit -> Hash32 in
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes[bit / 8] = 0x80 >> UInt8(bit % 8)
            return Hash32(bytes)!
        }
        let trees: [(keys: [Hash32], proved: [Hash32])] = [
            ([], [absent[0]]),
            ([Blake3.hash(Array("one leaf".utf8))], [Blake3.hash(Array("one leaf".utf8)), absent[0]]),
            ([Hash32.zero, lastBit], [Hash32.zero, lastBit, hash(0x01)]),
            (random, [random[0], random[17], random[39]] + absent),
            (everyDepth, [Hash32.zero, everyDepth[1], everyDepth[256], everyDepth[200], hash(0x01)]),
        ]
        var inputs: [[UInt8]] = []
        for (index, tree) in trees.enumerated() {
            var leaves: [Hash32: Hash32] = [:]
            for key in tree.keys { leaves[key] = Blake3.hash(key.bytes + [UInt8(index)]) }
            let built = SparseMerkleTree(leaves: leaves)
            for key in tree.proved {
                inputs.append(smtProofInput(key: key, leaf: built.leaf(for: key), proof: built.proof(for: key)))
            }
        }
        return inputs
    }

    /// Child transactions on every network: deposits (parentBlock 0) and later moves signed by devnet key 0,
    /// one to its own signer (so `isSigned(by: newOwnerKey)` holds), the highest parentBlock, an unsigned one.
    public static var childTransactions: [ChildTransaction] {
        var all: [ChildTransaction] = []
        let signer = SigningKey.devnet(index: 0)
        for network in NetworkID.allCases {
            for (parentBlock, newOwner) in [(UInt64(0), publicKey(1)), (1, publicKey(2)), (42, publicKey(0)), (.max, publicKey(3))] {
                let coinId = Blake3.hash(Array("coin \(network.rawValue) \(parentBlock)".utf8))
                if let transaction = try? ChildTransaction(
                    coinId: coinId, parentBlock: parentBlock, newOwnerKey: newOwner, signedBy: signer, network: network)
                {
                    all.append(transaction)
                }
            }
        }
        if let zeroSignature = try? Signature(bytes: [UInt8](repeating: 0, count: Signature.byteCount)) {
            all.append(ChildTransaction(coinId: .zero, parentBlock: 0, newOwnerKey: RawPublicKey(hash(0).bytes)!, signature: zeroSignature))
        }
        return all
    }
}
