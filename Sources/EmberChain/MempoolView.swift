import EmberConsensus
import EmberCore
import EmberCrypto

/// The UTXO set a new transaction is checked against: the chain's, plus the outputs of the pool's
/// transactions, minus the outputs they spend.
struct MempoolView<Base: UTXOView>: UTXOView {
    /// Outputs of unconfirmed transactions report this height: they are in no block yet.
    static var unconfirmedHeight: UInt64 { .max }

    let base: Base
    let entries: [Hash32: MempoolEntry]
    let spentBy: [OutPoint: Hash32]

    func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? {
        guard spentBy[outpoint] == nil else { return nil }
        guard let parent = entries[outpoint.txid] else { return base.unspentOutput(at: outpoint) }
        let outputs = parent.transaction.outputs
        guard outpoint.index < outputs.count else { return nil }
        return UnspentOutput(output: outputs[Int(outpoint.index)], height: Self.unconfirmedHeight, isCoinbase: false)
    }
}
