import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

/// The sparse Merkle tree section of `../shared/vectors/layer2.json` (DESIGN.md section 17), loaded as it is.
struct SparseMerkleVectors: Decodable {
    struct Leaf: Decodable, Sendable {
        let key: String
        let leaf: String
    }

    struct ProofCase: Decodable, Sendable {
        let key: String
        let leaf: String
        let included: Bool
        let proof: String
    }

    struct TreeCase: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let leaves: [Leaf]
        let root: String
        let proofs: [ProofCase]

        var testDescription: String { name }
    }

    let emptySubtree: [String: String]
    let smt: [TreeCase]

    static func load() throws -> SparseMerkleVectors {
        struct File: Decodable { let plasma: SparseMerkleVectors }
        return try JSONDecoder().decode(File.self, from: SharedVectors.data(named: "layer2.json")).plasma
    }

    static let cases: [TreeCase] = (try? load().smt) ?? []
}

/// Checks `SparseMerkleTree` against the vectors, against a top-down reference written from the text of
/// DESIGN.md section 17, and against hostile proofs.
@Suite struct SparseMerkleTreeTests {
    static func hash(_ hex: String) throws -> Hash32 { try #require(Hash32(hex: hex)) }
    static func bytes(_ hex: String) throws -> [UInt8] { try #require([UInt8](hexString: hex)) }

    // MARK: Reference, as the text states it

    /// E(k) straight from the definition: E(0) = 32 zero bytes, E(k+1) = H(0x01 ‖ E(k) ‖ E(k)).
    static let referenceEmpty: [Hash32] = {
        var hashes = [Hash32.zero]
        for height in 0..<256 { hashes.append(Blake3.hash([0x01] + hashes[height].bytes + hashes[height].bytes)) }
        return hashes
    }()

    static func referenceBit(_ key: Hash32, _ index: Int) -> Int {
        Int(key.bytes[index / 8] >> UInt8(7 - index % 8)) & 1
    }

    /// The hash of the node at `depth` whose subtree holds exactly `entries`, top-down: split on the bit
    /// below and hash both halves.
    static func referenceNode(_ entries: [(key: Hash32, leaf: Hash32)], depth: Int) -> Hash32 {
        if entries.isEmpty { return referenceEmpty[256 - depth] }
        if depth == 256 { return entries[0].leaf }
        let left = referenceNode(entries.filter { referenceBit($0.key, depth) == 0 }, depth: depth + 1)
        let right = referenceNode(entries.filter { referenceBit($0.key, depth) == 1 }, depth: depth + 1)
        return Blake3.hash([0x01] + left.bytes + right.bytes)
    }

    /// The proof bytes for `key`, top-down: at each depth the sibling subtree's entries, hashed by the
    /// reference and listed when not empty.
    static func referenceProof(_ entries: [(key: Hash32, leaf: Hash32)], key: Hash32) -> [UInt8] {
        var bitmap = [UInt8](repeating: 0, count: 32)
        var siblings = [UInt8]()
        var onPath = entries
        for depth in 0..<256 {
            let side = referenceBit(key, depth)
            let sibling = referenceNode(onPath.filter { referenceBit($0.key, depth) != side }, depth: depth + 1)
            if sibling != referenceEmpty[255 - depth] {
                bitmap[depth / 8] |= 0x80 >> UInt8(depth % 8)
                siblings += sibling.bytes
            }
            onPath = onPath.filter { referenceBit($0.key, depth) == side }
        }
        return bitmap + siblings
    }

    static func randomKeys(_ count: Int, using random: inout SeededGenerator) -> [Hash32] {
        (0..<count).map { _ in RandomValues.hash32(using: &random) }
    }

    static func randomTree(_ count: Int, seed: UInt64) -> [Hash32: Hash32] {
        var random = SeededGenerator(seed: seed)
        var leaves = [Hash32: Hash32]()
        while leaves.count < count {
            leaves[RandomValues.hash32(using: &random)] = RandomValues.hash32(using: &random)
        }
        return leaves
    }

    // MARK: Vectors

    @Test func emptySubtreeHashesMatchTheVectorsAndTheDefinition() throws {
        let vectors = try SparseMerkleVectors.load()
        #expect(vectors.emptySubtree.count >= 5)
        for (height, hex) in vectors.emptySubtree {
            let k = try #require(Int(height))
            #expect(SparseMerkleTree.emptySubtree[k] == (try Self.hash(hex)), "E(\(k))")
        }
        #expect(SparseMerkleTree.emptySubtree == Self.referenceEmpty)
        #expect(SparseMerkleTree(leaves: [:]).root == SparseMerkleTree.emptySubtree[256])
    }

    @Test func theVectorFileHoldsEveryTreeCase() {
        #expect(SparseMerkleVectors.cases.count >= 4)
        #expect(SparseMerkleVectors.cases.contains { $0.leaves.count == 40 })
    }

    @Test(arguments: SparseMerkleVectors.cases)
    func vectorTreeHasItsRootAndItsProofs(_ vector: SparseMerkleVectors.TreeCase) throws {
        var leaves = [Hash32: Hash32]()
        for leaf in vector.leaves { leaves[try Self.hash(leaf.key)] = try Self.hash(leaf.leaf) }
        let tree = SparseMerkleTree(leaves: leaves)
        let root = try Self.hash(vector.root)
        #expect(tree.root == root)
        #expect(tree.count == vector.leaves.count)
        #expect(!vector.proofs.isEmpty)
        for proofCase in vector.proofs {
            let key = try Self.hash(proofCase.key)
            let leaf = try Self.hash(proofCase.leaf)
            let expected = try Self.bytes(proofCase.proof)
            #expect(tree.leaf(for: key) == leaf)
            #expect((leaf != .zero) == proofCase.included)
            // Producing: the builder's proof is the vector's, byte for byte.
            let produced = tree.proof(for: key)
            #expect(produced.encoded == expected, "proof for \(proofCase.key)")
            // Verifying: the vector's bytes decode and lead to the vector's root.
            let decoded = try SparseMerkleTree.Proof(decoding: expected, limit: SparseMerkleTree.Proof.maxByteCount)
            #expect(decoded == produced)
            #expect(SparseMerkleTree.root(of: decoded, key: key, leaf: leaf) == root)
            #expect(SparseMerkleTree.verify(decoded, key: key, leaf: leaf, root: root))
            #expect(SparseMerkleTree.verify(encodedProof: expected, key: key, leaf: leaf, root: root))
            // The proof says nothing for another leaf: an included key is not also absent, and the reverse.
            let otherLeaf = leaf == .zero ? Hash32(bigEndianWords: (0, 0, 0, 1)) : Hash32.zero
            #expect(!SparseMerkleTree.verify(decoded, key: key, leaf: otherLeaf, root: root))
        }
    }

    @Test(arguments: SparseMerkleVectors.cases)
    func vectorTreeMatchesTheReference(_ vector: SparseMerkleVectors.TreeCase) throws {
        let entries = try vector.leaves.map { (key: try Self.hash($0.key), leaf: try Self.hash($0.leaf)) }
        #expect(Self.referenceNode(entries, depth: 0) == (try Self.hash(vector.root)))
        for proofCase in vector.proofs {
            #expect(Self.referenceProof(entries, key: try Self.hash(proofCase.key)) == (try Self.bytes(proofCase.proof)))
        }
    }

    // MARK: The fast builder against the reference

    @Test(arguments: [0, 1, 2, 3, 5, 16, 33, 130, 300])
    func randomTreeRootMatchesTheReference(count: Int) {
        let leaves = Self.randomTree(count, seed: 10_000 + UInt64(count))
        let entries = leaves.map { (key: $0.key, leaf: $0.value) }
        #expect(SparseMerkleTree(leaves: leaves).root == Self.referenceNode(entries, depth: 0))
    }

    /// Keys that share long prefixes, cut across bucket boundaries, pair at the last bit, and sit at both
    /// ends of the key space: the shapes where a lift that pairs the wrong groups would show.
    @Test func clusteredKeysMatchTheReference() {
        var leaves = [Hash32: Hash32]()
        var random = SeededGenerator(seed: 77)
        for high in [UInt64(0), 1, 0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff, 0x4000_0000_0000_0000] {
            for low in [UInt64(0), 1, 2, 3, 4, 255, 256, 0xffff_ffff_ffff_ffff] {
                leaves[Hash32(bigEndianWords: (high, 0, 0, low))] = RandomValues.hash32(using: &random)
            }
        }
        for index in 0..<200 {
            leaves[Hash32(bigEndianWords: (0x1234_0000_0000_0000 | UInt64(index) << 40, 7, 7, UInt64(index)))] =
                RandomValues.hash32(using: &random)
        }
        let entries = leaves.map { (key: $0.key, leaf: $0.value) }
        let tree = SparseMerkleTree(leaves: leaves)
        #expect(tree.root == Self.referenceNode(entries, depth: 0))
        for (key, _) in entries.prefix(12) {
            #expect(tree.proof(for: key).encoded == Self.referenceProof(entries, key: key))
        }
        for low in [UInt64(5), 254, 257] {
            let absent = Hash32(bigEndianWords: (0, 0, 0, low))
            #expect(tree.proof(for: absent).encoded == Self.referenceProof(entries, key: absent))
        }
    }

    /// Zero and every power of two: neighbours part at every depth from 0 to 255 once.
    @Test func keysThatPartAtEveryDepthMatchTheReference() {
        var leaves = [Hash32: Hash32]()
        var random = SeededGenerator(seed: 256)
        leaves[.zero] = RandomValues.hash32(using: &random)
        for bit in 0..<256 {
            var words: [UInt64] = [0, 0, 0, 0]
            words[bit / 64] = 1 << UInt64(63 - bit % 64)
            leaves[Hash32(bigEndianWords: (words[0], words[1], words[2], words[3]))] = RandomValues.hash32(using: &random)
        }
        let entries = leaves.map { (key: $0.key, leaf: $0.value) }
        let tree = SparseMerkleTree(leaves: leaves)
        #expect(tree.root == Self.referenceNode(entries, depth: 0))
        for key in [Hash32.zero, Hash32(bigEndianWords: (0, 0, 0, 1)), Hash32(bigEndianWords: (0, 0, 0, 3))] {
            #expect(tree.proof(for: key).encoded == Self.referenceProof(entries, key: key))
        }
    }

    @Test func randomSmallTreeProofsMatchTheReference() {
        let leaves = Self.randomTree(40, seed: 41)
        let entries = leaves.map { (key: $0.key, leaf: $0.value) }
        let tree = SparseMerkleTree(leaves: leaves)
        var random = SeededGenerator(seed: 42)
        let probes = Array(leaves.keys.prefix(10)) + Self.randomKeys(5, using: &random)
        for key in probes {
            #expect(tree.proof(for: key).encoded == Self.referenceProof(entries, key: key))
        }
    }

    /// Above `parallelThreshold` keys the buckets are lifted on several threads.
    @Test func treeBuiltOnSeveralCoresMatchesTheReference() {
        let leaves = Self.randomTree(4_500, seed: 4_500)
        let entries = leaves.map { (key: $0.key, leaf: $0.value) }
        #expect(SparseMerkleTree(leaves: leaves).root == Self.referenceNode(entries, depth: 0))
    }

    @Test func zeroLeafIsNoLeaf() {
        let leaves = Self.randomTree(20, seed: 20)
        var withZero = leaves
        var random = SeededGenerator(seed: 21)
        let zeroKey = RandomValues.hash32(using: &random)
        withZero[zeroKey] = .zero
        let tree = SparseMerkleTree(leaves: withZero)
        #expect(tree.root == SparseMerkleTree(leaves: leaves).root)
        #expect(tree.count == 20)
        #expect(SparseMerkleTree.verify(tree.proof(for: zeroKey), key: zeroKey, leaf: .zero, root: tree.root))
    }

    // MARK: Property: every key in, every other key out

    @Test(arguments: [(UInt64(1), 1), (2, 2), (3, 57), (4, 1_000), (5, 6_000)])
    func includedKeysVerifyAndAbsentKeysVerifyAsAbsent(seed: UInt64, count: Int) throws {
        let leaves = Self.randomTree(count, seed: seed)
        let tree = SparseMerkleTree(leaves: leaves)
        let root = tree.root
        for (key, leaf) in leaves {
            let proof = tree.proof(for: key)
            #expect(SparseMerkleTree.verify(proof, key: key, leaf: leaf, root: root))
            #expect(!SparseMerkleTree.verify(proof, key: key, leaf: .zero, root: root))
            #expect(try SparseMerkleTree.Proof(decoding: proof.encoded, limit: SparseMerkleTree.Proof.maxByteCount) == proof)
        }
        var random = SeededGenerator(seed: seed ^ 0xabcd)
        for key in Self.randomKeys(200, using: &random) where leaves[key] == nil {
            let proof = tree.proof(for: key)
            #expect(tree.leaf(for: key) == .zero)
            #expect(SparseMerkleTree.verify(proof, key: key, leaf: .zero, root: root))
            #expect(!SparseMerkleTree.verify(proof, key: key, leaf: RandomValues.hash32(using: &random), root: root))
        }
        // An absent key that shares all but the last bit with a present one.
        if let (key, _) = leaves.first {
            let (w0, w1, w2, w3) = key.bigEndianWords
            let neighbour = Hash32(bigEndianWords: (w0, w1, w2, w3 ^ 1))
            if leaves[neighbour] == nil {
                #expect(SparseMerkleTree.verify(tree.proof(for: neighbour), key: neighbour, leaf: .zero, root: root))
            }
        }
    }

    // MARK: Attacks on proofs

    static func oneLeafTree() throws -> (tree: SparseMerkleTree, key: Hash32, leaf: Hash32) {
        let vector = try #require(SparseMerkleVectors.cases.first { $0.leaves.count == 1 })
        let key = try hash(vector.leaves[0].key)
        let leaf = try hash(vector.leaves[0].leaf)
        return (SparseMerkleTree(leaves: [key: leaf]), key, leaf)
    }

    @Test func siblingEqualToItsLevelsEmptyHashIsRejected() throws {
        let (tree, key, leaf) = try Self.oneLeafTree()
        // The honest proof lists nothing: every sibling is empty.
        #expect(tree.proof(for: key).siblings.isEmpty)
        for depth in [1, 2, 100, 255, 256] {
            var bitmap = [UInt8](repeating: 0, count: 32)
            bitmap[(depth - 1) / 8] |= 0x80 >> UInt8((depth - 1) % 8)
            let empty = SparseMerkleTree.emptySubtree[256 - depth]
            let bytes = bitmap + empty.bytes
            #expect(throws: SparseMerkleTree.ProofError.emptySibling(depth: depth)) {
                try SparseMerkleTree.Proof(decoding: bytes, limit: SparseMerkleTree.Proof.maxByteCount)
            }
            #expect(throws: SparseMerkleTree.ProofError.emptySibling(depth: depth)) {
                try SparseMerkleTree.Proof(bitmap: bitmap, siblings: [empty])
            }
            // The same bytes would hash to the right root: only the rule keeps them out.
            #expect(!SparseMerkleTree.verify(encodedProof: bytes, key: key, leaf: leaf, root: tree.root))
        }
        // Another level's empty hash is a non-empty sibling as far as the bitmap goes; it just leads elsewhere.
        var bitmap = [UInt8](repeating: 0, count: 32)
        bitmap[0] = 0x80
        let misplaced = try SparseMerkleTree.Proof(bitmap: bitmap, siblings: [SparseMerkleTree.emptySubtree[3]])
        #expect(!SparseMerkleTree.verify(misplaced, key: key, leaf: leaf, root: tree.root))
    }

