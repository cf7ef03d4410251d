import EmberConsensus
import EmberCore

/// The pool's policy for Plasma spends (docs/plasma.md, "Mempool policy for Plasma spends"): light,
/// with one child that a better-paying sibling may replace, as channel spends. It stops a thief pinning
/// an exit, a challenge or a bond behind megabytes an honest party would have to outbid before a deadline.
extension MempoolState {
    /// Lock tags whose spends are Plasma spends; a plasmaBlock (4) is never spent.
    static let plasmaTags: Set<UInt8> = [
        Lock.Tag.plasmaOperator, Lock.Tag.plasmaCoin, Lock.Tag.plasmaExit, Lock.Tag.plasmaBond, Lock.Tag.plasmaChallenge,
        Lock.Tag.plasmaExitClosed,
    ]

    /// Whether `transaction` spends a Plasma output, confirmed or not, or creates a Plasma challenge.
    /// Register and deposit spend only plain outputs and are not Plasma spends.
    func isPlasmaSpend(_ transaction: Transaction, view: some UTXOView) -> Bool {
        if transaction.outputs.contains(where: { $0.lock.tag == Lock.Tag.plasmaChallenge }) { return true }
        let lookup = poolView(view)
        return transaction.inputs.contains { input in
            lookup.output(at: input.outpoint).map { Self.plasmaTags.contains($0.lock.tag) } ?? false
        }
    }
}
