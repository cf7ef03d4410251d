/// The sparse Merkle tree of a Plasma child block (DESIGN.md section 17): depth 256, keyed by a 32-byte
/// key (the coinId), bits most significant first from the root.
///
/// The leaf of a key in the tree is its 32-byte value; every other leaf is empty, 32 zero bytes. An empty
/// subtree of height k has the root `E(k)`: `E(0)` = 32 zero bytes, `E(k+1) = H(0x01 ‖ E(k) ‖ E(k))`; every
/// node is `H(0x01 ‖ left ‖ right)`. A leaf of 32 zero bytes is the same as no leaf, so a key given that
/// value is left out.
///
/// Building hashes every non-empty node once: about n · (257 − log₂ n) hashes for n keys, since each key's
/// path below the point where it parts from every other key still has to be hashed level by level. The
/// builder hashes a whole level of a group of keys side by side through `Blake3.hashLanes`, one group of
/// nearby keys per core (`SparseMerkleTree+Build.swift`). The tree keeps, besides the sorted leaves, the two
/// children of each of its n − 1 branch nodes, so a proof of inclusion costs no hash; one of non-inclusion
/// hashes the path from the nearest key's branch up to where the absent key leaves it (at most 256 hashes).
///
/// Proofs (`SparseMerkleTree.Proof`) come from other parties: checking one never crashes and costs at most
/// 256 hashes.
public struct SparseMerkleTree: Sendable {
    /// One level per key bit.
    public static let depth = 256
    /// The byte that starts every node's hash input, as in the transaction Merkle tree (DESIGN.md section 3).
    public static let nodePrefix: UInt8 = 0x01
    /// The leaf of a key that is not in the tree.
    public static let emptyLeaf = Hash32.zero

    /// `emptySubtree[k]` is `E(k)`, the root of a subtree of height k whose leaves are all empty, for k in
    /// 0 ... 256; `emptySubtree[256]` is the root of the empty tree.
    public static let emptySubtree: [Hash32] = {
        var hashes = [emptyLeaf]
        hashes.reserveCapacity(depth + 1)
        for height in 0..<depth {
            hashes.append(nodeHash(hashes[height], hashes[height]))
        }
        return hashes
    }()

    /// The root of the tree.
    public let root: Hash32
    /// The keys whose leaf is not empty, in ascending order.
    public let keys: [Hash32]
    /// The leaf of `keys[i]`.
    let leaves: [Hash32]
    /// `leftChildren[i]` and `rightChildren[i]`: the two children of the branch node where the paths of
    /// `keys[i]` and `keys[i + 1]` part, at the depth just below it. Every sibling an inclusion proof lists
    /// is one of these.
    let leftChildren: [Hash32]
    let rightChildren: [Hash32]

    /// The tree whose non-empty leaves are `leaves`, a leaf per key; a value of 32 zero bytes is no leaf.
    ///
    /// From `parallelThreshold` keys on, the work is spread over every core and the call blocks until it
    /// is done (about half a second for 100 000 keys on two cores).
    public init(leaves: [Hash32: Hash32]) {
        var present = leaves.compactMap { $0.value == Self.emptyLeaf ? nil : (key: $0.key, leaf: $0.value) }
        present.sort { $0.key < $1.key }
        let built = Self.build(sortedKeys: present.map(\.key), leaves: present.map(\.leaf))
        keys = built.keys
        self.leaves = built.leaves
        leftChildren = built.leftChildren
        rightChildren = built.rightChildren
        root = built.root
    }

    /// The number of non-empty leaves.
    public var count: Int { keys.count }

    /// The leaf of `key`: its value when the key is in the tree, else the empty leaf (32 zero bytes).
    public func leaf(for key: Hash32) -> Hash32 {
        let index = firstIndex(notBelow: key, in: 0..<keys.count)
        return index < keys.count && keys[index] == key ? leaves[index] : Self.emptyLeaf
    }

    /// The proof that `key` has the leaf `leaf(for: key)`: of inclusion when the key is in the tree, of
    /// non-inclusion (leaf = 32 zero bytes) when it is not.
    public func proof(for key: Hash32) -> Proof {
        var bitmap = [UInt8](repeating: 0, count: Proof.bitmapByteCount)
        var siblings = [Hash32]()
        // The keys below the node on the key's path, as a range of `keys`.
        var range = 0..<keys.count
        while !range.isEmpty {
            let first = keys[range.lowerBound]
            // The node where the range's keys part, or the leaf when one key is left.
            let branchDepth = range.count == 1 ? Self.depth : Self.commonPrefixLength(first, keys[range.upperBound - 1])
            let divergence = Self.commonPrefixLength(key, first)
            if divergence < branchDepth {
                // The key leaves the range's subtree at depth divergence + 1: that subtree is the last
                // non-empty sibling, and everything below on the key's side is empty.
                Self.setBit(divergence, in: &bitmap)
                siblings.append(subtreeHash(of: range, branchDepth: branchDepth, atDepth: divergence + 1))
                break
            }
            // The key is the range's only key: every sibling below was empty.
            if branchDepth == Self.depth { break }
            let split = splitIndex(of: range, atBit: branchDepth)
            Self.setBit(branchDepth, in: &bitmap)
            if Self.bit(branchDepth, of: key) == 0 {
                siblings.append(rightChildren[split - 1])
                range = range.lowerBound..<split
            } else {
                siblings.append(leftChildren[split - 1])
                range = split..<range.upperBound
            }
        }
        return Proof(validatedBitmap: bitmap, siblings: siblings)
    }

