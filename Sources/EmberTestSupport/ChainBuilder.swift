import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto

/// Builds valid chains for tests, one block at a time, through the real consensus rules: every block
/// it appends passed all four tiers, and its UTXO set is what those rules produced.
///
/// Tests break one rule at a time by editing a valid block before submitting it (`makeBlock` then
/// `mutate`), in the manner of btcd's full-block tests.
public struct ChainBuilder: Sendable {
    public let params: ConsensusParams
    public private(set) var blocks: [Block]
    public private(set) var utxos: InMemoryUTXOView
    /// The key that mines (and burns, under PoLW): devnet seed key 0.
    public var minerKey: SigningKey

    /// A devnet whose proof of work is nearly free (z = 1: half of all hashes meet the target).
    public static func fastParams(
        blockTimeMs: UInt64 = 1_000, polwThresholdHashRate: BigUInt = ConsensusParams.defaultPolwThresholdHashRate
    ) -> ConsensusParams {
        // These arguments define a valid schedule; a failure here is a broken test set-up.
        try! ConsensusParams.devnet(
            blockTimeMs: blockTimeMs, maxTargetZeros: 1, polwThresholdHashRate: polwThresholdHashRate,
            coinbaseLockupMs: 10_000)
    }

    /// Fast parameters under which every block is in PoLW territory: H_T = 1 H/s.
    public static func polwParams() -> ConsensusParams { fastParams(polwThresholdHashRate: 1) }

    public init(params: ConsensusParams = ChainBuilder.fastParams(), minerKey: SigningKey = .devnet(index: 0)) {
        self.params = params
        self.minerKey = minerKey
        let genesis = params.genesisBlock
        blocks = [genesis]
        var outputs = [OutPoint: UnspentOutput]()
        let coinbase = genesis.transactions[0]
        let txid = coinbase.txid
        for (index, output) in coinbase.outputs.enumerated() {
            outputs[OutPoint(txid: txid, index: UInt32(index))] = UnspentOutput(output: output, height: 0, isCoinbase: true)
        }
        utxos = InMemoryUTXOView(outputs)
    }

    public var tip: Block { blocks[blocks.count - 1] }

    /// A clock comfortably ahead of every block, so no test block counts as from the future.
    public var nowMs: UInt64 { tip.header.timestamp + 3_600_000 }

    /// The genesis output funding devnet seed account `index` (0…7).
    public func seedOutPoint(_ index: UInt32) -> OutPoint {
        OutPoint(txid: blocks[0].transactions[0].txid, index: index + 1)
    }

    /// The parent context the rules need for a block on top of the tip.
    public var tipContext: ParentContext {
        // Every ancestor is in `blocks`.
        try! ParentContext(header: tip.header) { blocks[Int($0)].header.timestamp }
    }

    /// A signed transaction spending `inputs` (each owned by the given key) to `outputs`.
    public func spend(_ inputs: [(OutPoint, SigningKey)], to outputs: [Output]) -> Transaction {
        let unsigned = Transaction(
            inputs: inputs.map { Input(outpoint: $0.0, unlock: .publicKey(RawPublicKey($0.1.publicKey.bytes)!)) },
            outputs: outputs, witnesses: [])
        return sign(unsigned, keys: inputs.map(\.1))
    }

    /// The transaction with its witnesses replaced by fresh signatures of `keys` (one per input).
    public func sign(_ transaction: Transaction, keys: [SigningKey], network: NetworkID? = nil) -> Transaction {
        var signed = transaction
        let txid = transaction.txid
        signed.witnesses = keys.map { Witness(items: [try! $0.sign(txid: txid, network: network ?? params.networkID).bytes]) }
        return signed
    }

    /// A payment from seed account `from` to a fresh lock, paying `fee` and returning the change.
    public func payment(from outpoint: OutPoint, key: SigningKey, amount: Amount, fee: Amount, to lock: Lock) -> Transaction {
        let available = utxos.unspentOutput(at: outpoint)!.output.amount
        let change = available.subtracting(amount)!.subtracting(fee)!
        return spend([(outpoint, key)], to: [
            Output(amount: amount, lock: lock),
            Output(amount: change, lock: .pubKeyHash(key.publicKey.publicKeyHash)),
        ])
    }

