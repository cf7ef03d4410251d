import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberPlasma
import EmberTestSupport
import Testing

/// A devnet chain (`ChainBuilder`) where the operator's transactions are built and mined, each block
/// checked with every consensus tier.
struct OperatorChain {
    static let operatorKey = SigningKey.devnet(index: 5)
    static let window: UInt32 = 4

    var chain = ChainBuilder()
    let transactions: PlasmaOperatorTransactions

    init() throws {
        try chain.extend(by: 1)
        transactions = PlasmaOperatorTransactions(params: chain.params, operatorKey: Self.operatorKey)
    }

    var context: PlasmaOperatorTransactions.Context {
        let lock = Lock.pubKeyHash(Self.operatorKey.publicKey.publicKeyHash)
        let funding = chain.utxos.outputs.filter { $0.value.output.lock == lock }.map {
            WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, lockTime: $0.value.output.lockTime, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
        }
        return .init(height: chain.tip.header.height + 1, funding: funding, nowMs: chain.nowMs)
    }

    func output(_ outpoint: OutPoint) throws -> PlasmaOperatorTransactions.ChainOutput {
        .init(outpoint: outpoint, unspent: try #require(chain.utxos.unspentOutput(at: outpoint)))
    }

    mutating func mine(_ transaction: Transaction) throws {
        try chain.append(chain.makeBlock([transaction]))
    }

    mutating func registered() throws -> PlasmaOperatorTransactions.Registration {
        let registration = try transactions.register(bond: Amount(coins: 2)!, exitWindow: Self.window, in: context)
        try mine(registration.built.transaction)
        return registration
    }

    mutating func register() throws {
        // A second, smaller output of the operator key: the builder must still start with the larger one.
        let small = chain.payment(
            from: chain.seedOutPoint(6), key: .devnet(index: 6), amount: Amount(coins: 3)!, fee: Amount(units: 10_000_000_000_000_000),
            to: .pubKeyHash(Self.operatorKey.publicKey.publicKeyHash))
        try mine(small)
        let registration = try registered()
        let first = try #require(registration.built.transaction.inputs.first).outpoint
        #expect(first == chain.seedOutPoint(5))
        #expect(registration.chainId == PlasmaChainId.derive(
            network: chain.params.networkID, firstInput: first, operatorKey: transactions.rawOperatorKey, exitWindow: Self.window))
        let operatorOutput = try output(registration.operatorOutpoint)
        #expect(operatorOutput.unspent.output.lock == .plasmaOperator(registration.operatorLock))
        #expect(try output(registration.bondOutpoint).unspent.output.amount == Amount(coins: 2)!)
    }

    func registerLimits() {
        #expect(throws: PlasmaOperatorTransactionError.self) {
            try transactions.register(bond: Amount(units: 1), exitWindow: Self.window, in: context)
        }
        #expect(throws: PlasmaOperatorTransactionError.self) {
            try transactions.register(bond: Amount(coins: 2)!, exitWindow: 100_001, in: context)
        }
    }

    mutating func commits() throws {
        let registration = try registered()
        var operatorOutpoint = registration.operatorOutpoint
        // In the register's own block the rule refuses the commit: the builder's self-check says so.
        let sameBlock = PlasmaOperatorTransactions.Context(height: chain.tip.header.height, funding: context.funding, nowMs: chain.nowMs)
        #expect(throws: PlasmaOperatorTransactionError.self) {
            try transactions.commit(root: .zero, operator: try output(operatorOutpoint), bond: try output(registration.bondOutpoint), in: sameBlock)
        }
        for number in UInt64(1)...3 {
            let root = Blake3.hash(Array("root \(number)".utf8))
            let built = try transactions.commit(
                root: root, operator: try output(operatorOutpoint), bond: try output(registration.bondOutpoint), in: context)
            try mine(built.transaction)
            operatorOutpoint = OutPoint(txid: built.txid, index: 0)
            #expect(try output(operatorOutpoint).unspent.output.lock == .plasmaOperator(
                PlasmaOperatorLock(chainId: registration.chainId, operatorKey: transactions.rawOperatorKey, nextNumber: number + 1)))
            #expect(try output(OutPoint(txid: built.txid, index: 1)).unspent.output.lock == .plasmaBlock(
                PlasmaBlockLock(chainId: registration.chainId, number: number, root: root)))
            #expect(built.transaction.encoded.count < 600)
        }
    }

    mutating func commitByAnotherKey() throws {
        let registration = try registered()
        let mallory = PlasmaOperatorTransactions(params: chain.params, operatorKey: .devnet(index: 6))
        #expect(throws: PlasmaOperatorTransactionError.notOurOperator(key: transactions.rawOperatorKey)) {
            try mallory.commit(
                root: .zero, operator: try output(registration.operatorOutpoint), bond: try output(registration.bondOutpoint),
                in: .init(height: context.height, funding: [], nowMs: chain.nowMs))
        }
    }

    mutating func close() throws {
        let registration = try registered()
        let registerHeight = chain.tip.header.height
        while chain.tip.header.height + 1 < registerHeight + 2 * UInt64(Self.window) {
            #expect(throws: PlasmaOperatorTransactionError.self) {
                try transactions.close(operator: try output(registration.operatorOutpoint), bond: try output(registration.bondOutpoint), in: context)
            }
            try chain.extend(by: 1)
        }
        let built = try transactions.close(operator: try output(registration.operatorOutpoint), bond: try output(registration.bondOutpoint), in: context)
        try mine(built.transaction)
        var closing = registration.bondLock
        closing.state = .closing
        #expect(try output(OutPoint(txid: built.txid, index: 1)).unspent.output.lock == .plasmaBond(closing))
        #expect(chain.utxos.unspentOutput(at: registration.operatorOutpoint) == nil)
    }

    mutating func closeAfterFreeze() throws {
        let registration = try registered()
        let operatorOutput = try output(registration.operatorOutpoint)
        var frozenLock = registration.bondLock
        frozenLock.state = .frozen
        // A fraud proof leaves this output; the builder's self-check runs the network's rules on it.
        let frozen = PlasmaOperatorTransactions.ChainOutput(
            outpoint: OutPoint(txid: Blake3.hash(Array("fraud proof".utf8)), index: 0),
            unspent: UnspentOutput(output: Output(amount: .zero, lock: .plasmaBond(frozenLock)), height: chain.tip.header.height, isCoinbase: false))
        let built = try transactions.closeAfterFreeze(operator: operatorOutput, frozenBond: frozen, in: context)
        #expect(built.transaction.outputs[0] == Output(amount: operatorOutput.unspent.output.amount, lock: .pubKeyHash(Self.operatorKey.publicKey.publicKeyHash)))
        #expect(throws: PlasmaOperatorTransactionError.self) {
            try transactions.closeAfterFreeze(operator: operatorOutput, frozenBond: try output(registration.bondOutpoint), in: context)
        }
    }
}

