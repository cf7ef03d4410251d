import EmberCore
import EmberCrypto

/// A coin's history as a client keeps it (docs/plasma.md, "History" and "What to keep"): the deposit,
/// then one piece of evidence per child block from `firstBlock` on, each a move with its inclusion proof
/// or a proof of non-inclusion.
///
/// `verify` is the check a receiver makes before accepting the coin and the check a watcher makes block
/// by block: the history is complete up to block n (no gap), each proof holds against the root of the
/// `plasmaBlock` read from layer 1, each move names the block of the entry before it and is signed by that
/// entry's new owner (the depositor for the first). It is a pure function of its arguments.
public struct CoinHistory: Hashable, Sendable {
    public let coinId: Hash32
    public let depositorKey: RawPublicKey
    public let firstBlock: UInt64
    /// The evidence per child block.
    public var evidence: [UInt64: CoinProof]

    public init(coinId: Hash32, depositorKey: RawPublicKey, firstBlock: UInt64, evidence: [UInt64: CoinProof] = [:]) {
        self.coinId = coinId
        self.depositorKey = depositorKey
        self.firstBlock = firstBlock
        self.evidence = evidence
    }

    /// Bounds the proofs a receiver accepts: an operator can pad a coin's proofs to 8 224 bytes (accepted
    /// risk 3); a history far above the typical size is refused rather than carried.
    public static let defaultMaxProofByteCount = 2_048

    /// The latest entry of a verified history.
    public struct Latest: Hashable, Sendable {
        /// The entry's child block; 0 for the deposit.
        public let block: UInt64
        /// The key that may sign the next move.
        public let owner: RawPublicKey
        /// The move of the entry, nil for the deposit.
        public let move: ChildTransaction?
        /// The entry before it: its block and move (nil move for the deposit); nil when the entry is the deposit.
        public let parentBlock: UInt64?
        public let parentMove: ChildTransaction?
    }

    /// Checks the history up to block `through` against `roots` (child block number → committed root,
    /// from layer 1 after the finality depth) on `network`; returns its latest entry.
    public func verify(
        through: UInt64, roots: [UInt64: Hash32], network: NetworkID, maxProofByteCount: Int = defaultMaxProofByteCount
    ) throws(CoinHistoryError) -> Latest {
        var state = Judge(coinId: coinId, depositorKey: depositorKey)
        guard through >= firstBlock else { return state.latest }
        for number in firstBlock...through {
            guard let root = roots[number] else { throw .missingRoot(block: number) }
            guard let proof = evidence[number] else { throw .gap(block: number) }
            guard proof.proof.encoded.count <= maxProofByteCount else {
                throw .oversizedProof(block: number, byteCount: proof.proof.encoded.count, limit: maxProofByteCount)
            }
            switch state.judge(proof, block: number, root: root, network: network) {
            case .notMoved, .moved: continue
            case .proofDoesNotHold: throw .proofDoesNotHold(block: number)
            case .invalidMove(let why): throw .invalidMove(block: number, why)
            }
        }
        return state.latest
    }

    /// The running check of a coin's history, block after block: the state a watcher keeps between blocks.
    public struct Judge: Sendable {
        public let coinId: Hash32
        public let depositorKey: RawPublicKey
        /// The latest entry's block (0: the deposit), its new owner and move, and the entry before it.
        public private(set) var latestBlock: UInt64 = 0
        public private(set) var owner: RawPublicKey
        public private(set) var latestMove: ChildTransaction?
        public private(set) var parent: (block: UInt64, move: ChildTransaction?)?

        public init(coinId: Hash32, depositorKey: RawPublicKey) {
            self.coinId = coinId
            self.depositorKey = depositorKey
            owner = depositorKey
        }

        public var latest: Latest {
            Latest(block: latestBlock, owner: owner, move: latestMove, parentBlock: parent?.block, parentMove: parent?.move)
        }

        /// Judges block `block`'s evidence for the coin and, for a valid move, makes it the latest entry.
        public mutating func judge(_ proof: CoinProof, block: UInt64, root: Hash32, network: NetworkID) -> BlockJudgement {
            guard proof.holds(for: coinId, root: root) else { return .proofDoesNotHold }
            guard let move = proof.move else { return .notMoved }
            if move.parentBlock >= block { return .invalidMove(.parentNotEarlier(parentBlock: move.parentBlock)) }
            if move.parentBlock < latestBlock { return .invalidMove(.spendsStaleEntry(parentBlock: move.parentBlock, latestBlock: latestBlock)) }
            if move.parentBlock > latestBlock { return .invalidMove(.spendsMissingEntry(parentBlock: move.parentBlock, latestBlock: latestBlock)) }
            guard move.isSigned(by: owner, network: network) else {
                return .invalidMove(latestBlock == 0 ? .forgedFirstMove : .notSignedByOwner(owner: owner))
            }
            parent = (latestBlock, latestMove)
            latestBlock = block
            latestMove = move
            owner = move.newOwnerKey
            return .moved(move)
        }
    }

    /// What one block says about a coin.
    public enum BlockJudgement: Hashable, Sendable {
        case notMoved
        case moved(ChildTransaction)
        /// The operator's proof does not lead to the committed root: the block's evidence was not served.
        case proofDoesNotHold
        /// A move no honest operator includes: fraud (the watcher proves it and exits).
        case invalidMove(InvalidMove)
    }

    /// Why an included move of the coin is invalid, and so which fraud ground proves it.
    public enum InvalidMove: Hashable, Sendable, CustomStringConvertible {
        /// Ground 4.
        case parentNotEarlier(parentBlock: UInt64)
        /// Ground 3: the coin's entry at `latestBlock` lies between the move's parent and the move.
        case spendsStaleEntry(parentBlock: UInt64, latestBlock: UInt64)
        /// Ground 1: the coin's leaf in the parent block is empty.
        case spendsMissingEntry(parentBlock: UInt64, latestBlock: UInt64)
        /// Ground 2.
        case notSignedByOwner(owner: RawPublicKey)
        /// Ground 5.
        case forgedFirstMove

        public var description: String {
            switch self {
            case .parentNotEarlier(let parent): "the move names parent block \(parent), not before its own block"
            case .spendsStaleEntry(let parent, let latest): "the move spends the entry at \(parent), but the coin moved again at \(latest)"
            case .spendsMissingEntry(let parent, let latest): "the move spends an entry at \(parent) that does not exist (latest \(latest))"
            case .notSignedByOwner(let owner): "the move is not signed by the owner \(owner)"
            case .forgedFirstMove: "the first move is not signed by the depositor"
            }
        }
    }
}
