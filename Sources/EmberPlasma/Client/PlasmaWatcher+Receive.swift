import EmberCore
import EmberCrypto
import EmberLayer2

/// Why a coin paid to the wallet is not accepted.
public enum PlasmaReceiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The wallet already follows the coin.
    case alreadyInWallet(Hash32, status: WalletCoin.Status)
    /// No deposit of the coin into this chain is on the node's active chain.
    case notOnLayerOne(Hash32)
    /// The coin's newest `plasmaCoin` output is spent: it is in an exit or left the chain.
    case notACoinOnLayerOne(Hash32, spentOutput: OutPoint)
    /// The operator's pages of the coin's history do not follow each other.
    case badHistoryPages(Hash32, from: UInt64, next: UInt64)
    /// The history does not hold up against the roots committed on layer 1.
    case historyRefused(Hash32, CoinHistoryError)
    /// The history's latest entry is owned by another key.
    case notPaidToWallet(Hash32, owner: RawPublicKey, block: UInt64)

    public var description: String {
        switch self {
        case .alreadyInWallet(let coin, let status): "the wallet already follows coin \(coin) (\(status.rawValue))"
        case .notOnLayerOne(let coin): "no deposit of coin \(coin) into this chain is on the node's active chain; check --coin, --chain and --node"
        case .notACoinOnLayerOne(let coin, let spent):
            "coin \(coin) is not a coin on layer 1 now: its output \(spent) is spent (an exit is open, or it left the chain)"
        case .badHistoryPages(let coin, let from, let next): "the operator's history of coin \(coin) from block \(from) names block \(next) next"
        case .historyRefused(let coin, let why): "the history of coin \(coin) is refused: \(why)"
        case .notPaidToWallet(let coin, let owner, let block):
            "coin \(coin) is owned by \(owner) since child block \(block), not by the wallet's key (a move not final yet is not counted)"
        }
    }
}

/// Receiving a coin someone moved to the wallet's key (docs/plasma.md, "Paying on the child chain").
extension PlasmaWatcher {
    /// Finds the coin's `plasmaCoin` output and its deposit on layer 1, fetches its full history from the
    /// operator, checks it with `CoinHistory.verify` against the roots of every final child block, and
    /// requires the latest entry to be owned by the wallet's key; then stores the coin as held with all its
    /// evidence, so the watcher's passes check, exit and defend it like a deposited coin.
    ///
    /// The deposit (its first input and output index, the coinId's preimage) is found by reading layer-1
    /// blocks back from the tip, so fraud ground 5 can be proven for a received coin too.
    public func receive(coinId: Hash32) async throws -> WalletCoin {
        if let known = try wallet.coin(coinId) { throw PlasmaReceiveError.alreadyInWallet(coinId, status: known.status) }
        try await followLayerOne()
        let tip = try await node.tip()
        let found = try await findOnLayerOne(coinId, tipHeight: tip.height)
        let final = finalBlocks(try wallet.blocks(), tipHeight: tip.height)
        let through = final.keys.max() ?? 0
        let evidence = try await fetchHistory(coinId, firstBlock: found.lock.firstBlock, through: through)
        let history = CoinHistory(coinId: coinId, depositorKey: found.lock.depositorKey, firstBlock: found.lock.firstBlock, evidence: evidence)
        let latest: CoinHistory.Latest
        do {
            latest = try history.verify(through: through, roots: final.mapValues(\.root), network: wallet.network)
        } catch {
            throw PlasmaReceiveError.historyRefused(coinId, error)
        }
        guard latest.owner == ownerKey else { throw PlasmaReceiveError.notPaidToWallet(coinId, owner: latest.owner, block: latest.block) }
        let checked = through >= found.lock.firstBlock ? through : nil
        let coin = WalletCoin(
            coinId: coinId, depositorKey: found.lock.depositorKey, amount: found.amount, firstBlock: found.lock.firstBlock,
            exitWindow: found.lock.exitWindow, firstInput: found.firstInput, outputIndex: found.outputIndex, output: found.output,
            outputHeight: found.outputHeight, status: .held, checkedThrough: checked)
        try wallet.save(coin, evidence: evidence.filter { $0.key <= through })
        return coin
    }

    /// What layer 1 says of a coin: its lock and amount, its current output, and its deposit's first input.
    struct CoinOnLayerOne {
        let lock: PlasmaCoinLock
        let amount: Amount
        let output: OutPoint
        let outputHeight: UInt64
        let firstInput: OutPoint
        let outputIndex: UInt32
    }

    /// Reads the active chain back from `tipHeight`: the coin's newest `plasmaCoin` output of this chain
    /// (which must be unspent), then its deposit, identified by the coinId's preimage.
    func findOnLayerOne(_ coinId: Hash32, tipHeight: UInt64) async throws -> CoinOnLayerOne {
        // Only covenant spends can spend a coin's output; other inputs are not kept.
        var spent = Set<OutPoint>()
        var newest: (outpoint: OutPoint, height: UInt64, lock: PlasmaCoinLock, amount: Amount)?
        var height = tipHeight
        while true {
            guard let observed = try await node.block(atHeight: height) else { break }
            for transaction in observed.block.transactions.reversed() {
                let txid = transaction.txid
                for (index, output) in transaction.outputs.enumerated() {
                    // Consensus refuses a first block of 0; a node's answer is not trusted to have applied it.
                    guard case .plasmaCoin(let lock) = output.lock, lock.chainId == chainId, lock.coinId == coinId, lock.firstBlock >= 1 else { continue }
                    let outpoint = OutPoint(txid: txid, index: UInt32(index))
                    if newest == nil {
                        guard !spent.contains(outpoint) else { throw PlasmaReceiveError.notACoinOnLayerOne(coinId, spentOutput: outpoint) }
                        newest = (outpoint, height, lock, output.amount)
                    }
                    guard let first = transaction.inputs.first?.outpoint, let current = newest,
                          PlasmaCoinId.derive(
                              chainId: chainId, firstInput: first, outputIndex: UInt32(index), amount: output.amount, depositorKey: lock.depositorKey) == coinId
                    else { continue }
                    return CoinOnLayerOne(
                        lock: current.lock, amount: current.amount, output: current.outpoint, outputHeight: current.height, firstInput: first,
                        outputIndex: UInt32(index))
                }
                if newest == nil {
                    for input in transaction.inputs where input.unlock.covenant != nil { spent.insert(input.outpoint) }
                }
            }
            guard height > 0 else { break }
            height -= 1
        }
        throw PlasmaReceiveError.notOnLayerOne(coinId)
    }

    /// The operator's evidence for the coin from `firstBlock` through `through`, page by page; what it
    /// does not serve is simply missing (and `CoinHistory.verify` names the gap).
    func fetchHistory(_ coinId: Hash32, firstBlock: UInt64, through: UInt64) async throws -> [UInt64: CoinProof] {
        var evidence = [UInt64: CoinProof]()
        guard through >= firstBlock else { return evidence }
        var from = firstBlock
        while from <= through {
            let page = try await operatorClient.history(of: coinId, from: from)
            for (block, proof) in page.entries where block <= through { evidence[block] = proof }
            guard let next = page.next else { break }
            // The client checked that `next` follows the page's entries; an empty page that names itself
            // again would loop for ever.
            guard next > from else { throw PlasmaReceiveError.badHistoryPages(coinId, from: from, next: next) }
            from = next
        }
        return evidence
    }
}
