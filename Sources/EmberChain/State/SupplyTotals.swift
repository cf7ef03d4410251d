import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// How much coin the active chain has minted and burnt (PoLW burns, half of every fee, covenant burns).
///
/// Each connected block's figures come from its `BlockEffects` and are stored with its undo data
/// (`BlockSupply`), so a disconnection subtracts exactly what the connection added and a restart sums
/// stored figures instead of replaying blocks. Every sum is checked: a total that overflows, or a
/// subtraction that goes below zero, means the store contradicts itself and is reported as such.
public struct SupplyTotals: Hashable, Sendable {
    public var minted: Amount
    public var burnt: Amount

    public static let zero = SupplyTotals(minted: .zero, burnt: .zero)

    public init(minted: Amount, burnt: Amount) {
        self.minted = minted
        self.burnt = burnt
    }

    public init(_ figures: BlockSupply) {
        self.init(minted: figures.minted, burnt: figures.burnt)
    }

    /// What a block that just passed tier 4 minted and burnt: its reward, and its PoLW burn, the
    /// burnt half of its fees and its covenants' burns.
    public static func figures(of effects: BlockEffects) -> BlockSupply {
        BlockSupply(minted: effects.reward.reward, burnt: effects.burnt)
    }

    /// These totals plus one block's figures; throws when a sum overflows, which no valid chain does.
    func adding(_ figures: BlockSupply) throws(ChainError) -> SupplyTotals {
        guard let minted = minted.adding(figures.minted), let burnt = burnt.adding(figures.burnt) else {
            throw .inconsistentStore("the supply totals (minted \(minted), burnt \(burnt)) overflow when adding \(figures.minted) minted and \(figures.burnt) burnt")
        }
        return SupplyTotals(minted: minted, burnt: burnt)
    }

    /// These totals less one block's figures; throws when either would go below zero, which means
    /// the figures removed were never added.
    func subtracting(_ figures: BlockSupply) throws(ChainError) -> SupplyTotals {
        guard let minted = minted.subtracting(figures.minted), let burnt = burnt.subtracting(figures.burnt) else {
            throw .inconsistentStore("the supply totals (minted \(minted), burnt \(burnt)) are smaller than the \(figures.minted) minted and \(figures.burnt) burnt of the block removed")
        }
        return SupplyTotals(minted: minted, burnt: burnt)
    }

    /// What a block connected before the store kept supply figures minted and burnt, from its body and
    /// the entries it spent (its undo data), counting every `Σin − Σout` as fee.
    ///
    /// Exact for such a block: it was connected before protocol v2, when no covenant was active, so
    /// nothing but fees separates its inputs from its outputs. A block that spends a covenant output
    /// could hide a covenant burn in that difference, so it is refused rather than guessed at, as is
    /// an input found neither in the undo data nor earlier in the block, and any sum that overflows.
    public static func preV2Figures(of block: Block, spent: [UTXO], params: ConsensusParams) throws(ChainError) -> BlockSupply {
        let hash = block.hash
        guard block.header.height > 0 else { return .zero }
        let reward: BlockReward
        do {
            reward = try params.reward(target: block.header.target, timestampMs: block.header.timestamp)
        } catch {
            throw .inconsistentStore("the reward of stored block \(hash) cannot be computed: \(error)")
        }
        var available = [OutPoint: Output]()
        for utxo in spent { available[utxo.outpoint] = utxo.entry.output }
        var fees = Amount.zero
        for (position, transaction) in block.transactions.enumerated() {
            let txid = transaction.txid
            if position > 0 {
                var inputSum = Amount.zero
                for input in transaction.inputs {
                    guard let output = available.removeValue(forKey: input.outpoint) else {
                        throw .inconsistentStore("block \(hash) spends \(input.outpoint.txid):\(input.outpoint.index), which neither its undo data nor the block holds")
                    }
                    guard output.lock.tag == Lock.Tag.pubKeyHash else {
                        throw .inconsistentStore("block \(hash) has no stored supply figures but spends covenant output \(input.outpoint.txid):\(input.outpoint.index) (lock tag \(output.lock.tag)), whose burn its inputs and outputs do not show")
                    }
                    guard let sum = inputSum.adding(output.amount) else {
                        throw .inconsistentStore("the inputs of transaction \(txid) in block \(hash) overflow")
                    }
                    inputSum = sum
                }
                guard let outputSum = transaction.outputs.map(\.amount).checkedSum(),
                    let fee = inputSum.subtracting(outputSum), let total = fees.adding(fee)
                else {
                    throw .inconsistentStore("transaction \(txid) in block \(hash) pays out more than its inputs \(inputSum), or its sums overflow")
                }
                fees = total
            }
            for (offset, output) in transaction.outputs.enumerated() {
                available[OutPoint(txid: txid, index: UInt32(offset))] = output
            }
        }
        guard let burnt = reward.burnt.adding(FeeSplit(totalFees: fees).burnt) else {
            throw .inconsistentStore("the burn of block \(hash) overflows")
        }
        return BlockSupply(minted: reward.reward, burnt: burnt)
    }

    /// What one block minted and burnt, re-derived from its body and undo data with the pre-v2
    /// formula, for displaying a block. Not exact for a block with covenant burns, and silent about
    /// inputs it cannot find: the chain uses the figures stored with the undo data
    /// (`ChainStore.supply(of:)`) instead, and so should the block view.
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
}
