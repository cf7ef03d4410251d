import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Rules whose deletion no other test caught (the deletion pass of issue 12, docs/rule-tests.md): each
/// test breaks exactly that rule, and fails when the rule is taken out of the code.
extension BlockRuleTests {
    // MARK: Limits the decoder also enforces, for transactions built in memory

    @Test("1 025 inputs in a transaction that never went through the decoder")
    func tooManyInputs() throws {
        let builder = try Self.powChain()
        let key = SigningKey.devnet(index: 1)
        let inputs = (0..<1_025).map { (OutPoint(txid: Blake3.hash([UInt8($0 & 0xff), UInt8($0 >> 8)]), index: 0), key) }
        let transaction = builder.spend(inputs, to: [Output(amount: Self.oneCoin, lock: Self.recipient)])
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .tooManyInputs(limit: 1_024, found: 1_025)))
    }

    @Test("1 025 outputs in a transaction that never went through the decoder")
    func tooManyOutputs() throws {
        let builder = try Self.powChain()
        let outputs = Array(repeating: Output(amount: Self.oneCoin, lock: Self.recipient), count: 1_025)
        let transaction = builder.spend([(builder.seedOutPoint(1), .devnet(index: 1))], to: outputs)
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .tooManyOutputs(limit: 1_024, found: 1_025)))
    }

    @Test("20 001 transactions in a block that never went through the decoder")
    func tooManyTransactions() throws {
        let builder = try Self.powChain()
        // The count is checked first, so the transactions need not be valid.
        let transaction = Transaction(inputs: [], outputs: [Output(amount: Self.oneCoin, lock: Self.recipient)], witnesses: [])
        let block = builder.makeBlock(Array(repeating: transaction, count: 20_000))
        expectRejection(block, by: builder, .tooManyTransactions(limit: 20_000, found: 20_001))
    }

    // MARK: Signatures and spends

    /// Two different payments of 1 and 2 coins, each spending seed account 1's output, signed by its key.
    func rivalPayments(_ builder: ChainBuilder) -> (Transaction, Transaction) {
        let pay = { (coins: UInt128) in
            builder.payment(from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Amount(coins: coins)!, fee: Self.fee, to: Self.recipient)
        }
        return (pay(1), pay(2))
    }

    @Test("a signature by the owner's key over another transaction")
    func signatureOverAnotherTransaction() throws {
        let builder = try Self.powChain()
        let (payment, other) = rivalPayments(builder)
        var transaction = payment
        transaction.witnesses = other.witnesses
        expectRejection(builder.makeBlock([transaction]), by: builder, .transaction(index: 1, .badSignature(input: 0)))
    }

    @Test("two transactions of one block spending the same output")
    func doubleSpendInOneBlock() throws {
        let builder = try Self.powChain()
        let (first, second) = rivalPayments(builder)
        expectRejection(builder.makeBlock([first, second]), by: builder, .transaction(index: 2, .missingInput(builder.seedOutPoint(1))))
    }

    // MARK: Coinbase

    @Test("PoW-form coinbase with a second output")
    func powCoinbaseWithSecondOutput() throws {
        let builder = try Self.powChain()
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs.append(Output(amount: Self.oneCoin, lock: Self.recipient)) }
        expectRejection(block, by: builder, .coinbaseFormWhenInactive)
    }

    @Test("PoLW change below dust")
    func polwChangeBelowDust() throws {
        let builder = try Self.polwChain()
        let tiny = Amount(units: 1_000_000_000_000_000 - 1)
        let block = withCoinbase(builder.makeBlock(), builder: builder) { $0.outputs[1].amount = tiny }
        expectRejection(
            block, by: builder, .transaction(index: 0, .outputBelowDust(output: 1, dust: Amount(units: 1_000_000_000_000_000), found: tiny)))
    }

    @Test("PoLW coinbase input with a bad signature")
    func polwCoinbaseBadSignature() throws {
        let builder = try Self.polwChain()
        var block = builder.makeBlock()
        block.transactions[0].witnesses[0].items[0][10] ^= 0x01
        expectRejection(ChainBuilder.sealed(block), by: builder, .transaction(index: 0, .badSignature(input: 0)))
    }
}
