import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto

/// Generates a valid chain of blocks full of one-input, two-output payments, for benchmarks, crash
/// tests and people who want a busy devnet file to import. Every block is built with the consensus
/// code (coinbase builder, difficulty adjustment) and mined to its target.
public struct SyntheticChain {
    public let params: ConsensusParams
    private var parent: BlockHeader
    private var ancestors: [BlockHeader]
    /// Spendable outputs, oldest first, so amounts halve only once per generation of payments.
    private var spendable: [(OutPoint, Amount, SigningKey)] = []
    private var spendableStart = 0
    private let payee = SigningKey.devnet(index: 0)

    public init(params: ConsensusParams) {
        self.params = params
        let genesis = params.genesisBlock
        parent = genesis.header
        ancestors = [genesis.header]
        let coinbase = genesis.transactions[0]
        let txid = coinbase.txid
        for (offset, output) in coinbase.outputs.enumerated().dropFirst() {
            spendable.append((OutPoint(txid: txid, index: UInt32(offset)), output.amount, SigningKey.devnet(index: UInt32(offset - 1))))
        }
    }

    /// The next block, with up to `transactions` payments (fewer while too few outputs exist yet).
    public mutating func nextBlock(transactions: Int) throws -> Block {
        let timestamp = parent.timestamp + params.blockTimeMs
        let target = try params.nextTarget(after: ParentContext(header: parent) { ancestors[Int($0)].timestamp })
        let payeeLock = Lock.pubKeyHash(payee.publicKey.publicKeyHash)
        var payments = [Transaction]()
        var fees = Amount.zero
        var created = [(OutPoint, Amount, SigningKey)]()
        let count = min(transactions, spendable.count - spendableStart)
        for _ in 0..<count {
            let (outpoint, amount, key) = spendable[spendableStart]
            spendableStart += 1
            // A generous fee (the minimum for a 400-byte transaction) keeps the rate rule easy to meet.
            let fee = Amount(units: params.minFeeRate.units * 400)
            guard let rest = amount.subtracting(fee), rest.units / 2 >= params.dust.units else { continue }
            let half = Amount(units: rest.units / 2)
            var payment = Transaction(
                inputs: [Input(outpoint: outpoint, unlock: .publicKey(RawPublicKey(key.publicKey.bytes)!))],
                outputs: [Output(amount: half, lock: payeeLock), Output(amount: Amount(units: rest.units - half.units), lock: payeeLock)],
                witnesses: [])
            let txid = payment.txid
            payment.witnesses = [Witness(items: [try key.sign(txid: txid, network: params.networkID).bytes])]
            payments.append(payment)
            fees = fees.adding(fee) ?? fees
            created.append((OutPoint(txid: txid, index: 0), half, payee))
            created.append((OutPoint(txid: txid, index: 1), Amount(units: rest.units - half.units), payee))
        }
        let reward = try params.reward(target: target, timestampMs: timestamp)
        let coinbase = try params.makeCoinbase(
            height: parent.height + 1, timestamp: timestamp, reward: reward, fees: fees, payTo: payeeLock,
            burningKey: payee, spendable: [])
        let transactions = [coinbase] + payments
        var header = BlockHeader(
            nonce: .zero, height: parent.height + 1, parent: parent.hash,
            txRoot: MerkleTree.root(of: transactions.map(\.digests.fullHash)), timestamp: timestamp, target: target)
        let targetValue = target.value
        var counter: UInt64 = 0
        while BigUInt(hash: header.hash) > targetValue {
            counter += 1
            header.nonce = Nonce(high: 0, middle: 0, low: counter)
        }
        spendable.removeFirst(spendableStart)
        spendableStart = 0
        spendable += created
        parent = header
        ancestors.append(header)
        return Block(header: header, transactions: transactions)
    }
}
