import EmberCore
import EmberCrypto
import EmberLayer2

/// A move of a coin included in a committed child block: the move, its inclusion proof, and the
/// `plasmaBlock` output on layer 1 that a transaction reads to check the proof.
public struct IncludedMove: Hashable, Sendable {
    public let move: ChildTransaction
    public let proof: SparseMerkleTree.Proof
    public let block: PlasmaCoinTransactions.ChainOutput

    public init(move: ChildTransaction, proof: SparseMerkleTree.Proof, block: PlasmaCoinTransactions.ChainOutput) {
        self.move = move
        self.proof = proof
        self.block = block
    }

    /// The child block's number, from the read `plasmaBlock` (0 when the output is not one).
    public var number: UInt64 {
        if case .plasmaBlock(let lock) = block.unspent.output.lock { return lock.number }
        return 0
    }

    /// The witness items `tx, b, proof` of a challenge or an answer.
    var challengeItems: [[UInt8]] { [move.encoded, Self.u64(number), proof.encoded] }

    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
}

/// A coin's proof of non-inclusion (or of any leaf) in a committed child block, with that block's output.
public struct BlockProof: Hashable, Sendable {
    public let proof: SparseMerkleTree.Proof
    public let block: PlasmaCoinTransactions.ChainOutput

    public init(proof: SparseMerkleTree.Proof, block: PlasmaCoinTransactions.ChainOutput) {
        self.proof = proof
        self.block = block
    }

    public var number: UInt64 {
        if case .plasmaBlock(let lock) = block.unspent.output.lock { return lock.number }
        return 0
    }
}

/// What an exit or a preempt rests on (docs/plasma.md, E1–E4): nothing for a coin never moved, the
/// latest entry for a first move, the latest two entries after that.
public enum CoinExitEvidence: Hashable, Sendable {
    case neverMoved
    case firstMove(IncludedMove)
    case laterMove(exit: IncludedMove, parent: IncludedMove)

    /// The evidence from a history's last two entries: `latest` nil for a coin never moved; `parent` nil
    /// when `latest` is the first move.
    public init(latest: IncludedMove?, parent: IncludedMove?) {
        switch (latest, parent) {
        case (nil, _): self = .neverMoved
        case (let latest?, nil): self = .firstMove(latest)
        case (let latest?, let parent?): self = .laterMove(exit: latest, parent: parent)
        }
    }

    /// The witness items, in the order the rule reads them.
    var items: [[UInt8]] {
        switch self {
        case .neverMoved: []
        case .firstMove(let exit): [exit.move.encoded, exit.proof.encoded]
        case .laterMove(let exit, let parent): [exit.move.encoded, exit.proof.encoded, parent.move.encoded, parent.proof.encoded]
        }
    }

    var reads: [PlasmaCoinTransactions.ChainOutput] {
        switch self {
        case .neverMoved: []
        case .firstMove(let exit): [exit.block]
        case .laterMove(let exit, let parent): [exit.block, parent.block]
        }
    }

    /// `(parentBlock, exitBlock)`: the pair preempts compare.
    public var pair: (parent: UInt64, exit: UInt64) {
        switch self {
        case .neverMoved: (0, 0)
        case .firstMove(let exit): (0, exit.number)
        case .laterMove(let exit, let parent): (parent.number, exit.number)
        }
    }

    /// The exit lock for `coin` resting on this evidence.
    func exitLock(coin: PlasmaCoinLock, deadline: UInt64, bond: Amount) -> PlasmaExitLock {
        let zeroKey = RawPublicKey(Hash32.zero.bytes)!  // 32 bytes, the one length RawPublicKey accepts
        let (owner, hash, exitBlock, parentBlock, parentOwner): (RawPublicKey, Hash32, UInt64, UInt64, RawPublicKey) =
            switch self {
            case .neverMoved: (coin.depositorKey, .zero, 0, 0, zeroKey)
            case .firstMove(let exit): (exit.move.newOwnerKey, exit.move.leaf, exit.number, 0, coin.depositorKey)
            case .laterMove(let exit, let parent): (exit.move.newOwnerKey, exit.move.leaf, exit.number, parent.number, parent.move.newOwnerKey)
            }
        return PlasmaExitLock(
            chainId: coin.chainId, coinId: coin.coinId, depositorKey: coin.depositorKey, exitWindow: coin.exitWindow, firstBlock: coin.firstBlock,
            ownerKey: owner, exitTxHash: hash, exitBlock: exitBlock, parentBlock: parentBlock, parentOwnerKey: parentOwner, deadline: deadline,
            exitBond: bond)
    }
}
