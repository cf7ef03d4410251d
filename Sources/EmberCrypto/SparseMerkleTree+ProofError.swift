extension SparseMerkleTree {
    /// Why bytes or parts are not a sparse Merkle proof. Proofs come from other parties, so each of these
    /// is the sender's fault.
    public enum ProofError: Error, Hashable, Sendable, CustomStringConvertible {
        /// More bytes than the limit in force (at most `Proof.maxByteCount`).
        case sizeOverLimit(size: Int, limit: Int)
        /// Fewer bytes than the bitmap and the siblings it marks.
        case truncated(expected: Int, found: Int)
        /// Bytes after the last sibling the bitmap marks (an extra sibling, say).
        case trailingBytes(count: Int)
        /// A bitmap that is not `Proof.bitmapByteCount` bytes.
        case wrongBitmapLength(found: Int)
        /// A number of siblings other than the bitmap's set bits.
        case wrongSiblingCount(expected: Int, found: Int)
        /// A listed sibling equal to the empty hash of its level, which the bitmap must mark as empty.
        case emptySibling(depth: Int)

        public var description: String {
            switch self {
            case .sizeOverLimit(let size, let limit):
                "sparse Merkle proof is \(size) bytes, over the limit of \(limit)"
            case .truncated(let expected, let found):
                "sparse Merkle proof is \(found) bytes, but its bitmap needs \(expected): the proof was cut short"
            case .trailingBytes(let count):
                "\(count) bytes follow the last sibling the sparse Merkle proof's bitmap marks"
            case .wrongBitmapLength(let found):
                "sparse Merkle proof bitmap is \(found) bytes; it must be \(Proof.bitmapByteCount)"
            case .wrongSiblingCount(let expected, let found):
                "sparse Merkle proof lists \(found) siblings, but its bitmap marks \(expected)"
            case .emptySibling(let depth):
                "sparse Merkle proof lists the empty hash as the sibling at depth \(depth); the bitmap must leave it out"
            }
        }
    }
}
