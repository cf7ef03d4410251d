import EmberConsensus
import EmberCore

/// A block ready to mine: everything but the nonce (DESIGN.md section 10: "the template fixes timestamp
/// and coinbase; an external miner varies only the 24-byte nonce").
public struct BlockTemplate: Hashable, Sendable {
    /// The header with a zero nonce; its target is the one the hash must meet.
    public let header: BlockHeader
    /// The block's transactions, the coinbase first, then the mempool's selection in its order.
    public let transactions: [Transaction]
    /// The reward the coinbase pays itself (PoW or PoLW), before fees.
    public let reward: BlockReward
    /// The sum of the fees of the transactions after the coinbase.
    public let fees: Amount

    /// A template as `TemplateBuilder` makes it; tests and benchmarks also make others (an unreachable
    /// target, say).
    public init(header: BlockHeader, transactions: [Transaction], reward: BlockReward, fees: Amount) {
        self.header = header
        self.transactions = transactions
        self.reward = reward
        self.fees = fees
    }

    /// The coinbase, at index 0.
    public var coinbase: Transaction { transactions[0] }

    /// Everything the block burns: the PoLW burn and the half of the fees the miner does not get.
    public var burnt: Amount {
        reward.burnt.adding(FeeSplit(totalFees: fees).burnt) ?? reward.burnt
    }

    /// The block this template becomes with `nonce`.
    public func block(nonce: Nonce) -> Block {
        var header = header
        header.nonce = nonce
        return Block(header: header, transactions: transactions)
    }
}