    @Test func proofForAnotherKeyLeafOrRootFails() throws {
        let leaves = Self.randomTree(50, seed: 50)
        let tree = SparseMerkleTree(leaves: leaves)
        let other = SparseMerkleTree(leaves: Self.randomTree(50, seed: 51))
        let entries = Array(leaves)
        let (key, leaf) = entries[0]
        let (secondKey, secondLeaf) = entries[1]
        let proof = tree.proof(for: key)
        #expect(SparseMerkleTree.verify(proof, key: key, leaf: leaf, root: tree.root))
        #expect(!SparseMerkleTree.verify(proof, key: secondKey, leaf: leaf, root: tree.root))
        #expect(!SparseMerkleTree.verify(proof, key: secondKey, leaf: secondLeaf, root: tree.root))
        #expect(!SparseMerkleTree.verify(proof, key: key, leaf: secondLeaf, root: tree.root))
        #expect(!SparseMerkleTree.verify(proof, key: key, leaf: leaf, root: other.root))
        // A flipped key bit at any depth leads to another root.
        let (w0, w1, w2, w3) = key.bigEndianWords
        for flipped in [Hash32(bigEndianWords: (w0 ^ 1 << 63, w1, w2, w3)), Hash32(bigEndianWords: (w0, w1, w2, w3 ^ 1))] {
            #expect(!SparseMerkleTree.verify(proof, key: flipped, leaf: leaf, root: tree.root))
        }
        // A tampered sibling fails.
        var tampered = proof.encoded
        tampered[tampered.count - 1] ^= 1
        #expect(!SparseMerkleTree.verify(encodedProof: tampered, key: key, leaf: leaf, root: tree.root))
    }

