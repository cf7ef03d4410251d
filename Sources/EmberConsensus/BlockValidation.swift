import EmberCore
import EmberCrypto

/// What checking a block's body computed once, for the connect tier and the layers above.
public struct CheckedBody: Sendable {
    /// Each transaction's txid, full hash and size, in block order.
    public let digests: [Transaction.Digests]
    /// The reward of the block, from its header (PoW or PoLW).
    public let reward: BlockReward
    /// The size of the block's encoding in bytes.
    public let size: Int
    /// The block's weight: its size plus every transaction's declared steps / 64 (§15).
    public let weight: Int
}

/// What connecting a block does to the UTXO set, and what it mints and burns.
public struct BlockEffects: Sendable {
    /// The outputs the block spends that existed before it, in spending order: the undo data.
    public let spent: [(OutPoint, UnspentOutput)]
    /// The outputs the block creates and leaves unspent, in creation order.
    public let created: [(OutPoint, UnspentOutput)]
    /// The sum of the fees of its transactions.
    public let fees: Amount
    /// What covenants burn inside its transactions (no miner collects it).
    public let covenantBurnt: Amount
    /// The block reward.
    public let reward: BlockReward
    /// How the fees divide between the miner and the burn.
    public var feeSplit: FeeSplit { FeeSplit(totalFees: fees) }
    /// Everything the block burns: the PoLW burn, half of the fees and the covenants' burns. Each is
    /// at most the maximum amount, so the sum fits 128 bits.
    public var burnt: Amount {
        Amount(units: reward.burnt.units + feeSplit.burnt.units + covenantBurnt.units)
    }
}

/// The body tiers of DESIGN.md section 11 for whole blocks.
extension ConsensusParams {
    /// Tier 3: size and weight limits, Merkle root, transaction structure, coinbase form, then every signature.
    /// The header must have passed tiers 1 and 2. The verdict, and the failure it names, do not
    /// depend on `signatures`.
    public func checkBlockSanity(_ block: Block, signatures: SignatureThreads = .allCores) throws(BlockRejection) -> CheckedBody {
        let transactions = block.transactions
        guard !transactions.isEmpty else { throw .noTransactions }
        guard transactions.count <= maxTransactionsPerBlock else {
            throw .tooManyTransactions(limit: maxTransactionsPerBlock, found: transactions.count)
        }
        let overhead = BlockHeader.encodedSize + Varint.encodedSize(of: UInt128(transactions.count))
        var (size, weight) = (overhead, overhead)
        // The decoder bounds a block to 4 MiB of bytes, so hashing every transaction before the weight
        // check is bounded work; the check then stops at the same transaction as a serial loop would.
        let digests = ParallelDigests.of(transactions, threads: signatures)
        for (transaction, digest) in zip(transactions, digests) {
            size += digest.size
            weight += self.weight(of: transaction, size: digest.size)
            guard weight <= maxBlockWeight else { throw .tooHeavy(limit: maxBlockWeight, found: weight) }
        }
        let root = MerkleTree.root(of: digests.map(\.fullHash))
        guard root == block.header.txRoot else { throw .merkleRootMismatch(header: block.header.txRoot, computed: root) }

        let reward: BlockReward
        do {
            reward = try self.reward(target: block.header.target, timestampMs: block.header.timestamp)
        } catch {
            throw .badTarget(error)
        }
        try checkCoinbaseForm(transactions[0], digests: digests[0], header: block.header, reward: reward)
        var checks = signatureChecks(transactions[0], txid: digests[0].txid)
        var owners = [Int](repeating: 0, count: checks.count)
        for index in transactions.indices.dropFirst() {
            do {
                try checkTransactionSanity(transactions[index], digests: digests[index])
            } catch {
                throw .transaction(index: index, error)
            }
            let transactionChecks = signatureChecks(transactions[index], txid: digests[index].txid)
            checks += transactionChecks
            owners += repeatElement(index, count: transactionChecks.count)
        }
        let failure: Int?
        switch signatures {
        case .allCores: failure = ParallelSignatureVerifier.firstFailure(in: checks, network: networkID)
        case .callingThread: failure = checks.firstIndex { !$0.isValid(on: networkID) }
        }
        if let failure {
            throw .transaction(index: owners[failure], .badSignature(input: checks[failure].input))
        }
        return CheckedBody(digests: digests, reward: reward, size: size, weight: weight)
    }

