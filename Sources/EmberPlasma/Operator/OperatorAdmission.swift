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
        /// The leaf (hash of the encoding) of the coin's move that is already accepted and waits for the
        /// next block; nil when there is none.
        public var pendingLeaf: Hash32?

        public init(firstBlock: UInt64, latestBlock: UInt64, ownerKey: RawPublicKey, pendingLeaf: Hash32?) {
            self.firstBlock = firstBlock
            self.latestBlock = latestBlock
            self.ownerKey = ownerKey
            self.pendingLeaf = pendingLeaf
        }

        /// A move of this coin waits for the next block.
        public var hasPendingMove: Bool { pendingLeaf != nil }
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

    /// Whether `move` is, byte for byte, the coin's move already waiting for the next block: a client
    /// resending after a lost answer (docs/plasma.md: clients resend the first signature of a move, never
    /// sign it again). It gets `alreadyAccepted`, not a refusal that would read as someone else's move.
    public static func isResend(_ move: ChildTransaction, coin: CoinView?) -> Bool {
        guard let pending = coin?.pendingLeaf else { return false }
        return pending == move.leaf
    }

    /// The signature check, for a move that passed `checkState` against `coin`: the coin's latest owner
    /// (the depositor for a first move) signed exactly this move on this network.
    public static func checkSignature(_ move: ChildTransaction, coin: CoinView, network: NetworkID) -> AdmissionRejection? {
        move.isSigned(by: coin.ownerKey, network: network) ? nil : .badSignature(expectedSigner: coin.ownerKey)
    }

    /// The verdict on each move of a batch, in order: the state checks (a resend of the pending move is
    /// `alreadyAccepted`), then the signatures on every core, then at most one move per coin (the first
    /// that passes every check; a later one of the same coin is `alreadyMovedThisBlock`, or
    /// `alreadyAccepted` if it is the same bytes). The caller stores exactly the `accepted` ones.
    public static func judge(_ moves: [ChildTransaction], view: ChainView, network: NetworkID) -> [AdmissionVerdict] {
        let stateVerdicts = moves.map { move -> AdmissionVerdict? in
            let coin = view.coins[move.coinId]
            if !view.isFrozen, isResend(move, coin: coin) { return .alreadyAccepted }
            return checkState(move, coin: coin, nextBlock: view.nextBlock, isFrozen: view.isFrozen).map { .refused($0) }
        }
        // Only moves that passed the state checks are verified; their coins are known.
        let signatureRejections = ParallelBatch.map(moves.count) { index -> AdmissionRejection? in
            guard stateVerdicts[index] == nil, let coin = view.coins[moves[index].coinId] else { return nil }
            return checkSignature(moves[index], coin: coin, network: network)
        }
        var winners = [Hash32: Hash32](minimumCapacity: moves.count)
        var verdicts = [AdmissionVerdict]()
        verdicts.reserveCapacity(moves.count)
        for (index, move) in moves.enumerated() {
            if let verdict = stateVerdicts[index] {
                verdicts.append(verdict)
            } else if let rejection = signatureRejections[index] {
                verdicts.append(.refused(rejection))
            } else if let winner = winners[move.coinId] {
                verdicts.append(winner == move.leaf ? .alreadyAccepted : .refused(.alreadyMovedThisBlock(move.coinId)))
            } else {
                winners[move.coinId] = move.leaf
                verdicts.append(.accepted)
            }
        }
        return verdicts
    }
}
