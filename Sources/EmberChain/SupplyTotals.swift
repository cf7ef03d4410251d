import EmberConsensus
import EmberCore
import EmberCrypto

/// How much coin the active chain has minted and burnt (PoLW burns and half of every fee).
public struct SupplyTotals: Hashable, Sendable {
    public var minted: Amount
    public var burnt: Amount

    public static let zero = SupplyTotals(minted: .zero, burnt: .zero)

    public init(minted: Amount, burnt: Amount) {
        self.minted = minted
        self.burnt = burnt
    }

    /// What one block minted and burnt, from its body and the outputs it spent from before it (its
    /// undo data); exact, since every fee is an input minus an output.
    public static func of(_ block: Block, spent: [OutPoint: UnspentOutput], params: ConsensusParams) -> SupplyTotals {
        guard block.header.height > 0, let reward = try? params.reward(target: block.header.target, timestampMs: block.header.timestamp) else {
            return .zero
        }
        var createdInBlock = [OutPoint: Amount]()
        var fees = Amount.zero
        for (index, transaction) in block.transactions.enumerated() {
            let txid = transaction.txid
            if index > 0 {
                let inputs = transaction.inputs.compactMap { createdInBlock[$0.outpoint] ?? spent[$0.outpoint]?.output.amount }
                if let inputSum = inputs.checkedSum(), let outputSum = transaction.outputs.map(\.amount).checkedSum(),
                   let fee = inputSum.subtracting(outputSum) {
                    fees = fees.adding(fee) ?? fees
                }
            }
            for (offset, output) in transaction.outputs.enumerated() {
                createdInBlock[OutPoint(txid: txid, index: UInt32(offset))] = output.amount
            }
        }
        let burnt = reward.burnt.adding(FeeSplit(totalFees: fees).burnt) ?? reward.burnt
        return SupplyTotals(minted: reward.reward, burnt: burnt)
    }

    mutating func add(_ other: SupplyTotals) {
        minted = minted.adding(other.minted) ?? minted
        burnt = burnt.adding(other.burnt) ?? burnt
    }

    mutating func subtract(_ other: SupplyTotals) {
        minted = minted.subtracting(other.minted) ?? .zero
        burnt = burnt.subtracting(other.burnt) ?? .zero
    }
}