    /// Tier 4: the block against the UTXO view, transactions applied in order (a transaction may spend
    /// an output created earlier in the block, never a later one), then the coinbase's amounts.
    public func checkBlockConnect(_ block: Block, body: CheckedBody, view: some UTXOView) throws(BlockRejection) -> BlockEffects {
        var overlay = BlockOverlayView(base: view)
        let timestamp = block.header.timestamp
        var fees = Amount.zero
        var covenantBurnt = Amount.zero
        var coinbaseSpent = [UnspentOutput]()
        for (index, transaction) in block.transactions.enumerated() {
            let digests = body.digests[index]
            do throws(TransactionRejection) {
                if index == 0 {
                    coinbaseSpent = try spentOutputs(transaction, view: overlay, blockTimestamp: timestamp)
                } else {
                    let effects = try connectEffects(
                        transaction, digests: digests, view: overlay, height: block.header.height, blockTimestamp: timestamp)
                    guard let total = fees.adding(effects.fee), total <= maxAmount,
                          let burnt = covenantBurnt.adding(effects.burnt), burnt <= maxAmount
                    else {
                        throw TransactionRejection.inputsAboveMaximum(maximum: maxAmount)
                    }
                    (fees, covenantBurnt) = (total, burnt)
                }
            } catch {
                throw .transaction(index: index, error)
            }
            overlay.apply(transaction, txid: digests.txid, height: block.header.height, isCoinbase: index == 0)
        }
        try checkCoinbaseAmounts(block.transactions[0], spent: coinbaseSpent, reward: body.reward, fees: FeeSplit(totalFees: fees))
        return BlockEffects(
            spent: overlay.spentFromBase, created: overlay.createdUnspent, fees: fees, covenantBurnt: covenantBurnt,
            reward: body.reward)
    }
}

/// The view as it stands part-way through a block: the base view, minus what the block has spent so
/// far, plus what it has created.
struct BlockOverlayView<Base: UTXOView>: UTXOView {
    let base: Base
    private var created: [OutPoint: UnspentOutput] = [:]
    private var creationOrder: [OutPoint] = []
    private var spent: Set<OutPoint> = []
    private(set) var spentFromBase: [(OutPoint, UnspentOutput)] = []

    init(base: Base) { self.base = base }

    func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? {
        if spent.contains(outpoint) { return nil }
        return created[outpoint] ?? base.unspentOutput(at: outpoint)
    }

    mutating func apply(_ transaction: Transaction, txid: Hash32, height: UInt64, isCoinbase: Bool) {
        for input in transaction.inputs {
            if created.removeValue(forKey: input.outpoint) == nil, let unspent = base.unspentOutput(at: input.outpoint) {
                spentFromBase.append((input.outpoint, unspent))
            }
            spent.insert(input.outpoint)
        }
        for (index, output) in transaction.outputs.enumerated() {
            let outpoint = OutPoint(txid: txid, index: UInt32(index))
            created[outpoint] = UnspentOutput(output: output, height: height, isCoinbase: isCoinbase)
            creationOrder.append(outpoint)
            spent.remove(outpoint)
        }
    }

    /// Outputs created by the block and still unspent at its end, in creation order.
    var createdUnspent: [(OutPoint, UnspentOutput)] {
        creationOrder.compactMap { outpoint in created[outpoint].map { (outpoint, $0) } }
    }
}
