import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

/// The cooperative close (mode 0): both parties sign `coopHash` of one transaction's txid, so the
/// transaction is built first, with the funding key's inputs already signed (witnesses are not part of
/// the txid) and two 64-byte placeholders where the parties' signatures go, so its weight and fee are
/// those of the signed one. `insertingCoopSignatures` puts the signatures in and checks the result
/// against the real rule.
extension ChannelTransactions {
    /// A cooperative close waiting for the parties' signatures, with what its self-check needs.
    public struct UnsignedCooperativeClose: Hashable, Sendable {
        /// The close; input 0 is the channel output, whose witness holds two 64-byte placeholders.
        public let transaction: Transaction
        public let channelId: Hash32
        public let context: Context
        /// The funding key's outputs it spends, in input order after the channel input.
        public let funding: [WalletOutput]
        public let fee: Amount

        /// The txid both parties sign (through `coopMessage`).
        public var txid: Hash32 { transaction.txid }
    }

    /// The bytes each party signs in the domain `channelCoop` to agree to the close `txid`:
    /// `channelId ‖ txid` (the rule prefixes the domain and the network).
    public static func coopMessage(channelId: Hash32, txid: Hash32) -> [UInt8] {
        channelId.bytes + txid.bytes
    }

    /// Builds a cooperative close of `record` paying `outputs` (in order; the funding key's change
    /// follows them), spending the funding output or a dispute.
    public func unsignedCooperativeClose(
        _ record: ChannelRecord, outputs: [Output], spending spent: Spent = .funding
    ) async throws(ChannelTransactionError) -> UnsignedCooperativeClose {
        try unsignedCooperativeClose(record, outputs: outputs, spending: spent, in: try await context(spending: spent, of: record))
    }

    public func unsignedCooperativeClose(
        _ record: ChannelRecord, outputs: [Output], spending spent: Spent = .funding, in context: Context
    ) throws(ChannelTransactionError) -> UnsignedCooperativeClose {
        let placeholder = [UInt8](repeating: 0, count: Signature.byteCount)
        let input = CovenantSpendInput(
            outpoint: outpoint(spent, of: record), spent: context.spent,
            unlock: .channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.cooperative.rawValue, firstOutput: 0)),
            witness: Witness(items: [placeholder, placeholder]))
        // The network's rule refuses placeholders; the builder runs a copy of the network whose channel
        // rules take any two 64-byte items in mode 0, and the real rule checks the signed close.
        let placeholderParams = params.withCovenantRules(CovenantRules(
            identity: "cooperative-placeholder", rules: [PlaceholderCooperativeRule(real: ChannelRule()), PlaceholderCooperativeRule(real: ChannelDisputeRule())]))
        let built: SponsoredTransaction
        do {
            built = try SponsoredTransactionBuilder(params: placeholderParams, fundingKey: sponsor.fundingKey).build(
                CovenantTransactionRequest(covenantInputs: [input], otherOutputs: outputs), funding: context.funding, height: context.height,
                nowMs: context.nowMs)
        } catch {
            throw .sponsorship(error)
        }
        return UnsignedCooperativeClose(
            transaction: built.transaction, channelId: record.id, context: context, funding: built.funding, fee: built.fee)
    }

    /// The close with both parties' signatures over `coopMessage`, checked against the network's
    /// rules as a block would check it.
    public func insertingCoopSignatures(
        _ close: UnsignedCooperativeClose, sigA: Signature, sigB: Signature
    ) throws(ChannelTransactionError) -> Transaction {
        var transaction = close.transaction
        transaction.witnesses[0] = Witness(items: [sigA.bytes, sigB.bytes])
        let digests = transaction.digests
        var view = [transaction.inputs[0].outpoint: close.context.spent]
        let fundingLock = sponsor.fundingLock
        for output in close.funding {
            view[output.outpoint] = UnspentOutput(
                output: Output(amount: output.amount, lock: fundingLock, lockTime: output.lockTime), height: output.height,
                isCoinbase: output.isCoinbase)
        }
        do {
            try params.checkTransactionSanity(transaction, digests: digests)
            try params.checkSignatures(transaction, txid: digests.txid)
            _ = try params.checkTransactionConnect(
                transaction, digests: digests, view: InMemoryUTXOView(view), height: close.context.height, blockTimestamp: close.context.nowMs)
        } catch {
            throw .badCooperativeSignatures(error)
        }
        return transaction
    }
}

/// Mode 0 of a channel lock with the signatures not yet there: two items of 64 bytes stand for them.
/// Used only to size and fund an unsigned cooperative close; every other mode and every creation is
/// the real rule's.
private struct PlaceholderCooperativeRule: CovenantRule {
    let real: any CovenantRule

    var lockTag: UInt8 { real.lockTag }

    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        let items = context.witness.items
        guard context.unlock.mode == CovenantUnlock.ChannelMode.cooperative.rawValue, context.unlock.firstOutput == 0,
              context.unlock.maxSteps == 0, items.count == 2, items.allSatisfy({ $0.count == Signature.byteCount })
        else { return try real.checkSpend(context) }
        return CovenantSpend()
    }

    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        try real.checkCreation(context)
    }
}
