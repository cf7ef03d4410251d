import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

/// A hostile review of the covenant framework (DESIGN.md section 15) on the test-only rules of
/// `TestCovenants`. Each test is an attack and asserts the defence; an attack that succeeds is
/// each hole the attacker found is fixed and its test now asserts the defence.
@Suite("Covenant attacks")
struct CovenantAttackTests {
    typealias Framework = CovenantFrameworkTests
    typealias Reads = ReadAndStepRuleTests

    static let rate = UInt128(10_000_000_000)

    // MARK: Helpers

    /// A static RV32 ELF: one PT_LOAD at 0x10000 holding `code`, `memsz` bytes long (bss after the code).
    static func elf(code: [UInt32], memsz: UInt32? = nil) -> [UInt8] {
        let codeBytes = code.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        var bytes = [UInt8](repeating: 0, count: 52 + 32)
        func put16(_ value: UInt16, _ at: Int) { bytes[at] = UInt8(value & 0xff); bytes[at + 1] = UInt8(value >> 8) }
        func put32(_ value: UInt32, _ at: Int) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) } }
        bytes[0...3] = [0x7f, 0x45, 0x4c, 0x46]
        bytes[4] = 1; bytes[5] = 1; bytes[6] = 1
        put16(2, 16); put16(243, 18); put32(1, 20); put32(0x10000, 24); put32(52, 28)
        put16(52, 40); put16(32, 42); put16(1, 44)
        put32(1, 52); put32(84, 56); put32(0x10000, 60); put32(0x10000, 64)
        put32(UInt32(codeBytes.count), 68); put32(memsz ?? UInt32(codeBytes.count), 72); put32(5, 76); put32(4, 80)
        return bytes + codeBytes
    }

    /// `li a0, 0; li a7, 93; ecall`: halts with exit code 0 in 3 steps.
    static let haltOK: [UInt32] = [0x0000_0513, 0x05d0_0893, 0x0000_0073]
    /// `li a0, 1; li a7, 93; ecall`: halts with exit code 1.
    static let haltFail: [UInt32] = [0x0010_0513, 0x05d0_0893, 0x0000_0073]
    /// 4 095 pages of program (code then bss) plus the input's page: exactly the 4 096-page limit.
    static let fatProgram = elf(code: haltOK, memsz: 4_095 * 4_096)

    static func forceMove(maxSteps: UInt32) -> Unlock {
        .channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.forceMove.rawValue, firstOutput: 0, maxSteps: maxSteps))
    }

    static func settle(maxSteps: UInt32) -> Unlock {
        .channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0, maxSteps: maxSteps))
    }

    static func sponsorChange(_ setup: Framework.Setup, extraIn: Amount, fee: Amount) -> Output {
        let held = setup.builder.utxos.unspentOutput(at: setup.sponsorCoin)!.output.amount.adding(extraIn)!
        return Output(amount: held.subtracting(fee)!, lock: .pubKeyHash(Framework.sponsor.publicKey.publicKeyHash))
    }

    /// The framework's set-up plus `count` channels of 1 coin each, all outputs of one funding transaction.
    static func withChannels(_ count: Int) throws -> (Framework.Setup, [OutPoint]) {
        var setup = try Framework.setup()
        let seed = setup.builder.seedOutPoint(3)
        let held = setup.builder.utxos.unspentOutput(at: seed)!.output.amount
        let key = SigningKey.devnet(index: 3)
        let channelLock: Lock = Reads.channelLock
        var outputs = (0..<count).map { _ in Output(amount: Amount(coins: 1)!, lock: channelLock) }
        let spent = Amount(coins: UInt128(count))!.adding(Framework.fee)!
        outputs.append(Output(amount: held.subtracting(spent)!, lock: .pubKeyHash(key.publicKey.publicKeyHash)))
        let funding = setup.builder.spend([(seed, key)], to: outputs)
        try setup.builder.append(setup.builder.makeBlock([funding]))
        return (setup, (0..<count).map { OutPoint(txid: funding.txid, index: UInt32($0)) })
    }

    func expectRejection(
        _ transactions: [Transaction], on setup: Framework.Setup, _ expected: BlockRejection,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: expected, sourceLocation: sourceLocation) { try setup.builder.validate(setup.builder.makeBlock(transactions)) }
    }

    // MARK: Theft

    @Test("a miner cannot collect a covenant's burn, not even all of it")
    func minerCannotCollectBurn() throws {
        let setup = try Framework.setup()
        let burnt = Amount(coins: 5)!
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Framework.plasma(.exit), Framework.empty)], plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [setup.change(extraIn: Amount(coins: 10)!, outputs: [], burnt: burnt)])
        let block = setup.builder.makeBlock([transaction])
        let honest = block.transactions[0].outputs[0].amount
        for greed in [burnt, Amount(units: burnt.units / 2 + Framework.fee.units / 2)] {
            var greedy = block
            greedy.transactions[0].outputs[0].amount = honest.adding(greed)!
            greedy = ChainBuilder.sealed(greedy)
            #expect(throws: BlockRejection.coinbaseAmount(expected: honest, found: honest.adding(greed)!)) {
                try setup.builder.validate(greedy)
            }
        }
    }

    @Test("a covenant output cannot be spent by its key with a public-key unlock, nor by a family's other unlock")
    func spendWithoutRule() throws {
        let setup = try Framework.setup()
        let byKey = setup.builder.spend(
            [(setup.escrow, Framework.operatorKey), (setup.sponsorCoin, Framework.sponsor)],
            to: [setup.change(extraIn: Amount(coins: 10)!, outputs: [])])
        expectRejection([byKey], on: setup, .transaction(index: 1, .covenant(.unlockDoesNotMatchLock(input: 0, lockTag: 3, unlockTag: 0))))
        let truebit = Unlock.truebit(CovenantUnlock(mode: CovenantUnlock.TruebitMode.payout.rawValue, firstOutput: 0))
        let byOtherFamily = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, truebit, Framework.empty)], plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [setup.change(extraIn: Amount(coins: 10)!, outputs: [])])
        expectRejection(
            [byOtherFamily], on: setup, .transaction(index: 1, .covenant(.unlockDoesNotMatchLock(input: 0, lockTag: 3, unlockTag: 3))))
    }

    @Test("one pinned output cannot serve two inputs: two escrows paying the same key each need their own output")
    func doubleUsePinnedOutput() throws {
        var setup = try Framework.setup()
        let second = setup.builder.payment(
            from: setup.builder.seedOutPoint(3), key: .devnet(index: 3), amount: Amount(coins: 10)!, fee: Framework.fee,
            to: .plasmaOperator(Framework.escrowLock))
        try setup.builder.append(setup.builder.makeBlock([second]))
        let secondEscrow = OutPoint(txid: second.txid, index: 0)
        let payee = Output(amount: Amount(coins: 10)!, lock: .pubKeyHash(Blake3.hash(Framework.operatorKey.publicKey.bytes)))
        let thief = Output(amount: Amount(coins: 10)!, lock: .pubKeyHash(Framework.sponsor.publicKey.publicKeyHash))
        // Both finalizes point at output 0; the thief takes the second escrow's 10 coins in output 1.
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Framework.plasma(.finalize), Framework.empty), (secondEscrow, Framework.plasma(.finalize), Framework.empty)],
            plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [payee, thief, setup.change(extraIn: Amount(coins: 20)!, outputs: [payee, thief])])
        expectRejection([transaction], on: setup, .transaction(index: 1, .covenant(.pinnedRangesOverlap(output: 0, firstInput: 0, secondInput: 1))))
        // Overlap by one: input 0 pins [0, 1] (commit), input 1 pins [1] (finalize at firstOutput 1).
        let pinned = Framework.commitOutputs(setup, blob: [1, 2, 3])
        let overlapping = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, Framework.commit(), Framework.empty), (secondEscrow, Framework.plasma(.finalize, firstOutput: 1), Framework.empty)],
            plain: [(setup.sponsorCoin, Framework.sponsor)], outputs: pinned + [setup.change(extraIn: Amount(coins: 10)!, outputs: pinned)],
            blobs: [[1, 2, 3]])
        expectRejection([overlapping], on: setup, .transaction(index: 1, .covenant(.pinnedRangesOverlap(output: 1, firstInput: 0, secondInput: 1))))
    }

    @Test("firstOutput arithmetic cannot wrap: UInt32.max is out of range, 2^32 does not decode")
    func firstOutputArithmetic() throws {
        let setup = try Framework.setup()
        let pinned = Framework.commitOutputs(setup, blob: [1, 2, 3])
        let transaction = Framework().commitTransaction(setup, outputs: pinned + [setup.change(outputs: [])], firstOutput: UInt64(UInt32.max))
        let decoded = try Transaction.decode(from: transaction.encoded, limit: Transaction.maxSize)
        #expect(decoded == transaction)
        expectRejection(
            [decoded], on: setup,
            .transaction(index: 1, .covenant(.pinnedRangeOutOfBounds(input: 0, firstOutput: UInt64(UInt32.max), count: 2, outputs: 3))))
        let wrapped = Framework().commitTransaction(setup, outputs: pinned + [setup.change(outputs: [])], firstOutput: 1 << 32)
        #expect(throws: EmberCore.DecodingError.self) { try Transaction.decode(from: wrapped.encoded, limit: Transaction.maxSize) }
    }

    @Test("a coinbase cannot spend a covenant output, with a public-key unlock or a covenant one (PoLW)")
    func coinbaseCannotSpendCovenant() throws {
        var builder = ChainBuilder(params: ChainBuilder.polwParams().withCovenantRules(TestCovenants.rules))
        let escrowKey = builder.minerKey
        var lock = Framework.escrowLock
        lock.operatorKey = RawPublicKey(escrowKey.publicKey.bytes)!
        let funding = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: 10)!, fee: Framework.fee, to: .plasmaOperator(lock))
        try builder.append(builder.makeBlock([funding]))
        let escrow = OutPoint(txid: funding.txid, index: 0)
        let block = builder.makeBlock()
        #expect(!block.transactions[0].inputs.isEmpty)
        var withKey = block
        withKey.transactions[0].inputs.append(Input(outpoint: escrow, unlock: .publicKey(RawPublicKey(escrowKey.publicKey.bytes)!)))
        withKey.transactions[0] = builder.sign(withKey.transactions[0], keys: Array(repeating: escrowKey, count: withKey.transactions[0].inputs.count))
        let withKeyInputIndex = withKey.transactions[0].inputs.count - 1
        #expect(throws: BlockRejection.transaction(
            index: 0, .covenant(.unlockDoesNotMatchLock(input: withKeyInputIndex, lockTag: 3, unlockTag: 0)))) {
            try builder.validate(ChainBuilder.sealed(withKey))
        }
        var withCovenant = block
        withCovenant.transactions[0].inputs.append(Input(outpoint: escrow, unlock: Framework.plasma(.exit)))
        withCovenant.transactions[0].witnesses.append(Witness(items: [[UInt8](repeating: 0, count: 64)]))
        #expect(throws: BlockRejection.coinbaseInputsOfSeveralKeys) { try builder.validate(ChainBuilder.sealed(withCovenant)) }
    }

    @Test("a coinbase value carrying reads or blobs is refused like any version-1 transaction")
    func coinbaseWithReadsOrBlobs() throws {
        let (setup, bond) = try Reads.setupWithBond()
        var block = setup.builder.makeBlock()
        block.transactions[0].reads = [bond]
        block.transactions[0].blobs = [[0xaa]]
        // The encoding drops them: the wire block and the value differ, under the same txid.
        #expect(block.transactions[0].txid == setup.builder.makeBlock().transactions[0].txid)
        let sealed = ChainBuilder.sealed(block)
        #expect(throws: BlockRejection.transaction(index: 0, .covenant(.readsOrBlobsInVersion1))) { try setup.builder.validate(sealed) }
    
    }

    // MARK: Minting

    @Test("a commitment or a second operator cannot be minted beside a valid commit")
    func mintBesideCommit() throws {
        let setup = try Framework.setup()
        let pinned = Framework.commitOutputs(setup, blob: [1, 2, 3])
        var extraBlock = pinned[1]
        extraBlock.lock = .plasmaBlock(PlasmaBlockLock(chainId: Framework.chainId, number: 2, root: .zero))
        let transaction = Framework().commitTransaction(setup, outputs: pinned + [extraBlock, setup.change(outputs: [])])
        expectRejection(
            [transaction], on: setup,
            .transaction(index: 1, .covenant(.ruleBroken(lockTag: 4, rule: "creation", detail: "only a commit pins a block commitment"))))
        var secondOperator = pinned[0]
        secondOperator.amount = Amount(coins: 1)!
        let minted = Framework().commitTransaction(setup, outputs: pinned + [secondOperator, setup.change(outputs: [secondOperator])])
        expectRejection(
            [minted], on: setup,
            .transaction(index: 1, .covenant(.ruleBroken(lockTag: 3, rule: "creation", detail: "an escrow starts at number 1"))))
    }

    // MARK: Reads

    @Test("a read cannot see an output created later in the same block, nor a commitment read then spent")
    func readOrdering() throws {
        var setup = try Framework.setup()
        let funding = setup.builder.payment(
            from: setup.builder.seedOutPoint(4), key: Reads.bondKey, amount: Amount(coins: 2)!, fee: Framework.fee, to: Reads.bondLock)
        let bond = OutPoint(txid: funding.txid, index: 0)
        let reader = Reads.reading([bond], setup: setup)
        expectRejection([reader, funding], on: setup, .transaction(index: 1, .covenant(.missingRead(bond))))
        // Read then spent in one block is valid; the read consumed nothing, so the spend is the only spend.
        try setup.builder.append(setup.builder.makeBlock([funding]))
        let spender = setup.builder.covenantTransaction(
            covenant: [(bond, Reads.close, Framework.empty)], plain: [(setup.builder.seedOutPoint(5), .devnet(index: 5))],
            outputs: [Output(amount: Amount(coins: 999_999)!, lock: .pubKeyHash(SigningKey.devnet(index: 5).publicKey.publicKeyHash))])
        let effects = try setup.builder.validate(setup.builder.makeBlock([reader, spender]))
        #expect(effects.spent.filter { $0.0 == bond }.count == 1)
    }

    // MARK: Declared steps, weight and fee

    @Test("a maxSteps on an unlock that never runs a program is refused (a value the wire cannot carry)")
    func maxStepsOnPlasmaUnlock() throws {
        let setup = try Framework.setup()
        let unlock = Unlock.plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.exit.rawValue, firstOutput: 0, maxSteps: 1 << 24))
        let transaction = setup.builder.covenantTransaction(
            covenant: [(setup.escrow, unlock, Framework.empty)], plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [setup.change(extraIn: Amount(coins: 10)!, outputs: [], burnt: Amount(coins: 5)!)])
        expectRejection([transaction], on: setup, .transaction(index: 1, .covenant(.maxStepsWithoutRun(input: 0, found: 1 << 24))))
    }

    @Test("a transaction heavier than any block is refused on its own (else it sits in every mempool, unmineable)")
    func transactionHeavierThanABlock() throws {
        let (setup, channels) = try Self.withChannels(17)
        let height = setup.builder.tip.header.height + 1
        let deadline = height + 5
        let item = (0..<8).map { UInt8(truncatingIfNeeded: deadline >> (56 - 8 * $0)) }
        let fee = Amount(units: Self.rate * 5_000_000)
        let transaction = setup.builder.covenantTransaction(
            covenant: channels.map { ($0, Self.settle(maxSteps: 1 << 24), Witness(items: [item])) },
            plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [Self.sponsorChange(setup, extraIn: Amount(coins: 17)!, fee: fee)])
        let params = setup.builder.params
        let digests = transaction.digests
        let weight = params.weight(of: transaction, size: digests.size)
        #expect(weight > params.maxBlockWeight)
        // A block holding it is too heavy: it can never be mined.
        #expect(throws: BlockRejection.self) { try setup.builder.validate(setup.builder.makeBlock([transaction])) }
        // Nor does the pool take it: tier 3 refuses a transaction heavier than half a block.
        #expect(throws: TransactionRejection.tooHeavy(limit: params.maxTransactionWeight, found: weight)) {
            try params.checkTransactionSanity(transaction, digests: digests)
        }
    }

    @Test("an underpaying transaction is refused before any program runs (runs are priced before they run)")
    func feeCheckedBeforeRun() throws {
        let (setup, channels) = try Self.withChannels(1)
        let transaction = setup.builder.covenantTransaction(
            covenant: [(channels[0], Self.forceMove(maxSteps: 1 << 24), Witness(items: [[]]))], plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [Self.sponsorChange(setup, extraIn: Amount(coins: 1)!, fee: .zero)], blobs: [Self.elf(code: Self.haltFail)])
        let params = setup.builder.params
        let digests = transaction.digests
        // A paying version of the same spend shows the program runs (and fails) when the fee is there.
        var caught: TransactionRejection?
        do {
            _ = try params.checkTransactionConnect(
                transaction, digests: digests, view: setup.builder.utxos, height: setup.builder.tip.header.height + 1,
                blockTimestamp: setup.builder.nowMs)
        } catch {
            caught = error
        }
        guard case .feeBelowMinimum = caught else {
            Issue.record("a zero-fee transaction ran its program first: \(String(describing: caught))")
            return
        }
    
    }

    @Test("a VM run's page cost is priced: a 3-step run over 4 096 pages may not weigh 1 unit")
    func pagesArePriced() throws {
        let (setup, channels) = try Self.withChannels(1)
        let transaction = setup.builder.covenantTransaction(
            covenant: [(channels[0], Self.forceMove(maxSteps: 3), Witness(items: [[]]))], plain: [(setup.sponsorCoin, Framework.sponsor)],
            outputs: [Self.sponsorChange(setup, extraIn: Amount(coins: 1)!, fee: Amount(units: Self.rate * 40_000))], blobs: [Self.fatProgram])
        let params = setup.builder.params
        let digests = transaction.digests
        let stepWeight = params.weight(of: transaction, size: digests.size) - digests.size
        // One unit for the 3 steps and the run's fixed weight for the pages it may set up.
        #expect(stepWeight == 1 + 65_536)
        let block = setup.builder.makeBlock([transaction])
        let start = Date()
        let accepted = (try? setup.builder.validate(block)) != nil
        let elapsed = Date().timeIntervalSince(start)
        print("ATTACK pagesArePriced: 4096-page 3-step run accepted=\(accepted), block validation \(elapsed * 1000) ms, tx size \(digests.size)")
        // 40 000 units of fee paid for the bytes and steps alone; the run's page weight is not covered.
        #expect(!accepted)
    }
}

extension CovenantAttackTests {
    @Test("a transaction value of an unknown version is refused by consensus, not only by the decoder")
    func unknownVersionValue() throws {
        let setup = try Framework.setup()
        var transaction = setup.builder.covenantTransaction(
            covenant: [], plain: [(setup.sponsorCoin, Framework.sponsor)], outputs: [setup.change(outputs: [])])
        transaction.version = 3
        transaction = setup.builder.sign(transaction, keys: [Framework.sponsor])
        #expect(throws: EmberCore.DecodingError.self) { try Transaction.decode(from: transaction.encoded, limit: Transaction.maxSize) }
        let block = setup.builder.makeBlock([transaction])
        #expect(throws: BlockRejection.transaction(index: 1, .unsupportedVersion(3))) { try setup.builder.validate(block) }
    }
}
