import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberTestSupport
import Testing

@Suite("wallet transaction builder")
struct WalletTransactionBuilderTests {
    static let coin = Amount(units: Amount.unitsPerCoin)
    static let owner = SigningKey.devnet(index: 0)
    static let payee = SigningKey.devnet(index: 1).publicKey.address(on: .devnet)

    static func coins(_ count: UInt128) -> Amount { Amount(units: count * Amount.unitsPerCoin) }

    /// Devnet seed account 0's genesis output, as the node would list it.
    static func seedOutput(_ chain: ChainBuilder) -> WalletOutput {
        let outpoint = chain.seedOutPoint(0)
        let unspent = chain.utxos.unspentOutput(at: outpoint)!
        return WalletOutput(outpoint: outpoint, amount: unspent.output.amount, lockTime: 0, height: 0, isCoinbase: true)
    }

    /// A chain in which seed account 0 holds outputs of the given amounts (in EMB), and those outputs.
    static func chainWithOutputs(_ amounts: [UInt128]) throws -> (ChainBuilder, [WalletOutput]) {
        var chain = ChainBuilder()
        let lock = Lock.pubKeyHash(owner.publicKey.publicKeyHash)
        let split = chain.spend([(chain.seedOutPoint(0), owner)], to: amounts.map { Output(amount: coins($0), lock: lock) })
        try chain.append(chain.makeBlock([split]))
        let txid = split.txid
        let outputs = amounts.enumerated().map { index, amount in
            WalletOutput(outpoint: OutPoint(txid: txid, index: UInt32(index)), amount: coins(amount), height: 1)
        }
        return (chain, outputs)
    }

    static func requiredFee(_ payment: WalletTransactionBuilder.Payment, rate: Amount) -> Amount {
        Amount(units: rate.units * UInt128(payment.digests.size))
    }