    @Test func malformedProofBytesAreRejectedWithAnError() throws {
        let leaves = Self.randomTree(50, seed: 60)
        let tree = SparseMerkleTree(leaves: leaves)
        let key = try #require(leaves.keys.first)
        let leaf = try #require(leaves[key])
        let good = tree.proof(for: key).encoded
        let siblingCount = (good.count - 32) / 32
        #expect(siblingCount >= 1)
        let limit = SparseMerkleTree.Proof.maxByteCount
        typealias Failure = SparseMerkleTree.ProofError

        // Truncated: by one byte, by a whole sibling, inside the bitmap, nothing at all.
        #expect(throws: Failure.truncated(expected: good.count, found: good.count - 1)) {
            try SparseMerkleTree.Proof(decoding: Array(good.dropLast()), limit: limit)
        }
        #expect(throws: Failure.truncated(expected: good.count, found: good.count - 32)) {
            try SparseMerkleTree.Proof(decoding: Array(good.dropLast(32)), limit: limit)
        }
        #expect(throws: Failure.truncated(expected: 32, found: 31)) {
            try SparseMerkleTree.Proof(decoding: Array(good.prefix(31)), limit: limit)
        }
        #expect(throws: Failure.truncated(expected: 32, found: 0)) { try SparseMerkleTree.Proof(decoding: [], limit: limit) }
        // One sibling more than the bitmap marks, or one byte more.
        let extra = SparseMerkleTree.emptySubtree[9].bytes
        #expect(throws: Failure.trailingBytes(count: 32)) { try SparseMerkleTree.Proof(decoding: good + extra, limit: limit) }
        #expect(throws: Failure.trailingBytes(count: 1)) { try SparseMerkleTree.Proof(decoding: good + [0], limit: limit) }
        for bytes in [Array(good.dropLast()), Array(good.dropLast(32)), good + extra, good + [0]] {
            #expect(!SparseMerkleTree.verify(encodedProof: bytes, key: key, leaf: leaf, root: tree.root))
        }
        // A bitmap marking one sibling more than listed is short of bytes.
        var moreMarked = good
        let unmarked = try #require((0..<256).first { moreMarked[$0 / 8] >> UInt8(7 - $0 % 8) & 1 == 0 })
        moreMarked[unmarked / 8] |= 0x80 >> UInt8(unmarked % 8)
        #expect(throws: Failure.truncated(expected: good.count + 32, found: good.count)) {
            try SparseMerkleTree.Proof(decoding: moreMarked, limit: limit)
        }

        // Over the maximum size, whatever the bitmap says, and over a tighter limit.
        let full = [UInt8](repeating: 0xff, count: 32) + [UInt8](repeating: 0xab, count: 256 * 32)
        #expect(full.count == SparseMerkleTree.Proof.maxByteCount)
        #expect(throws: Failure.sizeOverLimit(size: full.count + 32, limit: limit)) {
            try SparseMerkleTree.Proof(decoding: full + extra, limit: limit)
        }
        #expect(throws: Failure.sizeOverLimit(size: full.count + 1, limit: limit)) {
            try SparseMerkleTree.Proof(decoding: full + [0], limit: .max)
        }
        #expect(throws: Failure.sizeOverLimit(size: 1 << 20, limit: limit)) {
            try SparseMerkleTree.Proof(decoding: [UInt8](repeating: 0xff, count: 1 << 20), limit: limit)
        }
        #expect(throws: Failure.sizeOverLimit(size: good.count, limit: good.count - 1)) {
            try SparseMerkleTree.Proof(decoding: good, limit: good.count - 1)
        }
        #expect(throws: Failure.sizeOverLimit(size: good.count, limit: 0)) {
            try SparseMerkleTree.Proof(decoding: good, limit: -5)
        }
        // The largest proof decodes: 256 siblings, none of them empty.
        let largest = try SparseMerkleTree.Proof(decoding: full, limit: limit)
        #expect(largest.siblings.count == 256 && largest.encoded == full)

        // Parts that disagree.
        #expect(throws: Failure.wrongBitmapLength(found: 31)) {
            try SparseMerkleTree.Proof(bitmap: [UInt8](repeating: 0, count: 31), siblings: [])
        }
        let sibling = try #require(Hash32(extra))
        #expect(throws: Failure.wrongSiblingCount(expected: 0, found: 1)) {
            try SparseMerkleTree.Proof(bitmap: [UInt8](repeating: 0, count: 32), siblings: [sibling])
        }
        #expect(throws: Failure.wrongSiblingCount(expected: 1, found: 0)) {
            try SparseMerkleTree.Proof(bitmap: [0x01] + [UInt8](repeating: 0, count: 31), siblings: [])
        }
    }

    /// Random bytes, and random damage to good proofs: each decodes to a proof that encodes back to the
    /// same bytes, or throws; nothing else happens.
    @Test func randomBytesDecodeOrFailButNeverCrash() throws {
        var random = SeededGenerator(seed: 99)
        let tree = SparseMerkleTree(leaves: Self.randomTree(64, seed: 98))
        let goods = Self.randomKeys(16, using: &random).map { tree.proof(for: $0).encoded }
            + tree.keys.prefix(16).map { tree.proof(for: $0).encoded }
        for round in 0..<2_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = RandomValues.byteString(lengths: 0...300, using: &random)
                if bytes.count >= 32, Bool.random(using: &random) {
                    // A sparse bitmap, so some of these have the right length.
                    for index in 0..<32 { bytes[index] &= UInt8.random(in: 0...255, using: &random) & 0x01 }
                }
            } else {
                bytes = goods[Int.random(in: 0..<goods.count, using: &random)]
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] ^= UInt8.random(in: 1...255, using: &random)
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                }
            }
            do {
                let proof = try SparseMerkleTree.Proof(decoding: bytes, limit: SparseMerkleTree.Proof.maxByteCount)
                #expect(proof.encoded == bytes)
                _ = SparseMerkleTree.root(of: proof, key: tree.root, leaf: .zero)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}