/// The operator's layer-1 transactions, each built by `PlasmaOperatorTransactions` and mined in a block
/// that `ChainBuilder` checks with every consensus tier: the rules decide, not the builder.
@Suite("Plasma operator transactions: register, commit, close")
struct OperatorTransactionsTests {
    @Test("a register mines, and its chainId binds the first input, which is the funding key's largest output")
    func register() throws {
        var chain = try OperatorChain()
        try chain.register()
    }

    @Test("a register below the bond minimum or outside the window bounds is refused before it is built")
    func registerLimits() throws {
        let chain = try OperatorChain()
        chain.registerLimits()
    }

    @Test("commits mine one per layer-1 block, each pinning the next operator output and the block's root")
    func commits() throws {
        var chain = try OperatorChain()
        try chain.commits()
    }

    @Test("another key cannot commit the chain")
    func commitByAnotherKey() throws {
        var chain = try OperatorChain()
        try chain.commitByAnotherKey()
    }

    @Test("the close mines only 2 · exitWindow blocks after the last commit, and leaves the bond closing")
    func close() throws {
        var chain = try OperatorChain()
        try chain.close()
    }

    @Test("after a freeze the operator output closes alone, reading the frozen bond; an open bond does not allow it")
    func closeAfterFreeze() throws {
        var chain = try OperatorChain()
        try chain.closeAfterFreeze()
    }
}
