import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

/// What a person asks of the client (the `ember plasma` commands), on top of the watcher's passes:
/// follow layer 1 only, deposit, send a coin, exit a coin now.
extension PlasmaWatcher {
    /// Follows layer 1 up to the node's tip (commits, the bond, exits and challenges of the wallet's
    /// coins), without asking the operator anything.
    public func followLayerOne() async throws {
        let watcher = ChainWatcher(client: node, network: wallet.network, cursor: try wallet.cursor(), startHeight: 0)
        while try await follow(watcher) > 0 {}
    }

    /// Deposits `amounts` (one coin each) for the wallet's key into the chain, reading its newest final
    /// block; the coins join the wallet before the deposit is sent, so a crash cannot lose them.
    public func deposit(_ amounts: [Amount]) async throws -> (txid: Hash32, coins: [Hash32]) {
        try await followLayerOne()
        guard let bond = try wallet.bond() else { throw PlasmaClientError.chainNotFound(chainId) }
        let tip = try await node.tip()
        let final = finalBlocks(try wallet.blocks(), tipHeight: tip.height)
        let latest = final.keys.max().flatMap { final[$0] }?.chainOutput(chainId: chainId)
        let context = try await context(tipHeight: tip.height)
        let (built, coins) = try transactions.deposit(bond: bond, latestBlock: latest, amounts: amounts, depositorKey: ownerKey, in: context)
        for coin in coins {
            try wallet.save(WalletCoin(
                coinId: coin.coinId, depositorKey: ownerKey, amount: coin.amount, firstBlock: coin.lock.firstBlock, exitWindow: coin.lock.exitWindow,
                firstInput: coin.firstInput, outputIndex: coin.outpoint.index, output: coin.outpoint, outputHeight: tip.height + 1))
        }
        return (try await node.submit(built.transaction), coins.map(\.coinId))
    }

    /// Signs the coin's move to `receiver` from its latest checked entry (or resends the move already
    /// signed), stores it, and gives it to the operator; returns the operator's verdict.
    public func send(_ coinId: Hash32, to receiver: RawPublicKey, signer: SigningKey) async throws -> String {
        guard let coin = try wallet.coin(coinId) else { throw PlasmaClientError.unknownCoin(coinId) }
        let (judge, _) = try replay(coin, blocks: try wallet.blocks())
        guard judge.owner == ownerKey, coin.status == .held else { throw PlasmaClientError.notOwned(coinId) }
        let move: ChildTransaction
        if let pending = try wallet.pending()[coinId], pending.move.parentBlock == judge.latestBlock {
            move = pending.move
        } else {
            move = try ChildTransaction(coinId: coinId, parentBlock: judge.latestBlock, newOwnerKey: receiver, signedBy: signer, network: wallet.network)
            try wallet.savePending(move, afterBlock: coin.checkedThrough)
        }
        guard let verdict = try await operatorClient.submit([move]).first else { throw PlasmaClientError.unknownCoin(coinId) }
        return verdict
    }

    /// Exits the coin now from its latest checked entry.
    public func exitNow(_ coinId: Hash32) async throws -> PlasmaWatcherAction? {
        guard let coin = try wallet.coin(coinId) else { throw PlasmaClientError.unknownCoin(coinId) }
        let blocks = try wallet.blocks()
        let (judge, evidence) = try replay(coin, blocks: blocks)
        let tip = try await node.tip()
        return try await exitCoin(coin, judge: judge, evidence: evidence, blocks: blocks, tipHeight: tip.height, reason: "asked for").first
    }

    func context(tipHeight: UInt64) async throws -> PlasmaCoinTransactions.Context {
        let address = Address(publicKeyHash: transactions.sponsor.fundingKey.publicKey.publicKeyHash, network: wallet.network)
        return PlasmaCoinTransactions.Context(height: tipHeight + 1, funding: try await node.outputs(of: address), nowMs: clock())
    }
}
