import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation
import Logging

/// Keeps a wallet's coins safe on its own (docs/plasma.md, "Watching"): each pass follows layer 1 for the
/// chain's commits, bond, and the exits and challenges of its coins; fetches from the operator each final
/// child block's evidence for each coin held and checks it against the committed root; and acts:
///
/// - an invalid move of a coin → a fraud proof (grounds 1–5), then the coin's exit;
/// - a committed block whose evidence the operator does not serve within `withholdLimit` layer-1 blocks
///   after it is final → exit; the wallet's own move not included within `pendingLimit` child blocks → exit;
/// - someone else's exit of a held coin → cancel it with the history (*spent*, *double spend*) when it is
///   stale, else preempt it with the coin's own exit; a challenge of the wallet's exit → answer;
/// - the chain's bond frozen by a fraud proof or closing → exit every coin held;
/// - the wallet's exit from `deadline + 3W` on → finalize.
///
/// Everything is read again from the wallet at each pass, so a restart resumes where it stopped; each
/// action is recorded with the tip it was sent at and sent again after `resendAfter` blocks without effect.
public actor PlasmaWatcher {
    public struct Configuration: Sendable {
        /// Layer-1 blocks a commit needs on top before its child block counts (the network's finality depth).
        public var finalityDepth: UInt64
        /// Layer-1 blocks the operator may leave a final block's evidence unserved before the coin exits.
        public var withholdLimit: UInt64
        /// Child blocks the wallet's own move may wait for inclusion before the coin exits.
        public var pendingLimit: UInt64
        /// Layer-1 blocks after which an action without effect is sent again.
        public var resendAfter: UInt64
        /// The bond of the wallet's exits (β_min when nil).
        public var exitBond: Amount?

        public init(finalityDepth: UInt64, withholdLimit: UInt64 = 7, pendingLimit: UInt64 = 5, resendAfter: UInt64 = 3, exitBond: Amount? = nil) {
            self.finalityDepth = finalityDepth
            self.withholdLimit = withholdLimit
            self.pendingLimit = pendingLimit
            self.resendAfter = resendAfter
            self.exitBond = exitBond
        }
    }

    public nonisolated let wallet: PlasmaWallet
    public nonisolated let node: NodeAPIClient
    public nonisolated let operatorClient: OperatorClient
    public nonisolated let transactions: PlasmaCoinTransactions
    /// The key that owns the wallet's coins (it also pays fees and bonds through `transactions`).
    public nonisolated let ownerKey: RawPublicKey
    public nonisolated let configuration: Configuration
    public nonisolated let clock: @Sendable () -> UInt64
    private let logger: Logger
    private let startHeight: UInt64
    private var chainWatcher: ChainWatcher?
    /// The operator's last failure, for a person to read; nil after a pass it answered.
    public private(set) var operatorProblem: OperatorClientError?
    /// Funding outputs spent by the transactions sent in this pass: the node reports them unspent until
    /// mined, and two actions of one pass must not spend the same one.
    private var usedFunding = Set<OutPoint>()

    public init(
        wallet: PlasmaWallet, node: NodeAPIClient, operatorClient: OperatorClient, transactions: PlasmaCoinTransactions, ownerKey: RawPublicKey,
        configuration: Configuration, startHeight: UInt64 = 0, logger: Logger = Logger(label: "ember.plasma.watcher"),
        clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.wallet = wallet
        self.node = node
        self.operatorClient = operatorClient
        self.transactions = transactions
        self.ownerKey = ownerKey
        self.configuration = configuration
        self.startHeight = startHeight
        self.logger = logger
        self.clock = clock
    }

    nonisolated var chainId: Hash32 { wallet.chainId }

    // MARK: - A pass

    /// Follows layer 1 (up to `ChainWatcher.defaultMaxBlocksPerPoll` blocks), checks the new final child
    /// blocks for every coin, and acts; returns what it sent.
    @discardableResult
    public func pass() async throws -> [PlasmaWatcherAction] {
        usedFunding = []
        let watcher = try followingWatcher()
        try await follow(watcher)
        let tip = try await node.tip()
        var actions = [PlasmaWatcherAction]()
        let blocks = try wallet.blocks()
        let final = finalBlocks(blocks, tipHeight: tip.height)
        let bondState: PlasmaBondLock.State? = if case .plasmaBond(let lock) = try wallet.bond()?.unspent.output.lock { lock.state } else { nil }
        // An exiting coin's blocks are still checked: fraud found there is proven (a thief's exit that a
        // preempt answered rests on blocks that become final only later), though the coin exits once.
        // Defending comes first: an exit of a held coin must be answered before its deadline, while a fraud
        // proof has no deadline, and both may need the same funding output.
        actions += try await defend(blocks: blocks, tipHeight: tip.height)
        for coin in try wallet.coins() where coin.status == .held || coin.status == .sent || coin.status == .exiting {
            actions += try await check(coin, blocks: blocks, final: final, tipHeight: tip.height, bondState: bondState)
        }
        return actions
    }

    /// Runs passes every `interval` until cancelled; a node or operator that does not answer is logged.
    public func run(interval: Duration = .seconds(2)) async {
        while !Task.isCancelled {
            do {
                for action in try await pass() { logger.notice("plasma watcher: \(action)") }
            } catch {
                logger.warning("plasma watcher: pass failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func followingWatcher() throws -> ChainWatcher {
        if let chainWatcher { return chainWatcher }
        let created = ChainWatcher(client: node, network: wallet.network, cursor: try wallet.cursor(), startHeight: startHeight)
        chainWatcher = created
        return created
    }

    /// The child blocks whose commit has the finality depth, by number, up to the first one missing.
    nonisolated func finalBlocks(_ blocks: [UInt64: CommittedBlock], tipHeight: UInt64) -> [UInt64: CommittedBlock] {
        var final = [UInt64: CommittedBlock]()
        var number: UInt64 = 1
        while let block = blocks[number], block.height.addingReportingOverflow(configuration.finalityDepth).partialValue <= tipHeight.addingReportingOverflow(1).partialValue {
            final[number] = block
            number += 1
        }
        return final
    }

    // MARK: - Following layer 1

    /// One poll of `watcher`, each event applied to the wallet with its cursor; returns the events applied.
    @discardableResult
    nonisolated func follow(_ watcher: ChainWatcher) async throws -> Int {
        try await watcher.poll { event, cursor in try self.apply(event, cursor: cursor) }
    }

    /// Records what one layer-1 block brings for the chain and the wallet's coins, with the cursor.
    nonisolated func apply(_ event: ChainEvent, cursor: ChainCursor?) throws {
        var change = LayerOneChange()
        guard case .blockConnected(let block, let height) = event else {
            change.disconnectedFrom = event.height
            try wallet.apply(change, cursor: cursor)
            return
        }
        var coins = Dictionary(uniqueKeysWithValues: try wallet.coins().map { ($0.coinId, $0) })
        var byOutput = [OutPoint: Hash32]()
        for coin in coins.values { if let output = coin.output { byOutput[output] = coin.coinId } }
        let watched = try wallet.watched()
        var open = Set(watched.filter { $0.status == .open }.map(\.outpoint))
        var exits = [OutPoint: Hash32]()
        var myExits = Set<OutPoint>()
        for output in watched {
            guard case .plasmaExit(let lock) = output.output.lock else { continue }
            exits[output.outpoint] = lock.coinId
            if output.isMine { myExits.insert(output.outpoint) }
        }
        var changed = Set<Hash32>()
        for transaction in block.transactions {
            let txid = transaction.txid
            for input in transaction.inputs {
                if let coinId = byOutput[input.outpoint], var coin = coins[coinId] {
                    coin.output = nil
                    coins[coinId] = coin
                    changed.insert(coinId)
                }
                if open.remove(input.outpoint) != nil { change.spent.append(input.outpoint) }
                // The wallet's own exit cancelled as *spent*: consensus checked that the wallet's key signed a
                // later move of the coin (one whose block it never saw, say), so the coin is no longer its to
                // exit or defend; without this an uninformed payer would exit again after every cancel.
                if input.unlock.covenant?.mode == CovenantUnlock.PlasmaMode.challengeSpent.rawValue, myExits.contains(input.outpoint),
                   let coinId = exits[input.outpoint], var coin = coins[coinId] {
                    coin.status = .sent
                    coins[coinId] = coin
                    changed.insert(coinId)
                }
                // A finalize pays the exit's owner: the coin left the child chain.
                if input.unlock.covenant?.mode == CovenantUnlock.PlasmaMode.finalize.rawValue, let coinId = exits[input.outpoint],
                   var coin = coins[coinId] {
                    coin.status = .exited
                    coins[coinId] = coin
                    changed.insert(coinId)
                }
            }
            for (index, output) in transaction.outputs.enumerated() {
                let outpoint = OutPoint(txid: txid, index: UInt32(index))
                switch output.lock {
                case .plasmaBlock(let lock) where lock.chainId == chainId:
                    change.blocks.append(CommittedBlock(number: lock.number, root: lock.root, outpoint: outpoint, height: height))
                case .plasmaBond(let lock) where lock.chainId == chainId:
                    change.bond = .init(outpoint: outpoint, unspent: UnspentOutput(output: output, height: height, isCoinbase: false))
                case .plasmaExit(let lock) where coins[lock.coinId] != nil:
                    change.watched.append(WatchedOutput(outpoint: outpoint, output: output, height: height, isMine: lock.ownerKey == ownerKey))
                    open.insert(outpoint)
                    exits[outpoint] = lock.coinId
                    if var coin = coins[lock.coinId], coin.status == .held {
                        coin.status = .exiting
                        coins[lock.coinId] = coin
                        changed.insert(lock.coinId)
                    }
                case .plasmaChallenge(let lock) where coins[lock.coinId] != nil:
                    change.watched.append(WatchedOutput(outpoint: outpoint, output: output, height: height, isMine: lock.challengerKey == ownerKey))
                    open.insert(outpoint)
                case .plasmaCoin(let lock) where coins[lock.coinId] != nil:
                    // A cancel gave the coin back: it is a coin again, with the same history.
                    guard var coin = coins[lock.coinId] else { break }
                    coin.output = outpoint
                    coin.outputHeight = height
                    if coin.status == .exiting { coin.status = .held }
                    coins[lock.coinId] = coin
                    changed.insert(lock.coinId)
                default:
                    break
                }
            }
        }
        change.coins = changed.compactMap { coins[$0] }
        try wallet.apply(change, cursor: cursor)
    }

    // MARK: - Checking child blocks

    /// Fetches and checks each final block after the coin's last checked one; exits on fraud, on a block
    /// withheld too long, or on the wallet's own move left out too long.
    private func check(
        _ start: WalletCoin, blocks: [UInt64: CommittedBlock], final: [UInt64: CommittedBlock], tipHeight: UInt64, bondState: PlasmaBondLock.State?
    ) async throws -> [PlasmaWatcherAction] {
        var coin = start
        let history = try wallet.history(of: coin)
        var judge = CoinHistory.Judge(coinId: coin.coinId, depositorKey: coin.depositorKey)
        var evidence = history.evidence
        if coin.checkedThrough >= coin.firstBlock {
            for number in coin.firstBlock...coin.checkedThrough {
                guard let proof = evidence[number], let block = blocks[number] else { break }
                _ = judge.judge(proof, block: number, root: block.root, network: wallet.network)
            }
        }
        var number = coin.checkedThrough + 1
        var actions = [PlasmaWatcherAction]()
        while let block = final[number] {
            let served: CoinProof?
            do {
                served = try await operatorClient.proof(of: coin.coinId, inBlock: number)
                operatorProblem = nil
            } catch {
                operatorProblem = error
                logger.warning("plasma watcher: \(error)")
                served = nil
            }
            // A block not served, or served with evidence that does not lead to its root, is withheld.
            guard let served else {
                coin.unservedSince = coin.unservedSince ?? tipHeight
                break
            }
            let verdict = judge.judge(served, block: number, root: block.root, network: wallet.network)
            if verdict == .proofDoesNotHold {
                coin.unservedSince = coin.unservedSince ?? tipHeight
                break
            }
            coin.unservedSince = nil
            if case .invalidMove(let why) = verdict {
                try wallet.save(coin)
                // Once the bond is frozen there is nothing left to prove: someone's fraud proof was mined.
                if bondState != .frozen {
                    actions += try await proveFraud(coin, move: served, at: number, why: why, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tipHeight)
                }
                actions += try await exitCoin(coin, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tipHeight, reason: "block \(number) holds fraud: \(why)")
                return actions
            }
            evidence[number] = served
            coin.checkedThrough = number
            if case .moved(let move) = verdict, coin.status != .exiting {
                if move.newOwnerKey == ownerKey {
                    coin.status = .held
                } else {
                    coin.status = .sent
                    try wallet.removePending(coin.coinId)
                }
            }
            try wallet.save(coin, evidence: [number: served])
            number += 1
        }
        try wallet.save(coin)
        guard coin.status == .held else { return actions }
        if let bondState, bondState != .open {
            // A frozen or closing chain takes no more commits: nothing the coin's owner can do on it (Watching, step 7).
            actions += try await exitCoin(
                coin, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tipHeight, reason: "the chain's bond is \(bondState)")
        } else if let since = coin.unservedSince, tipHeight >= since.addingReportingOverflow(configuration.withholdLimit).partialValue {
            actions += try await exitCoin(
                coin, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tipHeight,
                reason: "the operator has not served child block \(coin.checkedThrough + 1) for \(tipHeight - since) blocks")
        } else if let pending = try wallet.pending()[coin.coinId], judge.owner == ownerKey,
                  coin.checkedThrough >= pending.afterBlock.addingReportingOverflow(configuration.pendingLimit).partialValue {
            actions += try await exitCoin(
                coin, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tipHeight,
                reason: "the move sent after block \(pending.afterBlock) is not included by block \(coin.checkedThrough)")
        }
        return actions
    }

    // MARK: - Acting

    /// The included move at `block` of the coin's evidence, with the block's output.
    private nonisolated func included(_ block: UInt64, evidence: [UInt64: CoinProof], blocks: [UInt64: CommittedBlock]) -> IncludedMove? {
        guard let proof = evidence[block], case .moved(let move, let path) = proof, let committed = blocks[block] else { return nil }
        return IncludedMove(move: move, proof: path, block: committed.chainOutput(chainId: chainId))
    }

    /// The exit evidence of the history's latest entry (nil when a needed proof is missing).
    private nonisolated func exitEvidence(_ judge: CoinHistory.Judge, evidence: [UInt64: CoinProof], blocks: [UInt64: CommittedBlock]) -> CoinExitEvidence? {
        guard judge.latestBlock >= 1 else { return .neverMoved }
        guard let latest = included(judge.latestBlock, evidence: evidence, blocks: blocks) else { return nil }
        let parentBlock = latest.move.parentBlock
        guard parentBlock >= 1 else { return .firstMove(latest) }
        guard let parent = included(parentBlock, evidence: evidence, blocks: blocks) else { return nil }
        return .laterMove(exit: latest, parent: parent)
    }

    func exitCoin(
        _ coin: WalletCoin, judge: CoinHistory.Judge, evidence: [UInt64: CoinProof], blocks: [UInt64: CommittedBlock], tipHeight: UInt64, reason: String
    ) async throws -> [PlasmaWatcherAction] {
        guard judge.owner == ownerKey, let output = coin.chainOutput(chainId: chainId),
              let exitEvidence = exitEvidence(judge, evidence: evidence, blocks: blocks)
        else { return [] }
        return try await send(.exit, coin: coin.coinId, reason: reason, tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
            try self.transactions.exit(coin: output, evidence: exitEvidence, bond: self.configuration.exitBond, in: context)
        }
    }

    private func proveFraud(
        _ coin: WalletCoin, move served: CoinProof, at number: UInt64, why: CoinHistory.InvalidMove, judge: CoinHistory.Judge,
        evidence: [UInt64: CoinProof], blocks: [UInt64: CommittedBlock], tipHeight: UInt64
    ) async throws -> [PlasmaWatcherAction] {
        guard case .moved(let move, let path) = served, let block = blocks[number], let bond = try wallet.bond() else { return [] }
        let fraudulent = IncludedMove(move: move, proof: path, block: block.chainOutput(chainId: chainId))
        let ground: PlasmaFraudGround
        switch why {
        case .parentNotEarlier:
            ground = .parentNotEarlier(fraudulent)
        case .forgedFirstMove:
            ground = .forgedFirstMove(fraudulent, coinPreimage: coin.coinPreimage)
        case .notSignedByOwner:
            guard let parent = included(judge.latestBlock, evidence: evidence, blocks: blocks) else { return [] }
            ground = .badSignature(fraudulent, parent: parent)
        case .spendsStaleEntry(_, let latest):
            guard let entry = included(latest, evidence: evidence, blocks: blocks), let at = evidence[latest] else { return [] }
            ground = .inclusionBetween(fraudulent, leaf: entry.move.leaf, at: BlockProof(proof: at.proof, block: entry.block))
        case .spendsMissingEntry(let parent, _):
            guard let absence = evidence[parent], absence.move == nil, let parentBlock = blocks[parent] else { return [] }
            ground = .emptyParent(fraudulent, parentAbsence: BlockProof(proof: absence.proof, block: parentBlock.chainOutput(chainId: chainId)))
        }
        return try await send(.fraudProof, coin: coin.coinId, reason: "ground \(ground.number): \(why)", tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
            try self.transactions.fraudProof(bond: bond, ground: ground, in: context)
        }
    }

    /// Defends held coins against others' exits, answers challenges of the wallet's exits, finalizes its exits.
    private func defend(blocks: [UInt64: CommittedBlock], tipHeight: UInt64) async throws -> [PlasmaWatcherAction] {
        let watched = try wallet.watched().filter { $0.status == .open }
        let coins = Dictionary(uniqueKeysWithValues: try wallet.coins().map { ($0.coinId, $0) })
        var actions = [PlasmaWatcherAction]()
        let nextHeight = tipHeight + 1
        for output in watched {
            switch output.output.lock {
            case .plasmaExit(let exit):
                guard let coin = coins[exit.coinId] else { continue }
                let (judge, evidence) = try replay(coin, blocks: blocks)
                let mine = exit.ownerKey == ownerKey && exit.exitBlock == judge.latestBlock
                if mine {
                    let due = exit.deadline.addingReportingOverflow(UInt64(exit.exitWindow) * 3).partialValue
                    guard nextHeight >= due else { continue }
                    actions += try await send(.finalize, coin: coin.coinId, reason: "due since height \(due)", tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
                        try self.transactions.finalize(exit: output.chainOutput, in: context)
                    }
                    continue
                }
                // A coin the wallet sent (or learnt it sent, from a cancel) is not its to defend.
                guard coin.status == .held || coin.status == .exiting, judge.owner == ownerKey, nextHeight < exit.deadline else { continue }
                actions += try await answerExit(output, exit: exit, coin: coin, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tipHeight)
            case .plasmaChallenge(let challenge) where challenge.ownerKey == ownerKey && nextHeight < challenge.respondBy:
                guard let coin = coins[challenge.coinId] else { continue }
                let (_, evidence) = try replay(coin, blocks: blocks)
                let answer = evidence.keys.sorted().lazy.compactMap { self.included($0, evidence: evidence, blocks: blocks) }
                    .first { $0.move.parentBlock == challenge.childBlock && $0.number <= challenge.limitBlock }
                guard let answer else { continue }
                actions += try await send(.answer, coin: coin.coinId, reason: "challenge of entry \(challenge.childBlock)", tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
                    try self.transactions.answer(challenge: output.chainOutput, spend: answer, in: context)
                }
            default:
                continue
            }
        }
        return actions
    }

    /// Someone else's exit of a held coin: cancel it when the history shows it stale, else preempt it.
    private func answerExit(
        _ output: WatchedOutput, exit: PlasmaExitLock, coin: WalletCoin, judge: CoinHistory.Judge, evidence: [UInt64: CoinProof],
        blocks: [UInt64: CommittedBlock], tipHeight: UInt64
    ) async throws -> [PlasmaWatcherAction] {
        let entries = evidence.keys.sorted().compactMap { included($0, evidence: evidence, blocks: blocks) }
        // Spent: the exit's own entry has a later move in the history (signed by the exit's owner).
        if let spend = entries.first(where: { $0.move.parentBlock == exit.exitBlock && $0.number > exit.exitBlock }),
           exit.exitBlock == 0 || evidence[exit.exitBlock]?.move?.leaf == exit.exitTxHash {
            return try await send(.challengeSpent, coin: coin.coinId, reason: "the exit's entry was spent at block \(spend.number)", tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
                try self.transactions.challengeSpent(exit: output.chainOutput, spend: spend, in: context)
            }
        }
        // Double spend: the history's own spend of the exit's parent lies before the exit's block.
        if let earlier = entries.first(where: { $0.move.parentBlock == exit.parentBlock && $0.number > exit.parentBlock && $0.number < exit.exitBlock }) {
            return try await send(.challengeDoubleSpend, coin: coin.coinId, reason: "the exit's parent was spent first at block \(earlier.number)", tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
                try self.transactions.challengeDoubleSpend(exit: output.chainOutput, earlierSpend: earlier, in: context)
            }
        }
        guard let own = exitEvidence(judge, evidence: evidence, blocks: blocks) else { return [] }
        let pair = own.pair
        guard (pair.parent, pair.exit) < (exit.parentBlock, exit.exitBlock) else { return [] }
        return try await send(.preempt, coin: coin.coinId, reason: "the exit rests on (\(exit.parentBlock), \(exit.exitBlock)), after the coin's latest entry", tipHeight: tipHeight) { context throws(PlasmaTransactionError) in
            try self.transactions.preempt(exit: output.chainOutput, evidence: own, in: context)
        }
    }

    /// The coin's stored history replayed through the judge, up to its last checked block.
    nonisolated func replay(_ coin: WalletCoin, blocks: [UInt64: CommittedBlock]) throws -> (CoinHistory.Judge, [UInt64: CoinProof]) {
        let evidence = try wallet.history(of: coin).evidence
        var judge = CoinHistory.Judge(coinId: coin.coinId, depositorKey: coin.depositorKey)
        if coin.checkedThrough >= coin.firstBlock {
            for number in coin.firstBlock...coin.checkedThrough {
                guard let proof = evidence[number], let block = blocks[number] else { break }
                _ = judge.judge(proof, block: number, root: block.root, network: wallet.network)
            }
        }
        return (judge, evidence)
    }

    /// Builds and submits an action once, or again when `resendAfter` blocks passed without its effect.
    private func send(
        _ kind: PlasmaWatcherAction.Kind, coin: Hash32, reason: String, tipHeight: UInt64,
        build: (PlasmaCoinTransactions.Context) throws(PlasmaTransactionError) -> SponsoredTransaction
    ) async throws -> [PlasmaWatcherAction] {
        let key = "\(kind.rawValue)/\(coin.hex)"
        if let sent = try wallet.action(key), tipHeight < sent.height.addingReportingOverflow(configuration.resendAfter).partialValue { return [] }
        var context = try await context(tipHeight: tipHeight)
        context.funding.removeAll { usedFunding.contains($0.outpoint) }
        let built: SponsoredTransaction
        do {
            built = try build(context)
        } catch {
            logger.error("plasma watcher: cannot build the \(kind.rawValue) of coin \(coin)", metadata: ["error": "\(error)"])
            return []
        }
        let txid: Hash32
        do {
            txid = try await node.submit(built.transaction)
        } catch {
            // Not recorded: the next pass builds it again. Other coins' actions go on.
            logger.error("plasma watcher: the node refused the \(kind.rawValue) of coin \(coin)", metadata: ["error": "\(error)"])
            return []
        }
        usedFunding.formUnion(built.funding.map(\.outpoint))
        try wallet.recordAction(key, txid: txid, height: tipHeight)
        return [PlasmaWatcherAction(kind: kind, coinId: coin, txid: txid, reason: reason)]
    }
}
