import EmberConsensus
import EmberCore
import EmberCrypto

/// Builds block templates through the consensus rules: the target of section 7, the reward of sections
/// 8-9 and the coinbase of section 10. Pure: the clock reading and the mempool's selection come in.
public struct TemplateBuilder: Sendable {
    /// The rules the templates follow.
    public let params: ConsensusParams

    public init(params: ConsensusParams) {
        self.params = params
    }

    /// The timestamp of a block mined now on a parent: our clock, or just after the parent when the
    /// parent is stamped ahead of our clock (section 5 wants it strictly later).
    public static func timestamp(nowMs: UInt64, parentTimestampMs: UInt64) -> UInt64 {
        max(nowMs, parentTimestampMs &+ 1)
    }

    /// The template of the next block on `parent`.
    ///
    /// - Parameters:
    ///   - parent: the parent's header and the timestamp its difficulty span starts at.
    ///   - parentHash: the parent's block hash, as the chain already holds it.
    ///   - nowMs: the clock, in milliseconds since the Unix epoch.
    ///   - transactions: the mempool's selection, parents before children, each valid on the parent's
    ///     UTXO set; they follow the coinbase in this order.
    ///   - fees: the sum of their fees.
    ///   - payTo: the lock the reward goes to.
    ///   - minerKey: the key whose coins are burnt; needed only while PoLW is active.
    ///   - spendable: the miner key's unspent outputs; those the selected transactions spend are left
    ///     out, so the burn never conflicts with them.
    public func makeTemplate(
        parent: ParentContext, parentHash: Hash32, nowMs: UInt64,
        transactions: [Transaction], fees: Amount,
        payTo: Lock, minerKey: SigningKey?, spendable: [(OutPoint, UnspentOutput)]
    ) throws(TemplateError) -> BlockTemplate {
        let parentHeader = parent.header
        guard parentHeader.height < UInt64.max else { throw .heightExhausted }
        let height = parentHeader.height + 1
        let timestamp = Self.timestamp(nowMs: nowMs, parentTimestampMs: parentHeader.timestamp)
        let target: CompactTarget
        let reward: BlockReward
        do {
            target = try params.nextTarget(after: parent)
            reward = try params.reward(target: target, timestampMs: timestamp)
        } catch {
            throw .parentTarget(error)
        }

        let spentBySelection = Set(transactions.lazy.flatMap(\.inputs).map(\.outpoint))
        let coinbase: Transaction
        do {
            coinbase = try params.makeCoinbase(
                height: height, timestamp: timestamp, reward: reward, fees: fees, payTo: payTo,
                burningKey: minerKey, spendable: spendable.filter { !spentBySelection.contains($0.0) })
        } catch {
            throw .coinbase(error)
        }

        let all = [coinbase] + transactions
        guard all.count <= params.maxTransactionsPerBlock else {
            throw .tooManyTransactions(limit: params.maxTransactionsPerBlock, found: all.count)
        }
        let digests = all.map(\.digests)
        let weight = zip(all, digests).reduce(BlockHeader.encodedSize + Varint.encodedSize(of: UInt128(all.count))) {
            $0 + params.weight(of: $1.0, size: $1.1.size)
        }
        guard weight <= params.maxBlockWeight else { throw .tooHeavy(limit: params.maxBlockWeight, found: weight) }

        let header = BlockHeader(
            nonce: .zero, height: height, parent: parentHash, txRoot: MerkleTree.root(of: digests.map(\.fullHash)),
            timestamp: timestamp, target: target)
        return BlockTemplate(header: header, transactions: all, reward: reward, fees: fees)
    }
}
