import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The covenant framework of DESIGN.md section 15, run on the test-only rules of `TestCovenants`
/// (see there): each test breaks one framework rule on a valid chain and expects exactly its rejection.
@Suite("Covenant framework, one rule broken at a time")
struct CovenantFrameworkTests {
    static let operatorKey = SigningKey.devnet(index: 5)
    static let sponsor = SigningKey.devnet(index: 2)
    static let coin = Amount(coins: 1)!
    static let fee = Amount(units: 10_000_000_000 * 100_000)
    static let chainId = Hash32(Array(repeating: 0xc1, count: 32))!

    static var escrowLock: PlasmaOperatorLock {
        PlasmaOperatorLock(chainId: chainId, operatorKey: RawPublicKey(operatorKey.publicKey.bytes)!, nextNumber: 1)
    }

    static func commit(firstOutput: UInt64 = 0) -> Unlock {
        .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.commit.rawValue, firstOutput: firstOutput))
    }

    static func plasma(_ mode: CovenantUnlock.PlasmaMode, firstOutput: UInt64 = 0) -> Unlock {
        .plasma(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput))
    }

    static let empty = Witness(items: [])

    /// A chain on the test rules with one escrow of 10 coins (output 0 of the tip's second transaction).
    struct Setup {
        var builder: ChainBuilder
        var escrow: OutPoint
        var sponsorCoin: OutPoint

        /// Change back to the sponsor for a transaction spending its whole seed output plus `extraIn`,
        /// paying `outputs` and burning `burnt`, with `fee` left over.
        func change(extraIn: Amount = .zero, outputs: [Output], burnt: Amount = .zero) -> Output {
            let held = builder.utxos.unspentOutput(at: sponsorCoin)!.output.amount.adding(extraIn)!
            let paid = outputs.map(\.amount).checkedSum()!.adding(burnt)!.adding(CovenantFrameworkTests.fee)!
            return Output(amount: held.subtracting(paid)!, lock: .pubKeyHash(CovenantFrameworkTests.sponsor.publicKey.publicKeyHash))
        }
    }

    static func setup(escrowAmount: Amount = Amount(coins: 10)!) throws -> Setup {
        var builder = ChainBuilder(params: TestCovenants.params())
        try builder.extend(by: 1)
        let funding = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: escrowAmount, fee: fee, to: .plasmaOperator(escrowLock))
        try builder.append(builder.makeBlock([funding]))
        return Setup(builder: builder, escrow: OutPoint(txid: funding.txid, index: 0), sponsorCoin: builder.seedOutPoint(2))
    }

    /// The outputs a valid commit of the setup's escrow pins, with `blob` as the committed data.
    static func commitOutputs(_ setup: Setup, blob: [UInt8]) -> [Output] {
        var next = escrowLock
        next.nextNumber = 2
        let amount = setup.builder.utxos.unspentOutput(at: setup.escrow)!.output.amount
        return [
            Output(amount: amount, lock: .plasmaOperator(next)),
            Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: chainId, number: 1, root: Blake3.hash(blob)))),
        ]
    }

    func expectRejection(
        _ transaction: Transaction, on setup: Setup, _ expected: TransactionRejection, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let block = setup.builder.makeBlock([transaction])
        #expect(throws: BlockRejection.transaction(index: 1, expected), sourceLocation: sourceLocation) {
            try setup.builder.validate(block)
        }
    }

    func commitTransaction(_ setup: Setup, outputs: [Output], blob: [UInt8] = [1, 2, 3], firstOutput: UInt64 = 0) -> Transaction {
        setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.commit(firstOutput: firstOutput), Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)],
            outputs: outputs, blobs: [blob])
    }

    // MARK: Pinned outputs

    @Test("a spend whose pinned outputs are exact is valid, and a fee sponsor may add inputs and change")
    func validCommit() throws {
        var setup = try Self.setup()
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        let transaction = commitTransaction(setup, outputs: pinned + [setup.change(outputs: [])])
        let effects = try setup.builder.append(setup.builder.makeBlock([transaction]))
        #expect(effects.fees == Self.fee)
        #expect(effects.covenantBurnt == .zero)
        #expect(setup.builder.utxos.unspentOutput(at: OutPoint(txid: transaction.txid, index: 1))?.output == pinned[1])
    }

    @Test("pinned outputs may start after free outputs")
    func pinnedAfterFreeOutputs() throws {
        var setup = try Self.setup()
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        let transaction = commitTransaction(setup, outputs: [setup.change(outputs: [])] + pinned, firstOutput: 1)
        try setup.builder.append(setup.builder.makeBlock([transaction]))
    }

    @Test("a pinned output that differs by one unit, in its lock, its lockTime or its data is refused",
          arguments: ["amount", "lock", "lockTime", "data"])
    func pinnedOutputDiffers(field: String) throws {
        let setup = try Self.setup()
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        var changed = pinned
        switch field {
        case "amount": changed[0].amount = Amount(units: pinned[0].amount.units - 1)
        case "lock": changed[1].lock = .plasmaBlock(PlasmaBlockLock(chainId: Self.chainId, number: 2, root: Blake3.hash([1, 2, 3])))
        case "lockTime": changed[1].lockTime = 1
        default: changed[0].data = [0]
        }
        let index = field == "amount" || field == "data" ? 0 : 1
        let transaction = commitTransaction(setup, outputs: changed + [setup.change(outputs: field == "amount" ? [changed[0]] : [])])
        expectRejection(transaction, on: setup, .covenant(.pinnedOutputDiffers(input: 0, output: index, expected: pinned[index], found: changed[index])))
    }

    @Test("pinned outputs past the end of the output list are refused")
    func pinnedOutOfBounds() throws {
        let setup = try Self.setup()
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        let transaction = commitTransaction(setup, outputs: pinned + [setup.change(outputs: [])], firstOutput: 2)
        expectRejection(transaction, on: setup, .covenant(.pinnedRangeOutOfBounds(input: 0, firstOutput: 2, count: 2, outputs: 3)))
    }

    @Test("two inputs cannot pin the same output")
    func pinnedRangesOverlap() throws {
        var setup = try Self.setup()
        let second = setup.builder.payment(
            from: setup.builder.seedOutPoint(3), key: .devnet(index: 3), amount: Amount(coins: 10)!, fee: Self.fee,
            to: .plasmaOperator(Self.escrowLock))
        try setup.builder.append(setup.builder.makeBlock([second]))
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.commit(), Self.empty), (OutPoint(txid: second.txid, index: 0), Self.commit(), Self.empty)],
            plain: [(setup.sponsorCoin, Self.sponsor)], outputs: pinned + [setup.change(extraIn: Amount(coins: 10)!, outputs: pinned)],
            blobs: [[1, 2, 3]])
        expectRejection(transaction, on: setup, .covenant(.pinnedRangesOverlap(output: 0, firstInput: 0, secondInput: 1)))
    }

    @Test("a spend that pins nothing needs firstOutput 0")
    func firstOutputOfNothing() throws {
        let setup = try Self.setup()
        let burnt = Amount(coins: 5)!
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.plasma(.exit, firstOutput: 1), Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)],
            outputs: [setup.change(extraIn: Amount(coins: 10)!, outputs: [], burnt: burnt)])
        expectRejection(transaction, on: setup, .covenant(.firstOutputNotZero(input: 0, found: 1)))
    }

    // MARK: Burns

    @Test("what is left after a covenant's burn must still pay the minimum fee")
    func feeAfterTheBurn() throws {
        let setup = try Self.setup()
        // The inputs exceed the outputs by the 5-coin burn plus one unit: enough before the burn, one
        // unit after it.
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.plasma(.exit), Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)],
            outputs: [setup.change(extraIn: Amount(units: Amount(coins: 10)!.units + Self.fee.units - 1), outputs: [], burnt: Amount(coins: 5)!)])
        let required = Amount(units: 10_000_000_000 * UInt128(transaction.digests.size))
        expectRejection(transaction, on: setup, .feeBelowMinimum(required: required, found: Amount(units: 1)))
    }

    @Test("a covenant's burn is not fee: the miner gets half the fee only, and the block reports the burn")
    func burnIsNotFee() throws {
        var setup = try Self.setup()
        let burnt = Amount(coins: 5)!
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.plasma(.exit), Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)],
            outputs: [setup.change(extraIn: Amount(coins: 10)!, outputs: [], burnt: burnt)])
        let block = setup.builder.makeBlock([transaction])
        // A miner that counts the burn as fee pays itself too much.
        var greedy = block
        let reward = greedy.transactions[0].outputs[0].amount
        greedy.transactions[0].outputs[0].amount = reward.adding(Amount(units: burnt.units / 2))!
        greedy = ChainBuilder.sealed(greedy)
        let expectedCoinbase = reward
        #expect(throws: BlockRejection.coinbaseAmount(expected: expectedCoinbase, found: greedy.transactions[0].outputs[0].amount)) {
            try setup.builder.validate(greedy)
        }
        let effects = try setup.builder.append(block)
        #expect(effects.fees == Self.fee)
        #expect(effects.covenantBurnt == burnt)
        #expect(effects.burnt.units == effects.reward.burnt.units + Self.fee.units - Self.fee.units / 2 + burnt.units)
    }

    @Test("outputs and burns together may not exceed the inputs")
    func burnBeyondInputs() throws {
        let setup = try Self.setup()
        let held = setup.builder.utxos.unspentOutput(at: setup.sponsorCoin)!.output.amount
        let outputs = [Output(amount: held.adding(Amount(coins: 6)!)!, lock: .pubKeyHash(Self.sponsor.publicKey.publicKeyHash))]
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.plasma(.exit), Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)], outputs: outputs)
        let inputs = held.adding(Amount(coins: 10)!)!
        expectRejection(
            transaction, on: setup, .covenant(.outputsAndBurnExceedInputs(inputs: inputs, outputs: outputs[0].amount, burnt: Amount(coins: 5)!)))
    }

    // MARK: Who may create a covenant output

    @Test("a covenant output its creation rule refuses is invalid")
    func creationRuleRefuses() throws {
        let setup = try Self.setup()
        var lock = Self.escrowLock
        lock.nextNumber = 2
        let transaction = setup.builder.payment(
            from: setup.sponsorCoin, key: Self.sponsor, amount: Self.coin, fee: Self.fee, to: .plasmaOperator(lock))
        expectRejection(transaction, on: setup, .covenant(.ruleBroken(lockTag: 3, rule: "creation", detail: "an escrow starts at number 1")))
    }

    @Test("a commitment cannot be minted outside the spend that pins it")
    func commitmentMinted() throws {
        let setup = try Self.setup()
        let commitment = Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: Self.chainId, number: 1, root: .zero)))
        let transaction = setup.builder.spend([(setup.sponsorCoin, Self.sponsor)], to: [commitment, setup.change(outputs: [])])
        expectRejection(
            transaction, on: setup, .covenant(.ruleBroken(lockTag: 4, rule: "creation", detail: "only a commit pins a block commitment")))
    }

    @Test("a lock tag without rules is not active: its outputs cannot be created")
    func inactiveTag() throws {
        let setup = try Self.setup()
        let coinLock = Lock.plasmaCoin(PlasmaCoinLock(
            chainId: Self.chainId, coinId: .zero, depositorKey: RawPublicKey(Self.sponsor.publicKey.bytes)!, exitWindow: 10, firstBlock: 1))
        let transaction = setup.builder.payment(from: setup.sponsorCoin, key: Self.sponsor, amount: Self.coin, fee: Self.fee, to: coinLock)
        expectRejection(transaction, on: setup, .covenant(.notActive(lockTag: 5)))
    }

    @Test("on Ember's own networks the channel, Plasma and Truebit covenants are active; a network without a rule refuses its tag")
    func enshrinedRulesAreChannelsPlasmaAndTruebit() throws {
        var builder = ChainBuilder()
        try builder.extend(by: 1)
        #expect(builder.params.covenantRules.activeTags == [
            Lock.Tag.channel, Lock.Tag.channelDispute, Lock.Tag.plasmaOperator, Lock.Tag.plasmaBlock, Lock.Tag.plasmaCoin,
            Lock.Tag.plasmaExit, Lock.Tag.truebitTask, Lock.Tag.truebitSolution, Lock.Tag.truebitGame, Lock.Tag.plasmaBond,
            Lock.Tag.truebitResult, Lock.Tag.truebitRefuted, Lock.Tag.plasmaChallenge, Lock.Tag.plasmaExitClosed,
            Lock.Tag.truebitCommit,
        ])
        // A marker is active now, but only a won game pins one: a plain payment creating one is refused.
        let refuted = Lock.truebitRefuted(TruebitRefutedLock(solutionId: .zero, challengerKey: RawPublicKey(Self.sponsor.publicKey.bytes)!))
        let transaction = builder.payment(from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: builder.params.dust, fee: Self.fee, to: refuted)
        #expect(throws: BlockRejection.transaction(index: 1, .covenant(.outputNotAllowed(output: 0, lockTag: Lock.Tag.truebitRefuted)))) {
            try builder.validate(builder.makeBlock([transaction]))
        }
        // On a network without the Truebit rules the same output is not active.
        var channelsOnly = ChainBuilder(params: ChainBuilder.fastParams().withCovenantRules(CovenantRules(identity: "channels", rules: [ChannelRule()])))
        try channelsOnly.extend(by: 1)
        let other = channelsOnly.payment(from: channelsOnly.seedOutPoint(1), key: .devnet(index: 1), amount: builder.params.dust, fee: Self.fee, to: refuted)
        #expect(throws: BlockRejection.transaction(index: 1, .covenant(.notActive(lockTag: Lock.Tag.truebitRefuted)))) {
            try channelsOnly.validate(channelsOnly.makeBlock([other]))
        }
    }

    @Test("a commitment must pay exactly 0, and an ordinary output keeps the dust rule")
    func commitmentAmounts() throws {
        let setup = try Self.setup()
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        var paid = pinned
        paid[1].amount = Amount(units: 1)
        let transaction = commitTransaction(setup, outputs: paid + [setup.change(outputs: [paid[1]])])
        expectRejection(transaction, on: setup, .covenant(.commitmentWithAmount(output: 1, found: Amount(units: 1))))
        let zero = setup.builder.spend(
            [(setup.sponsorCoin, Self.sponsor)], to: [Output(amount: .zero, lock: .pubKeyHash(.zero)), setup.change(outputs: [])])
        expectRejection(zero, on: setup, .outputBelowDust(output: 0, dust: setup.builder.params.dust, found: .zero))
    }

    // MARK: Unlocks and locks

    @Test("an unlock spends only the locks of its own family",
          arguments: [("publicKey on a covenant", 0), ("channel unlock on an escrow", 1), ("plasma unlock on a pubKeyHash", 2)])
    func unlockFamilies(name: String, variant: Int) throws {
        let setup = try Self.setup()
        let transaction: Transaction
        let expected: CovenantRejection
        switch variant {
        case 0:
            transaction = setup.builder.spend(
                [(setup.escrow, Self.operatorKey), (setup.sponsorCoin, Self.sponsor)],
                to: [setup.change(extraIn: Amount(coins: 10)!, outputs: [])])
            expected = .unlockDoesNotMatchLock(input: 0, lockTag: 3, unlockTag: 0)
        case 1:
            let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0))
            transaction = setup.builder.covenantTransaction(
                covenant: [(setup.escrow, unlock, Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)],
                outputs: [setup.change(extraIn: Amount(coins: 10)!, outputs: [])])
            expected = .unlockDoesNotMatchLock(input: 0, lockTag: 3, unlockTag: 1)
        default:
            transaction = setup.builder.covenantTransaction(
                covenant: [(setup.sponsorCoin, Self.plasma(.exit), Self.empty)], outputs: [setup.change(outputs: [])])
            expected = .unlockDoesNotMatchLock(input: 0, lockTag: 0, unlockTag: 2)
        }
        expectRejection(transaction, on: setup, .covenant(expected))
    }

    // MARK: Blobs

    @Test("a blob no rule names is invalid, so blobs carry no free data")
    func unnamedBlob() throws {
        let setup = try Self.setup()
        let transaction = setup.builder.covenantTransaction(
            covenant: [], plain: [(setup.sponsorCoin, Self.sponsor)], outputs: [setup.change(outputs: [])], blobs: [[0xaa]])
        expectRejection(transaction, on: setup, .covenant(.unnamedBlob(index: 0)))
    }

    @Test("a commit names its blob; a second, unnamed blob still fails")
    func secondBlobUnnamed() throws {
        let setup = try Self.setup()
        let pinned = Self.commitOutputs(setup, blob: [1, 2, 3])
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Self.commit(), Self.empty)], plain: [(setup.sponsorCoin, Self.sponsor)],
            outputs: pinned + [setup.change(outputs: [])], blobs: [[1, 2, 3], [4]])
        expectRejection(transaction, on: setup, .covenant(.unnamedBlob(index: 1)))
    }

    // MARK: Coinbase

    @Test("the coinbase stays version 1 and pays no covenant lock")
    func coinbaseStaysPlain() throws {
        let setup = try Self.setup()
        let block = setup.builder.makeBlock()
        var v2 = block
        let coinbase = v2.transactions[0]
        v2.transactions[0] = Transaction(
            version: 2, inputs: coinbase.inputs, reads: [], outputs: coinbase.outputs, blobs: [], witnesses: coinbase.witnesses)
        #expect(throws: BlockRejection.coinbaseNotVersion1(found: 2)) { try setup.builder.validate(ChainBuilder.sealed(v2)) }
        var covenant = block
        covenant.transactions[0].outputs[0].lock = .plasmaOperator(Self.escrowLock)
        #expect(throws: BlockRejection.coinbaseCovenantOutput(output: 0, lockTag: 3)) {
            try setup.builder.validate(ChainBuilder.sealed(covenant))
        }
    }
}
