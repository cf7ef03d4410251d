import EmberConsensus
import EmberCore
import EmberCrypto

/// A covenant rule with one witness item of the spending input replaced by a signature of each draft's
/// txid, then judged by the real rule. The sponsor asks a rule for its verdict on drafts whose txid is
/// not known in advance (the funding is chosen as it goes), so a spend signed over the txid (refund,
/// reveal) is sized and funded on a network running this rule (`TruebitTransactions.buildSigned`).
///
/// Once the txid is known and signed, `signed` names it: the transaction with that txid then reaches the
/// real rule with its own witness untouched, and only drafts with other txids are re-signed.
struct TxidSigningRule: CovenantRule {
    let real: any CovenantRule
    let key: SigningKey
    /// The witness item that holds the signature.
    let item: Int
    /// The txid whose transaction carries its real signature already.
    let signed: Hash32?
    /// The network's own parameters, which the real rule is given.
    let params: ConsensusParams

    var lockTag: UInt8 { real.lockTag }

    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var transaction = context.transaction
        var items = context.witness.items
        if context.txid != signed, items.indices.contains(item) {
            do {
                items[item] = try key.sign(txid: context.txid, network: params.networkID).bytes
            } catch {
                throw .ruleBroken(lockTag: lockTag, rule: "signature", detail: "the signing key cannot sign: \(error)")
            }
            transaction.witnesses[context.inputIndex] = Witness(items: items)
        }
        return try real.checkSpend(SpendContext(
            height: context.height, blockTimestamp: context.blockTimestamp, transaction: transaction, txid: context.txid,
            inputIndex: context.inputIndex, spent: context.spent, reads: context.reads, spentByInputs: context.spentByInputs, params: params))
    }

    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        try real.checkCreation(context)
    }
}
