import EmberCrypto
import EmberTestSupport
import Testing

/// Checks `MerkleTree` against RFC 6962 section 2.1 written out recursively, as the RFC states it.
@Suite struct MerkleTreeTests {
    static func leaves(_ count: Int, seed: UInt64 = 1) -> [Hash32] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Hash32((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })! }
    }

    /// The largest power of two strictly below `count` (count > 1).
    static func split(_ count: Int) -> Int {
        var power = 1
        while power * 2 < count { power *= 2 }
        return power
    }

    /// MTH(D[n]) of RFC 6962 with Blake3.
    static func referenceRoot(_ leaves: ArraySlice<Hash32>) -> Hash32 {
        switch leaves.count {
        case 0:
            return Blake3.hash([])
        case 1:
            return Blake3.hash([0x00] + leaves[leaves.startIndex].bytes)
        default:
            let middle = leaves.startIndex + split(leaves.count)
            let left = referenceRoot(leaves[..<middle])
            let right = referenceRoot(leaves[middle...])
            return Blake3.hash([0x01] + left.bytes + right.bytes)
        }
    }

    /// PATH(m, D[n]) of RFC 6962: siblings from the leaf upward.
    static func referencePath(_ index: Int, _ leaves: ArraySlice<Hash32>) -> [Hash32] {
        guard leaves.count > 1 else { return [] }
        let split = split(leaves.count)
        let middle = leaves.startIndex + split
        if index < split {
            return referencePath(index, leaves[..<middle]) + [referenceRoot(leaves[middle...])]
        }
        return referencePath(index - split, leaves[middle...]) + [referenceRoot(leaves[..<middle])]
    }

    @Test(arguments: [0, 1, 2, 3, 5, 1000])
    func rootMatchesTheRecursiveDefinition(count: Int) {
        let leaves = Self.leaves(count, seed: UInt64(count))
        #expect(MerkleTree.root(of: leaves) == Self.referenceRoot(leaves[...]))
    }

    @Test func rootMatchesForEverySizeUpTo70() {
        let leaves = Self.leaves(70, seed: 70)
        for count in 0...70 {
            #expect(MerkleTree.root(of: Array(leaves[..<count])) == Self.referenceRoot(leaves[..<count]), "n = \(count)")
        }
    }

    @Test func smallTreesHaveTheDocumentedShape() {
        let (a, b, c) = (Self.leaves(3)[0], Self.leaves(3)[1], Self.leaves(3)[2])
        let leaf = { (x: Hash32) in Blake3.hash([0x00] + x.bytes) }
        let node = { (l: Hash32, r: Hash32) in Blake3.hash([0x01] + l.bytes + r.bytes) }
        #expect(MerkleTree.root(of: []) == Blake3.hash([]))
        #expect(MerkleTree.root(of: [a]) == leaf(a))
        #expect(MerkleTree.root(of: [a, b]) == node(leaf(a), leaf(b)))
        #expect(MerkleTree.root(of: [a, b, c]) == node(node(leaf(a), leaf(b)), leaf(c)))
    }

    @Test func lastLeafIsNotDuplicated() {
        let leaves = Self.leaves(3)
        #expect(MerkleTree.root(of: leaves) != MerkleTree.root(of: leaves + [leaves[2]]))
        let five = Self.leaves(5)
        #expect(MerkleTree.root(of: five) != MerkleTree.root(of: five + [five[4]]))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 33, 100])
    func everyLeafHasTheRFCPathAndItVerifies(count: Int) throws {
        let leaves = Self.leaves(count, seed: 1_000 + UInt64(count))
        let root = MerkleTree.root(of: leaves)
        for index in 0..<count {
            let proof = try #require(MerkleTree.proof(forLeafAt: index, of: leaves))
            #expect(proof.siblings == Self.referencePath(index, leaves[...]), "n = \(count), index \(index)")
            #expect(proof.verifies(leaf: leaves[index], root: root), "n = \(count), index \(index)")
        }
    }

    @Test(arguments: [2, 3, 5, 8, 11, 33])
    func tamperedProofsFail(count: Int) throws {
        let leaves = Self.leaves(count, seed: 2_000 + UInt64(count))
        let root = MerkleTree.root(of: leaves)
        for index in 0..<count {
            let proof = try #require(MerkleTree.proof(forLeafAt: index, of: leaves))
            let context = "n = \(count), index \(index)"
            #expect(!proof.verifies(leaf: leaves[(index + 1) % count], root: root), "\(context): other leaf")
            #expect(!proof.verifies(leaf: leaves[index], root: MerkleTree.root(of: Array(leaves.reversed()))), "\(context)")
            for otherIndex in 0..<count where otherIndex != index {
                let moved = MerkleProof(leafIndex: otherIndex, leafCount: count, siblings: proof.siblings)
                #expect(!moved.verifies(leaf: leaves[index], root: root), "\(context): claimed at \(otherIndex)")
            }
            for sibling in proof.siblings.indices {
                var siblings = proof.siblings
                siblings[sibling] = leaves[index]
                let altered = MerkleProof(leafIndex: index, leafCount: count, siblings: siblings)
                #expect(!altered.verifies(leaf: leaves[index], root: root), "\(context): sibling \(sibling) altered")
            }
            let truncated = MerkleProof(leafIndex: index, leafCount: count, siblings: Array(proof.siblings.dropLast()))
            #expect(truncated.root(forLeaf: leaves[index]) == nil, "\(context): truncated")
            let extended = MerkleProof(leafIndex: index, leafCount: count, siblings: proof.siblings + [root])
            #expect(extended.root(forLeaf: leaves[index]) == nil, "\(context): extended")
        }
    }

    @Test func malformedProofsAreRejectedWithoutCrashing() {
        let leaf = Self.leaves(1)[0]
        let cases = [
            MerkleProof(leafIndex: -1, leafCount: 4, siblings: []),
            MerkleProof(leafIndex: 4, leafCount: 4, siblings: []),
            MerkleProof(leafIndex: 0, leafCount: 0, siblings: []),
            MerkleProof(leafIndex: 0, leafCount: Int.min, siblings: []),
            MerkleProof(leafIndex: 0, leafCount: Int.max, siblings: Array(repeating: leaf, count: 10_000)),
            MerkleProof(leafIndex: Int.max - 1, leafCount: Int.max, siblings: Array(repeating: leaf, count: 64)),
        ]
        for proof in cases {
            #expect(proof.root(forLeaf: leaf) == nil, "\(proof.leafIndex) of \(proof.leafCount)")
        }
        #expect(MerkleTree.proof(forLeafAt: 3, of: Self.leaves(3)) == nil)
        #expect(MerkleTree.proof(forLeafAt: -1, of: Self.leaves(3)) == nil)
    }
}