    /// The root that `proof` leads to from `leaf` at `key`; compare it with a trusted root.
    public static func root(of proof: Proof, key: Hash32, leaf: Hash32) -> Hash32 {
        var hash = leaf
        // While the node on the path is empty and so is its sibling, the parent is the next empty hash.
        var isEmpty = leaf == emptyLeaf
        var nextSibling = proof.siblings.count
        for depth in stride(from: Self.depth, through: 1, by: -1) {
            let height = Self.depth - depth
            let sibling: Hash32
            if proof.hasSibling(atDepth: depth) {
                // Siblings are listed root side first, so the walk up reads them from the end.
                nextSibling -= 1
                sibling = proof.siblings[nextSibling]
                isEmpty = false
            } else if isEmpty {
                hash = emptySubtree[height + 1]
                continue
            } else {
                sibling = emptySubtree[height]
            }
            hash = bit(depth - 1, of: key) == 0 ? nodeHash(hash, sibling) : nodeHash(sibling, hash)
        }
        return hash
    }

    /// Whether `proof` shows that `key` has the leaf `leaf` (32 zero bytes: not in the tree) under `root`.
    public static func verify(_ proof: Proof, key: Hash32, leaf: Hash32, root: Hash32) -> Bool {
        self.root(of: proof, key: key, leaf: leaf) == root
    }

    /// Whether the encoded proof `bytes` decodes (`Proof(decoding:limit:)` with the maximum size) and shows
    /// that `key` has the leaf `leaf` under `root`.
    public static func verify(encodedProof bytes: [UInt8], key: Hash32, leaf: Hash32, root: Hash32) -> Bool {
        guard let proof = try? Proof(decoding: bytes, limit: Proof.maxByteCount) else { return false }
        return verify(proof, key: key, leaf: leaf, root: root)
    }

    /// `H(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: Hash32, _ right: Hash32) -> Hash32 {
        // Through the one-chunk lane function rather than a streaming hasher: nothing is allocated, which
        // matters at 256 hashes per proof checked.
        withUnsafeTemporaryAllocation(byteCount: nodeInputLength + Hash32.byteCount, alignment: 8) { buffer in
            let input = buffer.baseAddress!
            let digest = input + nodeInputLength
            input.storeBytes(of: nodePrefix, as: UInt8.self)
            left.store(to: input + 1)
            right.store(to: input + 1 + Hash32.byteCount)
            Blake3.hashLanes(
                UnsafeRawBufferPointer(start: input, count: nodeInputLength), inputLength: nodeInputLength, count: 1,
                into: UnsafeMutableRawBufferPointer(start: digest, count: Hash32.byteCount))
            return Hash32(loadingFrom: digest)
        }
    }

    /// The hash of the subtree at `depth` that holds exactly the keys of `range`, whose paths part at
    /// `branchDepth` (the depth of the leaf for a single key), with `depth ≤ branchDepth`.
    private func subtreeHash(of range: Range<Int>, branchDepth: Int, atDepth depth: Int) -> Hash32 {
        var hash: Hash32
        if branchDepth == Self.depth {
            hash = leaves[range.lowerBound]
        } else {
            let split = splitIndex(of: range, atBit: branchDepth)
            hash = Self.nodeHash(leftChildren[split - 1], rightChildren[split - 1])
        }
        // Between `depth` and the branch the subtree is a single path whose siblings are all empty.
        let key = keys[range.lowerBound]
        for nodeDepth in stride(from: branchDepth, to: depth, by: -1) {
            let empty = Self.emptySubtree[Self.depth - nodeDepth]
            hash = Self.bit(nodeDepth - 1, of: key) == 0 ? Self.nodeHash(hash, empty) : Self.nodeHash(empty, hash)
        }
        return hash
    }

    /// The first index of `range` whose key has bit `bit` set; the range's keys share the bits above it.
    private func splitIndex(of range: Range<Int>, atBit bit: Int) -> Int {
        var (low, high) = (range.lowerBound, range.upperBound)
        while low < high {
            let middle = low + (high - low) / 2
            if Self.bit(bit, of: keys[middle]) == 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first index of `range` whose key is not below `key`.
    private func firstIndex(notBelow key: Hash32, in range: Range<Int>) -> Int {
        var (low, high) = (range.lowerBound, range.upperBound)
        while low < high {
            let middle = low + (high - low) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Bit `index` of `key`, 0 the most significant: the branch taken below depth `index`.
    @inline(__always)
    static func bit(_ index: Int, of key: Hash32) -> Int {
        let word: UInt64
        switch index >> 6 {
        case 0: word = key.w0
        case 1: word = key.w1
        case 2: word = key.w2
        default: word = key.w3
        }
        return Int(truncatingIfNeeded: word >> UInt64(63 - (index & 63))) & 1
    }

    /// The number of leading bits `a` and `b` share (256 when equal): the depth where their paths part.
    @inline(__always)
    static func commonPrefixLength(_ a: Hash32, _ b: Hash32) -> Int {
        var difference = a.w0 ^ b.w0
        if difference != 0 { return difference.leadingZeroBitCount }
        difference = a.w1 ^ b.w1
        if difference != 0 { return 64 + difference.leadingZeroBitCount }
        difference = a.w2 ^ b.w2
        if difference != 0 { return 128 + difference.leadingZeroBitCount }
        difference = a.w3 ^ b.w3
        return difference != 0 ? 192 + difference.leadingZeroBitCount : 256
    }

    private static func setBit(_ index: Int, in bitmap: inout [UInt8]) {
        bitmap[index / 8] |= 0x80 >> UInt8(index % 8)
    }
}

extension Hash32 {
    /// Writes the 32 digest bytes, most significant first, at `pointer`.
    @inline(__always)
    func store(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Reads 32 digest bytes, most significant first, at `pointer`.
    @inline(__always)
    init(loadingFrom pointer: UnsafeRawPointer) {
        self.init(words: (
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        ))
    }
}
