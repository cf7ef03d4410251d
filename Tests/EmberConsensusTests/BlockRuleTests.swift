import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// One block per rule, each breaking exactly that rule on top of a valid chain, in the manner of btcd's
/// full-block tests: the rejection must be exactly the expected one.
@Suite("Block rules, one broken at a time")
struct BlockRuleTests {
    /// A PoW chain of 3 blocks on top of genesis.
    static func powChain() throws -> ChainBuilder {
        var builder = ChainBuilder()
        try builder.extend(by: 3)
        return builder
    }

    /// A chain in PoLW territory from its first block.
    static func polwChain() throws -> ChainBuilder {
        var builder = ChainBuilder(params: ChainBuilder.polwParams())
        try builder.extend(by: 2)
        return builder
    }

    static let recipient = Lock.pubKeyHash(SigningKey.devnet(index: 7).publicKey.publicKeyHash)
    static let oneCoin = Amount(coins: 1)!
    static let fee = Amount(units: 10_000_000_000 * 1_000)

    func expectRejection(
        _ block: Block, by builder: ChainBuilder, _ expected: BlockRejection, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: expected, sourceLocation: sourceLocation) { try builder.validate(block) }
    }

    /// A block whose coinbase has been edited, re-signed when it burns, then re-sealed.
    func withCoinbase(_ block: Block, builder: ChainBuilder, edit: (inout Transaction) -> Void) -> Block {
        var block = block
        edit(&block.transactions[0])
        if !block.transactions[0].inputs.isEmpty {
            block.transactions[0] = builder.sign(
                block.transactions[0], keys: Array(repeating: builder.minerKey, count: block.transactions[0].inputs.count))
        }
        return ChainBuilder.sealed(block)
    }

    @Test("a built chain is valid, and its blocks pay exactly the PoW reward")
    func validChain() throws {
        let builder = try Self.powChain()
        #expect(builder.blocks.count == 4)
        let reward = try builder.params.reward(target: builder.tip.header.target, timestampMs: builder.tip.header.timestamp)
        guard case .pow = reward else { Issue.record("expected a PoW reward, got \(reward)"); return }
        #expect(builder.tip.transactions[0].outputs[0].amount == reward.reward)
    }

    // MARK: Header

    @Test("bad proof of work")
    func badProofOfWork() throws {
        let builder = try Self.powChain()
        var block = builder.makeBlock()
        let target = block.header.target.value
        var counter: UInt64 = 1 << 40
        repeat {
            block.header.nonce = Nonce(high: 1, middle: 0, low: counter)
            counter += 1
        } while BigUInt(hash: block.header.hash) <= target
        expectRejection(block, by: builder, .insufficientWork(hash: block.header.hash, target: block.header.target))
    }

    @Test("wrong target")
    func wrongTarget() throws {
        let builder = try Self.powChain()
        var block = builder.makeBlock()
        let expected = block.header.target
        block.header.target = try #require(CompactTarget(rounding: expected.value / 2))
        block = ChainBuilder.mined(block)
        expectRejection(block, by: builder, .wrongTarget(expected: expected, found: block.header.target))
    }

    @Test("non-canonical target bits")
    func nonCanonicalTarget() throws {
        let builder = try Self.powChain()
        var block = builder.makeBlock()
        let canonical = block.header.target
        // A mantissa whose top byte is zero: a value the compact form would write with one size less.
        block.header.target = CompactTarget(bits: (canonical.bits & 0xff00_0000) | (canonical.mantissa >> 8))
        let rounded = try #require(CompactTarget(rounding: block.header.target.value))
        #expect(rounded != block.header.target)
        block = ChainBuilder.mined(block)
        expectRejection(block, by: builder, .badTarget(.nonCanonical(expected: rounded, found: block.header.target)))
    }

    @Test("timestamp not after the parent's")
    func timestampNotAfterParent() throws {
        let builder = try Self.powChain()
        let parentTime = builder.tip.header.timestamp
        let block = builder.makeBlock(timestamp: parentTime)
        expectRejection(block, by: builder, .timestampNotAfterParent(parent: parentTime, found: parentTime))
    }

    @Test("timestamp too far in the future is a temporary rejection")
    func timestampInFuture() throws {
        let builder = try Self.powChain()
        let limit = builder.nowMs + ConsensusParams.maxFutureDriftMs
        let block = builder.makeBlock(timestamp: limit)
        expectRejection(block, by: builder, .timestampInFuture(limit: limit, found: limit))
        #expect(BlockRejection.timestampInFuture(limit: limit, found: limit).isTemporary)
        #expect(!BlockRejection.timestampInFuture(limit: limit, found: limit).provesBlockInvalid)
        // One millisecond earlier is accepted.
        #expect(throws: Never.self) { try builder.validate(builder.makeBlock(timestamp: limit - 1)) }
    }

    // MARK: Body

    @Test("bad Merkle root is the sender's fault but does not prove the block invalid")
    func badMerkleRoot() throws {
        let builder = try Self.powChain()
        var block = builder.makeBlock()
        let computed = block.header.txRoot
        block.header.txRoot = Blake3.hash([1, 2, 3])
        block = ChainBuilder.mined(block)
        let rejection = BlockRejection.merkleRootMismatch(header: block.header.txRoot, computed: computed)
        expectRejection(block, by: builder, rejection)
        #expect(rejection.isSenderAtFault && !rejection.provesBlockInvalid)
    }

    @Test("oversize block")
    func oversize() throws {
        let builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let bulky = Output(amount: Self.oneCoin, lock: Self.recipient, data: Array(repeating: 7, count: 256))
        let transactions = (0..<45).map { index in
            builder.spend([(OutPoint(txid: Blake3.hash([UInt8(index)]), index: 0), key)], to: Array(repeating: bulky, count: 330))
        }
        let block = builder.makeBlock(transactions)
        let size = BlockHeader.encodedSize + 1 + block.transactions.map(\.digests.size).reduce(0, +)
        #expect(size > builder.params.maxBlockWeight)
        #expect(throws: BlockRejection.self) { try builder.validate(block) }
        do {
            _ = try builder.validate(block)
        } catch {
            guard case .tooHeavy(let limit, let found) = error else { Issue.record("got \(error)"); return }
            #expect(limit == builder.params.maxBlockWeight && found > limit)
        }
    }

    @Test("duplicate input")
    func duplicateInput() throws {
        let builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let outpoint = builder.seedOutPoint(1)
        let transaction = builder.spend([(outpoint, key), (outpoint, key)], to: [Output(amount: Self.oneCoin, lock: Self.recipient)])
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .duplicateInput(outpoint)))
    }

    @Test("a witness list longer than the input list")
    func witnessCountMismatch() throws {
        let builder = try Self.powChain()
        var transaction = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.oneCoin, fee: Self.fee, to: Self.recipient)
        transaction.witnesses.append(transaction.witnesses[0])
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .witnessCountMismatch(expected: 1, found: 2)))
    }

    @Test("a public-key input whose witness holds two items")
    func witnessItemCount() throws {
        let builder = try Self.powChain()
        var transaction = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.oneCoin, fee: Self.fee, to: Self.recipient)
        transaction.witnesses[0].items.append(transaction.witnesses[0].items[0])
        expectRejection(
            builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .witnessItemCount(input: 0, expected: 1, found: 2)))
    }

    @Test("a second transaction without inputs")
    func secondCoinbase() throws {
        let builder = try Self.powChain()
        let transaction = Transaction(inputs: [], outputs: [Output(amount: Self.oneCoin, lock: Self.recipient)], witnesses: [])
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .noInputs))
    }

    @Test("bad signature")
    func badSignature() throws {
        let builder = try Self.powChain()
        var transaction = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.oneCoin, fee: Self.fee, to: Self.recipient)
        transaction.witnesses[0].items[0][10] ^= 0x01
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .badSignature(input: 0)))
    }

    @Test("of several bad signatures in a block checked in parallel pieces, the first is reported")
    func firstBadSignatureAmongManyIsReported() throws {
        let builder = try Self.powChain()
        // 300 checks: several pieces.
        var transactions = paymentChain(count: 300, builder: builder)
        for index in [290, 170, 240] { transactions[index].witnesses[0].items[0][10] ^= 0x01 }
        let block = builder.makeBlock(transactions)
        expectRejection(block, by: builder, .transaction(index: 171, .badSignature(input: 0)))
        for threads in [SignatureThreads.allCores, .callingThread] {
            #expect(throws: BlockRejection.transaction(index: 171, .badSignature(input: 0))) {
                try builder.params.checkBlockSanity(block, signatures: threads)
            }
        }
    }

    @Test("a valid block passes tier 3 whichever threads check its signatures")
    func validBlockPassesOnEveryThreadChoice() throws {
        let builder = try Self.powChain()
        let block = builder.makeBlock(paymentChain(count: 100, builder: builder))
        let spread = try builder.params.checkBlockSanity(block, signatures: .allCores)
        let alone = try builder.params.checkBlockSanity(block, signatures: .callingThread)
        #expect(spread.digests.map(\.txid) == alone.digests.map(\.txid))
        #expect(spread.size == alone.size)
    }

    /// Payments each spending the previous one's output, from the seed output of key 1.
    func paymentChain(count: Int, builder: ChainBuilder) -> [Transaction] {
        let key = SigningKey.devnet(index: 1)
        let ownLock = Lock.pubKeyHash(key.publicKey.publicKeyHash)
        var transactions = [Transaction]()
        var outpoint = builder.seedOutPoint(1)
        for _ in 0..<count {
            let payment = builder.spend([(outpoint, key)], to: [Output(amount: Self.oneCoin, lock: ownLock)])
            transactions.append(payment)
            outpoint = OutPoint(txid: payment.txid, index: 0)
        }
        return transactions
    }

    @Test("signature made for another network")
    func wrongNetworkSignature() throws {
        let builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let transaction = builder.payment(from: builder.seedOutPoint(1), key: key, amount: Self.oneCoin, fee: Self.fee, to: Self.recipient)
        let testnetSigned = builder.sign(transaction, keys: [key], network: .testnet)
        expectRejection(builder.makeBlock([testnetSigned]), by: builder, .transaction(index: 1, .badSignature(input: 0)))
    }

    @Test("dust output")
    func dust() throws {
        let builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let tiny = Amount(units: builder.params.dust.units - 1)
        let transaction = builder.payment(from: builder.seedOutPoint(1), key: key, amount: tiny, fee: Self.fee, to: Self.recipient)
        expectRejection(
            builder.makeBlock([transaction]), by: builder,
            .transaction(index: 1, .outputBelowDust(output: 0, dust: builder.params.dust, found: tiny)))
    }

    @Test("an amount over MAX_AMOUNT")
    func amountOverMaximum() throws {
        let builder = try Self.powChain()
        let huge = Amount(units: builder.params.maxAmount.units + 1)
        let transaction = builder.spend([(builder.seedOutPoint(1), .devnet(index: 1))], to: [Output(amount: huge, lock: Self.recipient)])
        expectRejection(
            builder.makeBlock([transaction]), by: builder,
            .transaction(index: 1, .outputAboveMaximum(output: 0, maximum: builder.params.maxAmount, found: huge)))
    }

    // MARK: Against the UTXO set

    @Test("missing input")
    func missingInput() throws {
        let builder = try Self.powChain()
        let outpoint = OutPoint(txid: Blake3.hash([9]), index: 0)
        let transaction = builder.spend([(outpoint, .devnet(index: 1))], to: [Output(amount: Self.oneCoin, lock: Self.recipient)])
        let rejection = BlockRejection.transaction(index: 1, .missingInput(outpoint))
        expectRejection(builder.makeBlock([transaction]), by: builder, rejection)
        // Against the parent's complete UTXO set, a missing input is the sender's fault.
        #expect(rejection.isSenderAtFault && rejection.provesBlockInvalid)
    }

    @Test("an input spent by another key, validly signed by that key")
    func publicKeyMismatch() throws {
        let builder = try Self.powChain()
        let owner = SigningKey.devnet(index: 1)
        let thief = SigningKey.devnet(index: 2)
        let transaction = builder.spend([(builder.seedOutPoint(1), thief)], to: [Output(amount: Self.oneCoin, lock: Self.recipient)])
        expectRejection(
            builder.makeBlock([transaction]), by: builder,
            .transaction(index: 1, .publicKeyMismatch(
                input: 0, expected: owner.publicKey.publicKeyHash, found: thief.publicKey.publicKeyHash)))
    }

    @Test("spent input")
    func spentInput() throws {
        var builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let outpoint = builder.seedOutPoint(1)
        try builder.append(builder.makeBlock([builder.payment(from: outpoint, key: key, amount: Self.oneCoin, fee: Self.fee, to: Self.recipient)]))
        let again = builder.spend([(outpoint, key)], to: [Output(amount: Self.oneCoin, lock: Self.recipient)])
        expectRejection(builder.makeBlock([again]), by: builder, .transaction(index: 1, .missingInput(outpoint)))
    }

    @Test("locked input: a coinbase output before its lockup ends")
    func lockedInput() throws {
        let builder = try Self.powChain()
        let coinbase = builder.tip.transactions[0]
        let outpoint = OutPoint(txid: coinbase.txid, index: 0)
        let transaction = builder.spend([(outpoint, builder.minerKey)], to: [Output(amount: builder.params.dust, lock: Self.recipient)])
        let block = builder.makeBlock([transaction])
        expectRejection(
            block, by: builder,
            .transaction(index: 1, .inputLocked(outpoint, lockTime: coinbase.outputs[0].lockTime, blockTimestamp: block.header.timestamp)))
    }

    @Test("outputs exceed inputs")
    func outputsExceedInputs() throws {
        let builder = try Self.powChain()
        let available = try #require(builder.utxos.unspentOutput(at: builder.seedOutPoint(1))).output.amount
        let more = Amount(units: available.units + 1)
        let transaction = builder.spend([(builder.seedOutPoint(1), .devnet(index: 1))], to: [Output(amount: more, lock: Self.recipient)])
        expectRejection(
            builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .outputsExceedInputs(inputs: available, outputs: more)))
    }

    @Test("fee below the minimum")
    func feeBelowMinimum() throws {
        let builder = try Self.powChain()
        let transaction = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.oneCoin, fee: Amount(units: 1), to: Self.recipient)
        let required = Amount(units: builder.params.minFeeRate.units * UInt128(transaction.digests.size))
        expectRejection(
            builder.makeBlock([transaction]), by: builder,
            .transaction(index: 1, .feeBelowMinimum(required: required, found: Amount(units: 1))))
    }

    @Test("a transaction spending an output created later in the same block")
    func spendsLaterOutput() throws {
        let builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let first = builder.payment(from: builder.seedOutPoint(1), key: key, amount: Self.oneCoin, fee: Self.fee, to: .pubKeyHash(key.publicKey.publicKeyHash))
        let created = OutPoint(txid: first.txid, index: 0)
        let second = builder.spend([(created, key)], to: [Output(amount: Amount(units: Self.oneCoin.units / 2), lock: Self.recipient)])
        // Parent before child is valid…
        #expect(throws: Never.self) { try builder.validate(builder.makeBlock([first, second])) }
        // …child before parent is not.
        expectRejection(builder.makeBlock([second, first]), by: builder, .transaction(index: 1, .missingInput(created)))
    }

    // MARK: Coinbase, PoW

    @Test("coinbase overpays by one unit")
    func coinbaseOverpays() throws {
        let builder = try Self.powChain()
        let valid = builder.makeBlock()
        let expected = valid.transactions[0].outputs[0].amount
        let block = withCoinbase(valid, builder: builder) { $0.outputs[0].amount = Amount(units: expected.units + 1) }
        expectRejection(block, by: builder, .coinbaseAmount(expected: expected, found: Amount(units: expected.units + 1)))
    }

    @Test("coinbase underpays by one unit")
    func coinbaseUnderpays() throws {
        let builder = try Self.powChain()
        let valid = builder.makeBlock()
        let expected = valid.transactions[0].outputs[0].amount
        let block = withCoinbase(valid, builder: builder) { $0.outputs[0].amount = Amount(units: expected.units - 1) }
        expectRejection(block, by: builder, .coinbaseAmount(expected: expected, found: Amount(units: expected.units - 1)))
    }

    @Test("coinbase takes half the fees, exactly")
    func coinbaseFees() throws {
        var builder = try Self.powChain()
        let payment = builder.payment(from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.oneCoin, fee: Amount(units: Self.fee.units + 1), to: Self.recipient)
        let effects = try builder.append(builder.makeBlock([payment]))
        #expect(effects.fees == Amount(units: Self.fee.units + 1))
        #expect(effects.feeSplit.miner == Amount(units: Self.fee.units / 2))
        #expect(effects.burnt == Amount(units: Self.fee.units / 2 + 1))
        #expect(builder.tip.transactions[0].outputs[0].amount == effects.reward.reward.adding(effects.feeSplit.miner))
    }

    @Test("coinbase lockTime off by one millisecond", arguments: [-1, 1])
    func coinbaseLockTime(offset: Int) throws {
        let builder = try Self.powChain()
        let valid = builder.makeBlock()
        let expected = valid.transactions[0].outputs[0].lockTime
        let found = UInt64(Int(expected) + offset)
        let block = withCoinbase(valid, builder: builder) { $0.outputs[0].lockTime = found }
        expectRejection(block, by: builder, .coinbaseLockTime(expected: expected, found: found))
    }

    @Test("coinbase height varint missing")
    func coinbaseHeightMissing() throws {
        let builder = try Self.powChain()
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs[0].data = [] }
        expectRejection(block, by: builder, .coinbaseHeightMissing)
    }

    @Test("coinbase height varint non-minimal")
    func coinbaseHeightNonMinimal() throws {
        let builder = try Self.powChain()
        let height = builder.tip.header.height + 1
        #expect(height < 0x80)
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs[0].data = [UInt8(height) | 0x80, 0x00] }
        expectRejection(block, by: builder, .coinbaseHeightMissing)
    }

    @Test("coinbase names another height")
    func coinbaseHeightMismatch() throws {
        let builder = try Self.powChain()
        let height = builder.tip.header.height + 1
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs[0].data = Varint.encoded(UInt128(height + 1)) }
        expectRejection(block, by: builder, .coinbaseHeightMismatch(expected: height, found: height + 1))
    }

    @Test("PoLW-form coinbase while PoLW is inactive")
    func polwFormWhenInactive() throws {
        let builder = try Self.powChain()
        let key = builder.minerKey
        let block = withCoinbase(builder.makeBlock(), builder: builder) { coinbase in
            coinbase.inputs = [Input(outpoint: builder.seedOutPoint(0), unlock: .publicKey(RawPublicKey(key.publicKey.bytes)!))]
            coinbase.witnesses = [Witness(items: [])]
        }
        expectRejection(block, by: builder, .coinbaseFormWhenInactive)
    }

    // MARK: Coinbase, PoLW

    @Test("a PoLW chain burns exactly what the rules say, from the miner's own coins")
    func polwChainBurns() throws {
        var builder = try Self.polwChain()
        let block = builder.makeBlock()
        let reward = try builder.params.reward(target: block.header.target, timestampMs: block.header.timestamp)
        guard case .polw(_, let burnt, _) = reward else { Issue.record("expected PoLW, got \(reward)"); return }
        #expect(burnt > .zero)
        let effects = try builder.append(block)
        let coinbase = block.transactions[0]
        let spent = effects.spent.map(\.1.output.amount).checkedSum()
        let change = coinbase.outputs.dropFirst().map(\.amount).checkedSum()
        #expect(spent?.subtracting(change ?? .zero) == burnt)
        #expect(effects.burnt == burnt)
    }

    @Test("PoW-form coinbase while PoLW is active")
    func powFormWhenActive() throws {
        let builder = try Self.polwChain()
        let valid = builder.makeBlock()
        let burnt = try builder.params.reward(target: valid.header.target, timestampMs: valid.header.timestamp).burnt
        let block = withCoinbase(valid, builder: builder) { coinbase in
            coinbase.inputs = []
            coinbase.witnesses = []
            coinbase.outputs = [coinbase.outputs[0]]
        }
        expectRejection(block, by: builder, .coinbaseBurnMissing(burnt: burnt))
    }

    @Test("PoLW active but nothing burnt: all inputs come back as change")
    func polwNoBurn() throws {
        let builder = try Self.polwChain()
        let valid = builder.makeBlock()
        let burnt = try builder.params.reward(target: valid.header.target, timestampMs: valid.header.timestamp).burnt
        let block = withCoinbase(valid, builder: builder) { coinbase in
            coinbase.outputs[1].amount = try! #require(coinbase.outputs[1].amount.adding(burnt))
        }
        expectRejection(block, by: builder, .coinbaseBurnMismatch(expected: burnt, found: .zero))
    }

    @Test("PoLW burn off by one unit", arguments: [-1, 1])
    func polwBurnOffByOne(offset: Int) throws {
        let builder = try Self.polwChain()
        let valid = builder.makeBlock()
        let burnt = try builder.params.reward(target: valid.header.target, timestampMs: valid.header.timestamp).burnt
        let block = withCoinbase(valid, builder: builder) { coinbase in
            // More change burns less, and the other way round.
            let change = coinbase.outputs[1].amount.units
            coinbase.outputs[1].amount = Amount(units: offset > 0 ? change - 1 : change + 1)
        }
        let found = Amount(units: offset > 0 ? burnt.units + 1 : burnt.units - 1)
        expectRejection(block, by: builder, .coinbaseBurnMismatch(expected: burnt, found: found))
    }

    @Test("PoLW change paid to another key")
    func polwChangeToAnotherKey() throws {
        let builder = try Self.polwChain()
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs[1].lock = Self.recipient }
        expectRejection(block, by: builder, .coinbaseChangeLock(output: 1))
    }

    @Test("PoLW change with a lock time")
    func polwChangeLocked() throws {
        let builder = try Self.polwChain()
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs[1].lockTime = 1 }
        expectRejection(block, by: builder, .coinbaseChangeLock(output: 1))
    }

    @Test("PoLW inputs owned by two keys")
    func polwInputsOfTwoKeys() throws {
        let builder = try Self.polwChain()
        let other = SigningKey.devnet(index: 3)
        var block = builder.makeBlock()
        var coinbase = block.transactions[0]
        coinbase.inputs.append(Input(outpoint: builder.seedOutPoint(3), unlock: .publicKey(RawPublicKey(other.publicKey.bytes)!)))
        coinbase = builder.sign(coinbase, keys: Array(repeating: builder.minerKey, count: coinbase.inputs.count - 1) + [other])
        block.transactions[0] = coinbase
        expectRejection(ChainBuilder.sealed(block), by: builder, .coinbaseInputsOfSeveralKeys)
    }
}
