/// An inclusion proof (RFC 6962 audit path) that one leaf is at `leafIndex` of a tree of `leafCount`.
///
/// Proofs arrive from other parties, so checking one never crashes and does work bounded by the
/// tree's depth. The verifier must know `leafCount` from a trusted source (a block header, say): as in
/// RFC 6962, one path can fit trees of several sizes.
public struct MerkleProof: Hashable, Sendable {
    /// More siblings than this cannot fit any tree whose size fits in an `Int`.
    public static let maxSiblingCount = Int.bitWidth

    public let leafIndex: Int
    public let leafCount: Int
    /// Sibling hashes from the leaf's level up to just below the root.
    public let siblings: [Hash32]

    public init(leafIndex: Int, leafCount: Int, siblings: [Hash32]) {
        self.leafIndex = leafIndex
        self.leafCount = leafCount
        self.siblings = siblings
    }

    /// The root this proof leads to from `leaf` (the leaf's 32-byte data, not its leaf hash), or nil
    /// when the path does not fit the tree's shape (RFC 9162 section 2.1.3.2).
    public func root(forLeaf leaf: Hash32) -> Hash32? {
        guard leafIndex >= 0, leafIndex < leafCount, siblings.count <= Self.maxSiblingCount else { return nil }
        var position = leafIndex
        var lastPosition = leafCount - 1
        var hash = MerkleTree.leafHash(leaf)
        for sibling in siblings {
            guard lastPosition > 0 else { return nil }
            if position & 1 == 1 || position == lastPosition {
                hash = MerkleTree.nodeHash(sibling, hash)
                // A last node without a sibling moved up unchanged: skip those levels.
                while position & 1 == 0 && position != 0 {
                    position >>= 1
                    lastPosition >>= 1
                }
            } else {
                hash = MerkleTree.nodeHash(hash, sibling)
            }
            position >>= 1
            lastPosition >>= 1
        }
        return lastPosition == 0 ? hash : nil
    }

    /// Whether `leaf` is at `leafIndex` of the tree of `leafCount` leaves whose root is `root`.
    public func verifies(leaf: Hash32, root: Hash32) -> Bool {
        self.root(forLeaf: leaf) == root
    }
}
