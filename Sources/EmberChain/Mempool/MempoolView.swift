import EmberConsensus
import EmberCore
import EmberCrypto

/// The UTXO set a transaction is checked against: the chain's, plus the outputs of the pool's
/// transactions, minus the outputs they spend. Transactions in `excluded` count as absent: their
/// outputs do not exist and what they spend is unspent (how an entry is checked again, or a
/// replacement is checked without what it replaces).
struct MempoolView<Base: UTXOView>: UTXOView {
    let base: Base
    let entries: [Hash32: MempoolEntry]
    let spentBy: [OutPoint: Hash32]
    /// The height outputs of unconfirmed transactions report: the next block's (tip + 1), the
    /// earliest that can hold them, and the height the pool checks every rule at (DESIGN.md section 15).
    let unconfirmedHeight: UInt64
    var excluded: Set<Hash32> = []

    func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? {
        if let spender = spentBy[outpoint], !excluded.contains(spender) { return nil }
        guard let parent = entries[outpoint.txid] else { return base.unspentOutput(at: outpoint) }
        guard !excluded.contains(outpoint.txid) else { return nil }
        let outputs = parent.transaction.outputs
        guard outpoint.index < outputs.count else { return nil }
        return UnspentOutput(output: outputs[Int(outpoint.index)], height: unconfirmedHeight, isCoinbase: false)
    }

    /// The output at `outpoint` whether or not a pool transaction spends it: what a conflict is about.
    func output(at outpoint: OutPoint) -> Output? {
        guard let parent = entries[outpoint.txid] else { return base.unspentOutput(at: outpoint)?.output }
        let outputs = parent.transaction.outputs
        return outpoint.index < outputs.count ? outputs[Int(outpoint.index)] : nil
    }
}
