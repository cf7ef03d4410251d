import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode

/// Builds a channel's funding transaction (DESIGN.md section 16, "Opening order"): the opener's inputs
/// and the responder's, one channel output at index 0 holding both shares, then each side's change. The
/// opener pays the fee. The responder funds from its channel key (keyB). Witnesses stay empty: each side signs its inputs only after holding the
/// co-signed refund.
struct FundingTransactionBuilder {
    let params: ConsensusParams
    let openerKey: SigningKey

    static let placeholderWitness = Witness(items: [[UInt8](repeating: 0, count: 64)])

    func build(
        openerOutputs: [WalletOutput], openerAmount: Amount, contribution: FundingContribution, responderAmount: Amount,
        channel: ChannelParams, nowMs: UInt64
    ) throws(ChannelServiceError) -> Transaction {
        let responderIn = contribution.inputs.map(\.amount).checkedSum() ?? .zero
        let responderChange = contribution.change?.amount ?? .zero
        guard responderIn.subtracting(responderChange) == responderAmount else {
            throw .protocolViolation("the responder's inputs less its change are not its share of \(responderAmount)")
        }
        guard let total = openerAmount.adding(responderAmount) else { throw .funding("the amounts overflow") }
        let ownLock = Lock.pubKeyHash(openerKey.publicKey.publicKeyHash)
        let rawKey = RawPublicKey(openerKey.publicKey.bytes)!
        let candidates = openerOutputs.filter { $0.isSpendable(atMs: nowMs) }.sorted { $0.amount > $1.amount }
        var chosen = [WalletOutput]()
        var held = Amount.zero
        for candidate in candidates {
            chosen.append(candidate)
            guard let sum = held.adding(candidate.amount) else { throw .funding("the wallet's outputs overflow") }
            held = sum
            guard chosen.count + contribution.inputs.count <= params.maxListLength else { break }
            var fee = Amount.zero
            for _ in 0..<4 {
                guard let change = held.subtracting(openerAmount)?.subtracting(fee) else { break }
                let transaction = assemble(
                    chosen: chosen, key: rawKey, contribution: contribution, total: total, channel: channel,
                    change: change >= params.dust ? Output(amount: change, lock: ownLock) : nil)
                var sized = transaction
                sized.witnesses = Array(repeating: Self.placeholderWitness, count: transaction.inputs.count)
                let required = params.minimumFee(weight: params.weight(of: sized, size: sized.encoded.count))
                if fee >= required { return transaction }
                fee = required
            }
        }
        throw .funding("the wallet holds \(held) spendable, not enough for \(openerAmount) and the fee")
    }

    private func assemble(
        chosen: [WalletOutput], key: RawPublicKey, contribution: FundingContribution, total: Amount, channel: ChannelParams,
        change: Output?
    ) -> Transaction {
        let inputs = chosen.map { Input(outpoint: $0.outpoint, unlock: .publicKey(key)) }
            + contribution.inputs.map { Input(outpoint: $0.outpoint, unlock: .publicKey(channel.keyB)) }
        var outputs = [Output(amount: total, lock: .channel(channel))]
        if let change { outputs.append(change) }
        if let responderChange = contribution.change { outputs.append(responderChange) }
        return Transaction(version: Transaction.version2, inputs: inputs, reads: [], outputs: outputs, blobs: [], witnesses: [])
    }
}