    /// A valid next block holding `transactions` after its coinbase, mined; `timestamp` defaults to
    /// one block time after the tip.
    public func makeBlock(_ transactions: [Transaction] = [], timestamp: UInt64? = nil) -> Block {
        let parent = tip.header
        let timestamp = timestamp ?? parent.timestamp + params.blockTimeMs
        let target = try! params.nextTarget(after: tipContext)
        let reward = try! params.reward(target: target, timestampMs: timestamp)
        var fees = Amount.zero
        var view = OverlayForFees(base: utxos)
        for transaction in transactions {
            if let fee = try? params.checkTransactionConnect(
                transaction, digests: transaction.digests, view: view, height: parent.height + 1, blockTimestamp: timestamp) {
                fees = fees.adding(fee)!
            }
            view.apply(transaction, height: parent.height + 1)
        }
        let coinbase = try! params.makeCoinbase(
            height: parent.height + 1, timestamp: timestamp, reward: reward, fees: fees,
            payTo: .pubKeyHash(minerKey.publicKey.publicKeyHash), burningKey: minerKey,
            spendable: utxos.outputs.map { ($0.key, $0.value) }.sorted { $0.0.txid < $1.0.txid || ($0.0.txid == $1.0.txid && $0.0.index < $1.0.index) })
        let header = BlockHeader(
            nonce: .zero, height: parent.height + 1, parent: parent.hash, txRoot: .zero, timestamp: timestamp, target: target)
        return Self.sealed(Block(header: header, transactions: [coinbase] + transactions))
    }

    /// The block with its txRoot recomputed and a nonce found that meets its target.
    public static func sealed(_ block: Block) -> Block {
        var block = block
        block.header.txRoot = MerkleTree.root(of: block.transactions.map(\.digests.fullHash))
        return mined(block)
    }

    /// The block with a nonce that meets its own target (the txRoot left as it is).
    public static func mined(_ block: Block) -> Block {
        var block = block
        let target = block.header.target.value
        var counter: UInt64 = 0
        repeat {
            block.header.nonce = Nonce(high: 0, middle: 0, low: counter)
            counter += 1
        } while BigUInt(hash: block.header.hash) > target
        return block
    }

    /// Runs every tier on `block` as a node would, on top of the current tip.
    public func validate(_ block: Block) throws(BlockRejection) -> BlockEffects {
        try params.checkHeaderSanity(block.header, hash: block.header.hash)
        try params.checkHeaderContext(block.header, parent: tipContext, nowMs: nowMs)
        let body = try params.checkBlockSanity(block)
        return try params.checkBlockConnect(block, body: body, view: utxos)
    }

    /// Validates `block` and makes it the new tip.
    @discardableResult
    public mutating func append(_ block: Block) throws(BlockRejection) -> BlockEffects {
        let effects = try validate(block)
        for (outpoint, _) in effects.spent { utxos.outputs.removeValue(forKey: outpoint) }
        for (outpoint, unspent) in effects.created { utxos.outputs[outpoint] = unspent }
        blocks.append(block)
        return effects
    }

    /// Builds and appends `count` blocks with no transactions but their coinbase.
    public mutating func extend(by count: Int) throws(BlockRejection) {
        for _ in 0..<count { try append(makeBlock()) }
    }
}

/// Just enough of a block overlay to price a template's fees.
private struct OverlayForFees: UTXOView {
    var base: InMemoryUTXOView
    func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? { base.unspentOutput(at: outpoint) }
    /// Spends the inputs and adds the outputs, created at `height` (the block's: rules with clocks read it).
    mutating func apply(_ transaction: Transaction, height: UInt64) {
        for input in transaction.inputs { base.outputs.removeValue(forKey: input.outpoint) }
        let txid = transaction.txid
        for (index, output) in transaction.outputs.enumerated() {
            base.outputs[OutPoint(txid: txid, index: UInt32(index))] = UnspentOutput(output: output, height: height, isCoinbase: false)
        }
    }
}
