import EmberCore
import EmberCrypto

/// One coin's evidence for one child block, as a client keeps it in the coin's history: the block
/// either moved the coin (this transaction is its leaf) or left it where it was (its leaf is empty).
public enum CoinProof: Hashable, Sendable {
    case moved(ChildTransaction, SparseMerkleTree.Proof)
    case notMoved(SparseMerkleTree.Proof)

    /// The move, when the block moved the coin.
    public var move: ChildTransaction? {
        if case .moved(let move, _) = self { return move }
        return nil
    }

    /// The proof from the coin's leaf to the root, of inclusion or of non-inclusion.
    public var proof: SparseMerkleTree.Proof {
        switch self {
        case .moved(_, let proof), .notMoved(let proof): proof
        }
    }

    /// Whether this is evidence about `coin` in the block whose committed root is `root`: the move (if
    /// any) is of this coin, and the proof leads from its leaf to the root.
    public func holds(for coin: Hash32, root: Hash32) -> Bool {
        switch self {
        case .moved(let move, let proof):
            move.coinId == coin && SparseMerkleTree.verify(proof, key: coin, leaf: move.leaf, root: root)
        case .notMoved(let proof):
            SparseMerkleTree.verify(proof, key: coin, leaf: SparseMerkleTree.emptyLeaf, root: root)
        }
    }
}
