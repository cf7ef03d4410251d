import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTestSupport
import Testing

/// Fee sponsorship on the test-only covenant rules (escrow tag 3: commit, exit, finalize).
@Suite("sponsored covenant transactions")
struct SponsoredTransactionBuilderTests {
    /// DESIGN.md section 4: 10^10 units per byte (now per weight unit) on every network.
    static let minFeeRate: UInt128 = 10_000_000_000
    static let coin: UInt128 = 1_000_000_000_000_000_000
    static let chainId = Hash32(hex: String(repeating: "c4", count: 32))!
    static let funder = SigningKey.devnet(index: 2)

    /// A chain on the test rules with a 10-EMB escrow confirmed, and the funder's seed output.
    static func chainWithEscrow() throws -> (ChainBuilder, escrow: OutPoint, lock: PlasmaOperatorLock) {
        var chain = ChainBuilder(params: TestCovenants.params())
        let payer = SigningKey.devnet(index: 1)
        let seed = chain.seedOutPoint(1)
        let seedAmount = try #require(chain.utxos.outputs[seed]).output.amount.units
        let lock = PlasmaOperatorLock(chainId: chainId, operatorKey: RawPublicKey(SigningKey.devnet(index: 3).publicKey.bytes)!, nextNumber: 1)
        let creation = chain.spend([(seed, payer)], to: [
            Output(amount: Amount(units: 10 * coin), lock: .plasmaOperator(lock)),
            Output(amount: Amount(units: seedAmount - 10 * coin - coin / 100), lock: .pubKeyHash(payer.publicKey.publicKeyHash)),
        ])
        try chain.append(chain.makeBlock([creation]))
        return (chain, OutPoint(txid: creation.txid, index: 0), lock)
    }

    static func funding(_ chain: ChainBuilder) throws -> [WalletOutput] {
        let outpoint = chain.seedOutPoint(2)
        let unspent = try #require(chain.utxos.outputs[outpoint])
        return [WalletOutput(outpoint: outpoint, amount: unspent.output.amount, lockTime: unspent.output.lockTime, height: unspent.height,
                             isCoinbase: unspent.isCoinbase)]
    }