    @Test("a payment from a devnet seed output pays the minimum fee, returns change and passes block validation")
    func seedPayment() throws {
        let chain = ChainBuilder()
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        let payment = try builder.build(paying: Self.coins(10), to: Self.payee, from: [Self.seedOutput(chain)], nowMs: chain.nowMs)

        #expect(payment.fee == Self.requiredFee(payment, rate: chain.params.minFeeRate))
        #expect(payment.digests == payment.transaction.digests)
        let change = try #require(payment.change)
        #expect(change >= chain.params.dust)
        #expect(payment.transaction.outputs == [
            Output(amount: Self.coins(10), lock: .pubKeyHash(Self.payee.publicKeyHash)),
            Output(amount: change, lock: .pubKeyHash(Self.owner.publicKey.publicKeyHash)),
        ])
        #expect(Self.coins(10).adding(change)?.adding(payment.fee) == Self.coins(1_000_000))
        let effects = try chain.validate(chain.makeBlock([payment.transaction]))
        #expect(effects.spent.map(\.0) == [chain.seedOutPoint(0)])
        #expect(effects.fees == payment.fee)
    }

    @Test("a higher fee rate is honoured exactly")
    func feeRate() throws {
        let chain = ChainBuilder()
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        let rate = Amount(units: chain.params.minFeeRate.units * 3)
        let payment = try builder.build(
            paying: Self.coins(10), to: Self.payee, from: [Self.seedOutput(chain)], feeRate: rate, nowMs: chain.nowMs)
        #expect(payment.fee == Self.requiredFee(payment, rate: rate))
        _ = try chain.validate(chain.makeBlock([payment.transaction]))
    }

    @Test("change below dust goes to the fee, which still covers the size")
    func changeFoldedIntoFee() throws {
        let (chain, outputs) = try Self.chainWithOutputs([5])
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        // Leaves a surplus of dust minus one unit over the amount: too little for a change output.
        let amount = Amount(units: Self.coins(5).units - chain.params.dust.units + 1)
        let payment = try builder.build(paying: amount, to: Self.payee, from: outputs, nowMs: chain.nowMs)
        #expect(payment.change == nil)
        #expect(payment.transaction.outputs.count == 1)
        #expect(payment.fee == Amount(units: chain.params.dust.units - 1))
        #expect(payment.fee >= Self.requiredFee(payment, rate: chain.params.minFeeRate))
        _ = try chain.validate(chain.makeBlock([payment.transaction]))
    }

    @Test("selection takes the largest outputs first and as few as needed")
    func largestFirst() throws {
        let (chain, outputs) = try Self.chainWithOutputs([1, 7, 3, 5, 2])
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)

        let single = try builder.build(paying: Self.coins(6), to: Self.payee, from: outputs, nowMs: chain.nowMs)
        #expect(single.spent.map(\.amount) == [Self.coins(7)])

        let triple = try builder.build(paying: Self.coins(13), to: Self.payee, from: outputs, nowMs: chain.nowMs)
        #expect(triple.spent.map(\.amount) == [Self.coins(7), Self.coins(5), Self.coins(3)])
        #expect(triple.fee == Self.requiredFee(triple, rate: chain.params.minFeeRate))
        _ = try chain.validate(chain.makeBlock([triple.transaction]))

        // Exactly everything but the fee: all five inputs, no change.
        let all = try builder.build(paying: Self.coins(17), to: Self.payee, from: outputs, nowMs: chain.nowMs)
        #expect(all.spent.count == 5)
        _ = try chain.validate(chain.makeBlock([all.transaction]))
    }

    @Test("insufficient funds say what is available and what is needed, in EMB")
    func insufficientFunds() throws {
        let (chain, outputs) = try Self.chainWithOutputs([1])
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        let error = #expect(throws: WalletBuildError.self) {
            try builder.build(paying: Self.coins(2), to: Self.payee, from: outputs, nowMs: chain.nowMs)
        }
        // One input and one output: 187 bytes at 10^10 units per byte.
        #expect(error?.description
            == "insufficient funds: 1 EMB spendable, 2.00000187 EMB needed (including a fee of 0.00000187 EMB)")

        // The whole balance is not enough either: the fee comes on top.
        #expect(throws: WalletBuildError.self) {
            try builder.build(paying: Self.coins(1), to: Self.payee, from: outputs, nowMs: chain.nowMs)
        }
    }

    @Test("time-locked outputs are not spent, and an all-locked wallet says so")
    func lockedOutputs() throws {
        let (chain, outputs) = try Self.chainWithOutputs([4, 6])
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        let locked = WalletOutput(
            outpoint: outputs[1].outpoint, amount: outputs[1].amount, lockTime: chain.nowMs + 1, height: 1)

        let payment = try builder.build(paying: Self.coins(3), to: Self.payee, from: [outputs[0], locked], nowMs: chain.nowMs)
        #expect(payment.spent.map(\.outpoint) == [outputs[0].outpoint])

        let error = #expect(throws: WalletBuildError.self) {
            try builder.build(paying: Self.coins(3), to: Self.payee, from: [locked], nowMs: chain.nowMs)
        }
        #expect(error?.description == "nothing to spend yet: 6 EMB is still time-locked")
        #expect(throws: WalletBuildError.noSpendableOutputs(locked: .zero)) {
            try builder.build(paying: Self.coins(3), to: Self.payee, from: [], nowMs: chain.nowMs)
        }
    }

    @Test("outputs worth less than the fee of spending them are left alone")
    func uneconomicOutputs() throws {
        let chain = ChainBuilder()
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        let tiny = WalletOutput(outpoint: OutPoint(txid: .zero, index: 0), amount: Amount(units: 1_000), height: 1)
        #expect(throws: WalletBuildError.noSpendableOutputs(locked: .zero)) {
            try builder.build(paying: chain.params.dust, to: Self.payee, from: [tiny], nowMs: chain.nowMs)
        }
        let payment = try builder.build(
            paying: Self.coins(1), to: Self.payee, from: [tiny, Self.seedOutput(chain)], nowMs: chain.nowMs)
        #expect(payment.spent == [Self.seedOutput(chain)])
    }

    @Test("a duplicated output from the node is spent once")
    func duplicateOutputs() throws {
        let chain = ChainBuilder()
        let builder = WalletTransactionBuilder(params: chain.params, key: Self.owner)
        let seed = Self.seedOutput(chain)
        let payment = try builder.build(paying: Self.coins(999_999), to: Self.payee, from: [seed, seed], nowMs: chain.nowMs)
        #expect(payment.spent == [seed])
        _ = try chain.validate(chain.makeBlock([payment.transaction]))
    }

    @Test("bad requests are refused with their reason")
    func refusals() throws {
        let chain = ChainBuilder()
        let params = chain.params
        let builder = WalletTransactionBuilder(params: params, key: Self.owner)
        let seed = [Self.seedOutput(chain)]
        let belowDust = Amount(units: params.dust.units - 1)
        let error = #expect(throws: WalletBuildError.self) {
            try builder.build(paying: belowDust, to: Self.payee, from: seed, nowMs: chain.nowMs)
        }
        #expect(error?.description
            == "the amount 0.000999999999999999 EMB is below the smallest output the network accepts, 0.001 EMB")
        #expect(throws: WalletBuildError.feeRateBelowMinimum(rate: Amount(units: 1), minimum: params.minFeeRate)) {
            try builder.build(paying: Self.coins(1), to: Self.payee, from: seed, feeRate: Amount(units: 1), nowMs: chain.nowMs)
        }
        let mainnetPayee = SigningKey.devnet(index: 1).publicKey.address(on: .mainnet)
        #expect(throws: WalletBuildError.wrongNetwork(address: mainnetPayee, expected: .devnet)) {
            try builder.build(paying: Self.coins(1), to: mainnetPayee, from: seed, nowMs: chain.nowMs)
        }
        #expect(throws: WalletBuildError.amountAboveMaximum(amount: Amount(units: .max), maximum: params.maxAmount)) {
            try builder.build(paying: Amount(units: .max), to: Self.payee, from: seed, nowMs: chain.nowMs)
        }
        #expect(throws: WalletBuildError.overflow) {
            try builder.build(paying: Self.coins(1), to: Self.payee, from: seed, feeRate: Amount(units: .max), nowMs: chain.nowMs)
        }
    }
}
