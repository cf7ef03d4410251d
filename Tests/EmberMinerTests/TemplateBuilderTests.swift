import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberTestSupport
import Testing

/// Templates follow the rules: the blocks they become (with a nonce found here) pass all four tiers.
@Suite("Block templates")
struct TemplateBuilderTests {
    static let recipient = Lock.pubKeyHash(SigningKey.devnet(index: 7).publicKey.publicKeyHash)
    static let fee = Amount(units: 10_000_000_000 * 1_000)

    /// A PoW chain of 2 blocks on genesis.
    static func powChain() throws -> ChainBuilder {
        var builder = ChainBuilder()
        try builder.extend(by: 2)
        return builder
    }

    @Test("a PoW template: next height, parent hash, next target, Merkle root, coinbase then the selection")
    func powTemplate() throws {
        var builder = try Self.powChain()
        let payment = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 1)!, fee: Self.fee, to: Self.recipient)
        let template = try builder.template(transactions: [payment], fees: Self.fee)
        let parent = builder.tip.header
        #expect(template.header.nonce == .zero)
        #expect(template.header.height == parent.height + 1)
        #expect(template.header.parent == builder.tip.hash)
        #expect(template.header.timestamp == parent.timestamp + builder.params.blockTimeMs)
        #expect(template.header.target == parent.target)
        #expect(template.header.txRoot == MerkleTree.root(of: template.transactions.map(\.digests.fullHash)))
        #expect(template.transactions.dropFirst() == [payment])
        #expect(template.coinbase.inputs.isEmpty)
        guard case .pow = template.reward else { Issue.record("expected a PoW reward, got \(template.reward)"); return }
        #expect(template.burnt == FeeSplit(totalFees: Self.fee).burnt)
        #expect(template.coinbase.outputs[0].amount == template.reward.reward.adding(FeeSplit(totalFees: Self.fee).miner))

        let effects = try builder.append(ChainBuilder.mined(template.block(nonce: .zero)))
        #expect(effects.fees == Self.fee)
    }

    @Test("the timestamp is the clock, or the parent's plus 1 ms when the parent is ahead of the clock")
    func timestamp() throws {
        let builder = try Self.powChain()
        let parentTimestamp = builder.tip.header.timestamp
        #expect(try builder.template(nowMs: parentTimestamp + 1_234).header.timestamp == parentTimestamp + 1_234)
        #expect(try builder.template(nowMs: parentTimestamp - 5_000).header.timestamp == parentTimestamp + 1)
        #expect(try builder.template(nowMs: parentTimestamp).header.timestamp == parentTimestamp + 1)
        _ = try builder.validate(ChainBuilder.mined(builder.template(nowMs: 0).block(nonce: .zero)))
    }

    @Test("past the difficulty window the template carries the adjusted target")
    func adjustedTarget() throws {
        var builder = ChainBuilder()
        // Blocks twice as fast as the block time make the next target smaller than the parent's.
        for _ in 0..<DifficultyAdjustment.window + 2 {
            try builder.append(builder.makeBlock(timestamp: builder.tip.header.timestamp + builder.params.blockTimeMs / 2))
        }
        let template = try builder.template()
        #expect(template.header.target.value < builder.tip.header.target.value)
        _ = try builder.validate(ChainBuilder.mined(template.block(nonce: .zero)))
    }

    @Test("under PoLW the coinbase burns the miner key's coins, signed, and the block is valid")
    func polwTemplate() throws {
        var builder = ChainBuilder(params: ChainBuilder.polwParams())
        let template = try builder.template()
        guard case .polw(_, let burnt, _) = template.reward else {
            Issue.record("expected a PoLW reward, got \(template.reward)")
            return
        }
        #expect(burnt > .zero)
        #expect(template.burnt == burnt)
        #expect(!template.coinbase.inputs.isEmpty)
        let effects = try builder.append(ChainBuilder.mined(template.block(nonce: .zero)))
        #expect(effects.burnt == burnt)
    }

    @Test("under PoLW a key without coins gets a plain error naming the burn and the coins it has")
    func polwWithoutCoins() throws {
        let builder = ChainBuilder(params: ChainBuilder.polwParams())
        let penniless = SigningKey.devnet(index: 9)
        let timestamp = builder.tip.header.timestamp + builder.params.blockTimeMs
        let burnt = try builder.params.reward(target: builder.tip.header.target, timestampMs: timestamp).burnt
        let expected = TemplateError.coinbase(.insufficientCoinsToBurn(needed: burnt, available: .zero))
        #expect(throws: expected) { try builder.template(key: penniless) }
        #expect(expected.needsCoinsToBurn)
        #expect(expected.description.contains("must burn \(burnt) units"))
        #expect(expected.description.contains("miner key has only 0 spendable"))

        let addressOnly = TemplateError.coinbase(.burningKeyMissing(burnt: burnt))
        #expect(throws: addressOnly) {
            try TemplateBuilder(params: builder.params).makeTemplate(
                parent: builder.tipContext, parentHash: builder.tip.hash, nowMs: timestamp, transactions: [], fees: .zero,
                payTo: .pubKeyHash(penniless.publicKey.publicKeyHash), minerKey: nil, spendable: [])
        }
        #expect(addressOnly.needsCoinsToBurn)
    }

    @Test("the burn never takes an output that a selected transaction spends")
    func burnAvoidsSelection() throws {
        let builder = ChainBuilder(params: ChainBuilder.polwParams())
        // The miner key's only coins are its genesis output, which this payment spends.
        let payment = builder.payment(
            from: builder.seedOutPoint(0), key: builder.minerKey, amount: Amount(coins: 1)!, fee: Self.fee, to: Self.recipient)
        let error = try #require(throws: TemplateError.self) {
            try builder.template(transactions: [payment], fees: Self.fee)
        }
        #expect(error.needsCoinsToBurn)
    }

    @Test("a selection that overflows the block is refused")
    func tooManyTransactions() throws {
        let builder = ChainBuilder()
        let payment = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 1)!, fee: Self.fee, to: Self.recipient)
        let limit = builder.params.maxTransactionsPerBlock
        #expect(throws: TemplateError.tooManyTransactions(limit: limit, found: limit + 1)) {
            try builder.template(transactions: Array(repeating: payment, count: limit), fees: .zero)
        }
    }
}
