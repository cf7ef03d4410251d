import EmberConsensus
import EmberCore
import EmberCrypto

/// The operator rule with the operator's signature of the txid supplied: the builder's drafts carry a
/// placeholder (the txid is not known before the funding is chosen), so this rule signs each draft's
/// txid and asks the real rule. Used only to size and fund a commit or close; the signed result is
/// checked on the network's own rules.
struct OperatorSigningRule: CovenantRule {
    let real: PlasmaOperatorRule
    let key: SigningKey
    /// The network's own parameters, which the real rule is given.
    let params: ConsensusParams

    var lockTag: UInt8 { real.lockTag }

    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var transaction = context.transaction
        do {
            transaction.witnesses[context.inputIndex] = Witness(items: [try key.sign(txid: context.txid, network: params.networkID).bytes])
        } catch {
            throw .ruleBroken(lockTag: lockTag, rule: "signature", detail: "the operator key cannot sign: \(error)")
        }
        return try real.checkSpend(SpendContext(
            height: context.height, blockTimestamp: context.blockTimestamp, transaction: transaction, txid: context.txid,
            inputIndex: context.inputIndex, spent: context.spent, reads: context.reads, spentByInputs: context.spentByInputs, params: params))
    }

    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        try real.checkCreation(context)
    }
}
