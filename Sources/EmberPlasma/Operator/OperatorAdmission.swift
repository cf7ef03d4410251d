import EmberCore
import EmberCrypto

/// The operator's rule for taking a child transaction into the next block, as pure functions over what
/// the store knows (docs/plasma.md, "Child transactions"; docs/plasma-operator.md, "Admission").
///
/// A move is accepted iff the chain is not frozen, its coin has a registered deposit whose history has
/// begun by the next block, it names the coin's latest entry as its parent (the deposit, block 0, for a
/// first move), the coin has no move waiting for the next block, and it is signed by that entry's new
/// owner (the depositor for a first move). Any of these that fails would let the operator include a move
/// a fraud proof or a challenge can use against it, or would waste a leaf.
public enum OperatorAdmission {
    /// What admission needs to know of one coin, read from the store in one snapshot with the others.
    public struct CoinView: Hashable, Sendable {
        public var firstBlock: UInt64
        public var latestBlock: UInt64
        public var ownerKey: RawPublicKey
        /// A move of this coin is already accepted and waits for the next block.
        public var hasPendingMove: Bool

        public init(firstBlock: UInt64, latestBlock: UInt64, ownerKey: RawPublicKey, hasPendingMove: Bool) {
            self.firstBlock = firstBlock
            self.latestBlock = latestBlock
            self.ownerKey = ownerKey
            self.hasPendingMove = hasPendingMove
        }
    }

    /// The chain as admission sees it: the coins a batch moves, the number the next block will get, and
    /// whether a fraud proof froze the chain.
    public struct ChainView: Sendable {
        public var coins: [Hash32: CoinView]
        public var nextBlock: UInt64
        public var isFrozen: Bool

        public init(coins: [Hash32: CoinView], nextBlock: UInt64, isFrozen: Bool) {
            self.coins = coins
            self.nextBlock = nextBlock
            self.isFrozen = isFrozen
        }
    }

    /// Every check but the signature's, in the order the rule makes them; nil when the move may go on to
    /// the signature check. Cheap, so it runs first and spares the verification of moves refused anyway.
    public static func checkState(_ move: ChildTransaction, coin: CoinView?, nextBlock: UInt64, isFrozen: Bool) -> AdmissionRejection? {
        if isFrozen { return .chainFrozen }
        guard let coin else { return .unknownCoin(move.coinId) }
        if nextBlock < coin.firstBlock { return .coinNotYetActive(firstBlock: coin.firstBlock, nextBlock: nextBlock) }
        if move.parentBlock != coin.latestBlock { return .wrongParent(expected: coin.latestBlock, found: move.parentBlock) }
        if coin.hasPendingMove { return .alreadyMovedThisBlock(move.coinId) }
        return nil
    }

    /// The signature check, for a move that passed `checkState` against `coin`: the coin's latest owner
    /// (the depositor for a first move) signed exactly this move on this network.
    public static func checkSignature(_ move: ChildTransaction, coin: CoinView, network: NetworkID) -> AdmissionRejection? {
        move.isSigned(by: coin.ownerKey, network: network) ? nil : .badSignature(expectedSigner: coin.ownerKey)
    }

    /// The verdict on each move of a batch, in order: the state checks, then the signatures on every
    /// core, then at most one move per coin (the first that passes every check; a later one of the same
    /// coin is `alreadyMovedThisBlock`).
    public static func judge(_ moves: [ChildTransaction], view: ChainView, network: NetworkID) -> [AdmissionVerdict] {
        let stateRejections = moves.map { checkState($0, coin: view.coins[$0.coinId], nextBlock: view.nextBlock, isFrozen: view.isFrozen) }
        // Only moves that passed the state checks are verified; their coins are known.
        let signatureRejections = ParallelBatch.map(moves.count) { index -> AdmissionRejection? in
            guard stateRejections[index] == nil, let coin = view.coins[moves[index].coinId] else { return nil }
            return checkSignature(moves[index], coin: coin, network: network)
        }
        var movedCoins = Set<Hash32>(minimumCapacity: moves.count)
        var verdicts = [AdmissionVerdict]()
        verdicts.reserveCapacity(moves.count)
        for (index, move) in moves.enumerated() {
            if let rejection = stateRejections[index] ?? signatureRejections[index] {
                verdicts.append(.refused(rejection))
            } else if movedCoins.insert(move.coinId).inserted {
                verdicts.append(.accepted)
            } else {
                verdicts.append(.refused(.alreadyMovedThisBlock(move.coinId)))
            }
        }
        return verdicts
    }
}
