/// Merkle roots and inclusion proofs in the RFC 6962 shape (DESIGN.md section 3).
///
/// A leaf is `H(0x00 ‖ x)` and a node `H(0x01 ‖ left ‖ right)`, so no leaf can pass for a node; a tree
/// of n > 1 leaves splits at the largest power of two below n, and the last leaf is never duplicated,
/// so two different lists cannot share a root (Bitcoin's CVE-2012-2459). The empty tree's root is `H()`.
public enum MerkleTree {
    static let leafPrefix: UInt8 = 0x00
    static let nodePrefix: UInt8 = 0x01

    /// The root over `leaves` (each a 32-byte hash such as a txid), in order.
    public static func root(of leaves: [Hash32]) -> Hash32 {
        guard !leaves.isEmpty else { return Blake3.hash([]) }
        var level = leaves.map(leafHash)
        while level.count > 1 {
            level = parentLevel(of: level)
        }
        return level[0]
    }

    /// The audit path proving that `leaves[index]` is in the tree; nil when `index` is out of range.
    public static func proof(forLeafAt index: Int, of leaves: [Hash32]) -> MerkleProof? {
        guard leaves.indices.contains(index) else { return nil }
        var level = leaves.map(leafHash)
        var position = index
        var siblings = [Hash32]()
        while level.count > 1 {
            let sibling = position ^ 1
            // A last node without a sibling moves up unchanged and adds nothing to the path.
            if sibling < level.count {
                siblings.append(level[sibling])
            }
            level = parentLevel(of: level)
            position >>= 1
        }
        return MerkleProof(leafIndex: index, leafCount: leaves.count, siblings: siblings)
    }

    /// `H(0x00 ‖ leaf)`.
    public static func leafHash(_ leaf: Hash32) -> Hash32 {
        Blake3.hash([leafPrefix] + leaf.bytes)
    }

    /// `H(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: Hash32, _ right: Hash32) -> Hash32 {
        var input = [nodePrefix]
        input.reserveCapacity(1 + 2 * Hash32.byteCount)
        input.append(contentsOf: left.bytes)
        input.append(contentsOf: right.bytes)
        return Blake3.hash(input)
    }

    /// Hashes neighbours in pairs and lifts an odd last node unchanged.
    ///
    /// Built level by level this way, the tree is exactly RFC 6962's: the first k leaves (k the largest
    /// power of two below n) pair up into a complete subtree without ever meeting the others.
    static func parentLevel(of level: [Hash32]) -> [Hash32] {
        var parents = [Hash32]()
        parents.reserveCapacity((level.count + 1) / 2)
        var index = 0
        while index + 1 < level.count {
            parents.append(nodeHash(level[index], level[index + 1]))
            index += 2
        }
        if index < level.count {
            parents.append(level[index])
        }
        return parents
    }
}
