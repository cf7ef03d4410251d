import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode

/// The layer-1 outputs of a benchmark's dispute, kept without a chain: each transaction is included alone
/// in the next block, after the network's own checks of a block's transaction (sanity, signatures,
/// connect against these outputs at that height), and its outputs replace the ones it spent.
struct BenchmarkLedger {
    let params: ConsensusParams
    /// Every block's timestamp: an hour after the network's launch.
    let nowMs: UInt64
    private(set) var utxos = InMemoryUTXOView()
    /// The height of the next block.
    private(set) var nextHeight: UInt64

    init(params: ConsensusParams, nextHeight: UInt64) {
        self.params = params
        self.nextHeight = nextHeight
        nowMs = params.launchTimestampMs + 3_600_000
    }

    /// Gives `key` an output of `amount` that no transaction here created, confirmed long before.
    mutating func fund(_ key: SigningKey, amount: Amount, label: String) {
        let outpoint = OutPoint(txid: Blake3.hash(Array("ember bench truebit funding \(label)".utf8)), index: 0)
        utxos.outputs[outpoint] = UnspentOutput(output: Output(amount: amount, lock: Self.payTo(key)), height: 1, isCoinbase: false)
    }

    /// Where `key` builds a transaction for the next block: its outputs, in outpoint order so that runs
    /// choose the same funding.
    func context(_ key: SigningKey) -> TruebitTransactions.Context {
        let lock = Self.payTo(key)
        let funding = utxos.outputs.filter { $0.value.output.lock == lock }
            .sorted { $0.key.txid < $1.key.txid || ($0.key.txid == $1.key.txid && $0.key.index < $1.key.index) }
            .map { WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, height: $0.value.height, isCoinbase: $0.value.isCoinbase) }
        return TruebitTransactions.Context(height: nextHeight, funding: funding, nowMs: nowMs)
    }

    /// The unspent output at `outpoint`, as a builder takes it.
    func output(_ outpoint: OutPoint) throws(TruebitDisputeBenchmark.Failure) -> TruebitTransactions.ChainOutput {
        guard let unspent = utxos.unspentOutput(at: outpoint) else {
            throw TruebitDisputeBenchmark.Failure(description: "output \(outpoint.txid):\(outpoint.index) is not unspent")
        }
        return .init(outpoint: outpoint, unspent: unspent)
    }

    /// Includes `transaction` alone in the next block; returns the height it was included at.
    @discardableResult
    mutating func include(_ transaction: Transaction) throws(TruebitDisputeBenchmark.Failure) -> UInt64 {
        let digests = transaction.digests
        let height = nextHeight
        do {
            try params.checkTransactionSanity(transaction, digests: digests)
            try params.checkSignatures(transaction, txid: digests.txid)
            _ = try params.checkTransactionConnect(transaction, digests: digests, view: utxos, height: height, blockTimestamp: nowMs)
        } catch {
            throw TruebitDisputeBenchmark.Failure(description: "the network refuses transaction \(digests.txid) at height \(height): \(error)")
        }
        for input in transaction.inputs { utxos.outputs[input.outpoint] = nil }
        for (index, output) in transaction.outputs.enumerated() {
            utxos.outputs[OutPoint(txid: digests.txid, index: UInt32(index))] = UnspentOutput(output: output, height: height, isCoinbase: false)
        }
        nextHeight = height + 1
        return height
    }

    static func payTo(_ key: SigningKey) -> Lock { TruebitTransactions.payTo(TruebitTransactions.raw(key)) }
}