    @Test("a commit is sponsored by the funder: pinned outputs at firstOutput 0, change last, fee exactly the weight's, valid in a block")
    func sponsoredCommit() throws {
        var (chain, escrow, lock) = try Self.chainWithEscrow()
        let blob: [UInt8] = [0xde, 0xad, 0xbe, 0xef]
        var next = lock
        next.nextNumber = 2
        let pinned = [
            Output(amount: Amount(units: 10 * Self.coin), lock: .plasmaOperator(next)),
            Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: Self.chainId, number: 1, root: Blake3.hash(blob)))),
        ]
        let input = CovenantSpendInput(
            outpoint: escrow, spent: try #require(chain.utxos.outputs[escrow]),
            unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.commit.rawValue, firstOutput: 0)), witness: Witness(items: []),
            pinned: pinned)
        let funding = try Self.funding(chain)
        let builder = SponsoredTransactionBuilder(params: chain.params, fundingKey: Self.funder)
        let built = try builder.build(
            CovenantTransactionRequest(covenantInputs: [input], blobs: [blob]), funding: funding, height: chain.tip.header.height + 1,
            nowMs: chain.nowMs)

        let transaction = built.transaction
        #expect(transaction.version == 2)
        #expect(transaction.inputs.map(\.outpoint) == [escrow, funding[0].outpoint])
        #expect(Array(transaction.outputs.prefix(2)) == pinned)
        #expect(transaction.outputs.count == 3)
        #expect(transaction.outputs[2].lock == .pubKeyHash(Self.funder.publicKey.publicKeyHash))
        // The escrow's 10 EMB go to the pinned escrow: the funder pays the whole fee.
        let fee = funding[0].amount.units - transaction.outputs[2].amount.units
        #expect(fee == Self.minFeeRate * UInt128(transaction.encoded.count))
        #expect(built.fee.units == fee && built.burnt == .zero && built.change == transaction.outputs[2].amount)
        try chain.append(chain.makeBlock([transaction]))
    }

    @Test("an exit burns half the escrow outside the fee; the escrow pays its own fee, so no funding input is taken")
    func exitBurns() throws {
        var (chain, escrow, _) = try Self.chainWithEscrow()
        let input = CovenantSpendInput(
            outpoint: escrow, spent: try #require(chain.utxos.outputs[escrow]),
            unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.exit.rawValue, firstOutput: 0)), witness: Witness(items: []))
        let builder = SponsoredTransactionBuilder(params: chain.params, fundingKey: Self.funder)
        let built = try builder.build(
            CovenantTransactionRequest(covenantInputs: [input]), funding: try Self.funding(chain), height: chain.tip.header.height + 1,
            nowMs: chain.nowMs)
        #expect(built.transaction.inputs.count == 1)
        #expect(built.burnt.units == 5 * Self.coin)
        let change = try #require(built.transaction.outputs.first)
        #expect(built.transaction.outputs.count == 1)
        #expect(10 * Self.coin - 5 * Self.coin - change.amount.units == Self.minFeeRate * UInt128(built.transaction.encoded.count))
        try chain.append(chain.makeBlock([built.transaction]))
    }

    @Test("declared VM runs are paid for: fee = minFeeRate × (size + ⌈maxSteps / 64⌉ + the run weight)")
    func declaredStepsInWeight() throws {
        let params = TestCovenants.params()
        let channel = ChannelParams(
            keyA: RawPublicKey(SigningKey.devnet(index: 4).publicKey.bytes)!, keyB: RawPublicKey(SigningKey.devnet(index: 5).publicKey.bytes)!,
            window: 10, app: .zero)
        let channelOut = OutPoint(txid: Hash32(hex: String(repeating: "77", count: 32))!, index: 0)
        // At height 5, a deadline D must satisfy 15 ≤ D ≤ 25.
        let deadline: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 20]
        let input = CovenantSpendInput(
            outpoint: channelOut, spent: UnspentOutput(output: Output(amount: Amount(units: 2 * Self.coin), lock: .channel(channel)), height: 1, isCoinbase: false),
            unlock: .channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0, maxSteps: 640)),
            witness: Witness(items: [deadline]))
        let built = try SponsoredTransactionBuilder(params: params, fundingKey: Self.funder).build(
            CovenantTransactionRequest(covenantInputs: [input]), funding: [], height: 5, nowMs: 1)
        let change = try #require(built.transaction.outputs.last).amount.units
        #expect(2 * Self.coin - change == Self.minFeeRate * UInt128(built.transaction.encoded.count + 10 + 65_536))
        #expect(built.weight == built.transaction.encoded.count + 10 + 65_536)
    }

    @Test("coin selection is the fewest outputs, largest first, ties by outpoint")
    func deterministicSelection() throws {
        let params = TestCovenants.params()
        func outpoint(_ byte: String, _ index: UInt32) -> OutPoint { OutPoint(txid: Hash32(hex: String(repeating: byte, count: 32))!, index: index) }
        let funding = [
            WalletOutput(outpoint: outpoint("01", 0), amount: Amount(units: 1 * Self.coin)),
            WalletOutput(outpoint: outpoint("09", 0), amount: Amount(units: 5 * Self.coin)),
            WalletOutput(outpoint: outpoint("05", 1), amount: Amount(units: 5 * Self.coin)),
            WalletOutput(outpoint: outpoint("03", 0), amount: Amount(units: 3 * Self.coin)),
        ]
        let payee = Output(amount: Amount(units: 4 * Self.coin), lock: .pubKeyHash(Hash32(hex: String(repeating: "ee", count: 32))!))
        let builder = SponsoredTransactionBuilder(params: params, fundingKey: Self.funder)
        let built = try builder.build(CovenantTransactionRequest(covenantInputs: [], otherOutputs: [payee]), funding: funding, height: 1, nowMs: 1)
        #expect(built.transaction.inputs.map(\.outpoint) == [outpoint("05", 1)])
        #expect(built.transaction.outputs.first == payee)
        let change = try #require(built.change).units
        #expect(5 * Self.coin - 4 * Self.coin - change == Self.minFeeRate * UInt128(built.transaction.encoded.count))
        // 9 EMB needs two: both 5-EMB outputs.
        let bigger = Output(amount: Amount(units: 9 * Self.coin), lock: payee.lock)
        let two = try builder.build(CovenantTransactionRequest(covenantInputs: [], otherOutputs: [bigger]), funding: funding, height: 1, nowMs: 1)
        #expect(two.transaction.inputs.map(\.outpoint) == [outpoint("05", 1), outpoint("09", 0)])
    }

    @Test("not enough funds says what is available and what is needed")
    func insufficientFunds() throws {
        let params = TestCovenants.params()
        let funding = [WalletOutput(outpoint: OutPoint(txid: Hash32(hex: String(repeating: "02", count: 32))!, index: 0), amount: Amount(units: 2 * Self.coin))]
        let payee = Output(amount: Amount(units: 3 * Self.coin), lock: .pubKeyHash(.zero))
        let builder = SponsoredTransactionBuilder(params: params, fundingKey: Self.funder)
        do {
            _ = try builder.build(CovenantTransactionRequest(covenantInputs: [], otherOutputs: [payee]), funding: funding, height: 1, nowMs: 1)
            Issue.record("built a transaction paying more than the funds")
        } catch {
            guard case .insufficientFunds(let available, let needed) = error else { Issue.record("\(error)"); return }
            #expect(available.units == 2 * Self.coin)
            #expect(needed.units > 3 * Self.coin && needed.units < 3 * Self.coin + Self.coin / 1_000)
        }
    }

    @Test("a covenant tag with no rule on the network is reported not active")
    func notActive() throws {
        // Every Ember network runs the Truebit rules; a network built without them does not.
        let params = ChainBuilder.fastParams().withCovenantRules(CovenantRules(identity: "channels", rules: [ChannelRule()]))
        let lock = TruebitRefutedLock(solutionId: .zero, challengerKey: RawPublicKey(Self.funder.publicKey.bytes)!)
        let input = CovenantSpendInput(
            outpoint: OutPoint(txid: .zero, index: 0),
            spent: UnspentOutput(output: Output(amount: .zero, lock: .truebitRefuted(lock)), height: 0, isCoinbase: false),
            unlock: .truebit(CovenantUnlock(mode: CovenantUnlock.TruebitMode.payout.rawValue, firstOutput: 0)), witness: Witness(items: []))
        #expect(throws: SponsorshipError.covenant(input: 0, .notActive(lockTag: Lock.Tag.truebitRefuted))) {
            try SponsoredTransactionBuilder(params: params, fundingKey: Self.funder).build(
                CovenantTransactionRequest(covenantInputs: [input]), funding: [], height: 1, nowMs: 1)
        }
    }

    @Test("pinned ranges that overlap or run past the outputs are refused before anything is signed")
    func pinnedLayout() throws {
        let output = Output(amount: Amount(units: Self.coin), lock: .pubKeyHash(.zero))
        let escrow = UnspentOutput(
            output: Output(amount: Amount(units: Self.coin), lock: .plasmaOperator(
                PlasmaOperatorLock(chainId: Self.chainId, operatorKey: RawPublicKey(Self.funder.publicKey.bytes)!, nextNumber: 1))),
            height: 0, isCoinbase: false)
        let input = CovenantSpendInput(
            outpoint: OutPoint(txid: .zero, index: 0), spent: escrow,
            unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.finalize.rawValue, firstOutput: 1)), witness: Witness(items: []),
            pinned: [output])
        #expect(throws: SponsorshipError.pinnedLayout("input 0 pins outputs 1..<2, past the 1 outputs")) {
            try SponsoredTransactionBuilder(params: TestCovenants.params(), fundingKey: Self.funder).build(
                CovenantTransactionRequest(covenantInputs: [input]), funding: [], height: 1, nowMs: 1)
        }
    }
}
