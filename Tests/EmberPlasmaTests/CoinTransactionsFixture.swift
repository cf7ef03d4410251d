import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// A devnet chain (ChainBuilder) with a Plasma chain registered by a helper of this test only (the
/// operator's builders are another engineer's), commits of real `ChildBlock` roots signed by the
/// operator, and `PlasmaCoinTransactions` paying fees from devnet seed key 2. Every transaction is mined
/// through every tier of the consensus rules.
struct CoinChainFixture {
    static let operatorKey = SigningKey.devnet(index: 5)
    static let sponsor = SigningKey.devnet(index: 2)
    static let alice = SigningKey.devnet(index: 21)
    static let bob = SigningKey.devnet(index: 22)
    static let carol = SigningKey.devnet(index: 23)
    static let dave = SigningKey.devnet(index: 24)
    static let mallory = SigningKey.devnet(index: 25)
    static let fee = Amount(units: 10_000_000_000_000_000)
    static let coinValue = Amount(coins: 2)!

    var builder: ChainBuilder
    let window: UInt32
    let chainId: Hash32
    var operatorOutput: OutPoint
    var operatorFunds: OutPoint
    var bond: OutPoint
    var nextNumber: UInt64 = 1
    /// Each committed child block, and its plasmaBlock output.
    var childBlocks = [UInt64: ChildBlock]()
    var blockOutputs = [UInt64: OutPoint]()
    let transactions: PlasmaCoinTransactions

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
    static func pkh(_ key: SigningKey) -> Lock { .pubKeyHash(key.publicKey.publicKeyHash) }

    init(window: UInt32 = 4) throws {
        builder = ChainBuilder()
        try builder.extend(by: 1)
        self.window = window
        let params = builder.params
        let seed = builder.seedOutPoint(5)
        chainId = PlasmaChainId.derive(network: params.networkID, firstInput: seed, operatorKey: Self.raw(Self.operatorKey), exitWindow: window)
        let available = try #require(builder.utxos.unspentOutput(at: seed)).output.amount
        let bondAmount = params.layer2.operatorBondMinimum
        let change = try #require(available.subtracting(bondAmount)?.subtracting(params.dust)?.subtracting(Self.fee))
        let register = Transaction(
            version: Transaction.version2, inputs: [Input(outpoint: seed, unlock: .publicKey(Self.raw(Self.operatorKey)))], reads: [],
            outputs: [
                Output(amount: params.dust, lock: .plasmaOperator(PlasmaOperatorLock(chainId: chainId, operatorKey: Self.raw(Self.operatorKey), nextNumber: 1))),
                Output(amount: bondAmount, lock: .plasmaBond(PlasmaBondLock(chainId: chainId, exitWindow: window, state: .open))),
                Output(amount: change, lock: Self.pkh(Self.operatorKey)),
            ], blobs: [], witnesses: [])
        let signed = builder.sign(register, keys: [Self.operatorKey])
        try builder.append(builder.makeBlock([signed]))
        operatorOutput = OutPoint(txid: signed.txid, index: 0)
        bond = OutPoint(txid: signed.txid, index: 1)
        operatorFunds = OutPoint(txid: signed.txid, index: 2)
        transactions = PlasmaCoinTransactions(params: params, fundingKey: Self.sponsor)
        // The sponsor's funds in several outputs, so that a watcher can pay for two actions in one pass.
        let sponsorSeed = builder.seedOutPoint(2)
        let sponsorFunds = try #require(builder.utxos.unspentOutput(at: sponsorSeed)).output.amount
        let part = Amount(units: try #require(sponsorFunds.subtracting(Self.fee)).units / 8)
        try builder.append(builder.makeBlock([builder.spend([(sponsorSeed, Self.sponsor)], to: Array(repeating: Output(amount: part, lock: Self.pkh(Self.sponsor)), count: 8))]))
    }

    var params: ConsensusParams { builder.params }
    var nextHeight: UInt64 { builder.tip.header.height + 1 }

    /// Commits child block `nextNumber` holding `moves`, signed by the operator, mined in its own block.
    @discardableResult
    mutating func commit(_ moves: [ChildTransaction], filler: Bool = true) throws -> ChildBlock {
        let number = nextNumber
        let block = try ChildBlock(number: number, transactions: moves + (filler ? [Self.filler(number)] : []))
        let funds = try #require(builder.utxos.unspentOutput(at: operatorFunds))
        let dust = params.dust
        var transaction = Transaction(
            version: Transaction.version2,
            inputs: [
                Input(outpoint: operatorOutput, unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.commit.rawValue, firstOutput: 0))),
                Input(outpoint: operatorFunds, unlock: .publicKey(Self.raw(Self.operatorKey))),
            ],
            reads: [bond],
            outputs: [
                Output(amount: dust, lock: .plasmaOperator(PlasmaOperatorLock(chainId: chainId, operatorKey: Self.raw(Self.operatorKey), nextNumber: number + 1))),
                Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: chainId, number: number, root: block.root))),
                Output(amount: try #require(funds.output.amount.subtracting(Self.fee)), lock: Self.pkh(Self.operatorKey)),
            ], blobs: [], witnesses: [])
        let signature = try Self.operatorKey.sign(txid: transaction.txid, network: params.networkID).bytes
        transaction.witnesses = [Witness(items: [signature]), Witness(items: [signature])]
        try builder.append(builder.makeBlock([transaction]))
        operatorOutput = OutPoint(txid: transaction.txid, index: 0)
        blockOutputs[number] = OutPoint(txid: transaction.txid, index: 1)
        operatorFunds = OutPoint(txid: transaction.txid, index: 2)
        childBlocks[number] = block
        nextNumber += 1
        return block
    }

    /// Another coin's move, so that no two blocks share a root and proofs list siblings.
    static func filler(_ number: UInt64) -> ChildTransaction {
        try! ChildTransaction(
            coinId: Blake3.hash(Array("filler \(number)".utf8)), parentBlock: 0, newOwnerKey: raw(dave), signedBy: dave, network: .devnet)
    }

    static func move(_ coin: Hash32, parent: UInt64, to owner: SigningKey, by signer: SigningKey) -> ChildTransaction {
        try! ChildTransaction(coinId: coin, parentBlock: parent, newOwnerKey: raw(owner), signedBy: signer, network: .devnet)
    }

    // MARK: Outputs as the client hands them to the builders

    func output(_ outpoint: OutPoint) throws -> PlasmaCoinTransactions.ChainOutput {
        .init(outpoint: outpoint, unspent: try #require(builder.utxos.unspentOutput(at: outpoint), "output \(outpoint) is not unspent"))
    }

    func blockOutput(_ number: UInt64) throws -> PlasmaCoinTransactions.ChainOutput {
        try output(try #require(blockOutputs[number]))
    }

    func included(_ move: ChildTransaction, in number: UInt64) throws -> IncludedMove {
        let block = try #require(childBlocks[number])
        return IncludedMove(move: move, proof: block.proof(for: move.coinId).proof, block: try blockOutput(number))
    }

    func absence(_ coin: Hash32, in number: UInt64) throws -> BlockProof {
        BlockProof(proof: try #require(childBlocks[number]).proof(for: coin).proof, block: try blockOutput(number))
    }

    var context: PlasmaCoinTransactions.Context {
        let lock = Self.pkh(Self.sponsor)
        let funding = builder.utxos.outputs.filter { $0.value.output.lock == lock }.map {
            WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, lockTime: $0.value.output.lockTime, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
        }
        return PlasmaCoinTransactions.Context(height: nextHeight, funding: funding, nowMs: builder.nowMs)
    }

    /// Deposits one coin of `coinValue` for `depositor`, mined; returns it.
    mutating func deposit(for depositor: SigningKey = alice, readingLatest: Bool = false) throws -> PlasmaCoinTransactions.DepositedCoin {
        let latest = readingLatest && nextNumber > 1 ? try blockOutput(nextNumber - 1) : nil
        let (built, coins) = try transactions.deposit(
            bond: try output(bond), latestBlock: latest, amounts: [Self.coinValue], depositorKey: Self.raw(depositor), in: context)
        try mine(built.transaction)
        return try #require(coins.first)
    }

    mutating func mine(_ transaction: Transaction) throws {
        try builder.append(builder.makeBlock([transaction]))
    }

    /// Mines empty blocks until the next block has height `height`.
    mutating func advance(toNextHeight height: UInt64) throws {
        while nextHeight < height { try builder.append(builder.makeBlock()) }
    }

    /// The outputs `transaction` created, by index.
    func created(_ transaction: Transaction, _ index: UInt32) -> OutPoint { OutPoint(txid: transaction.txid, index: index) }

    /// Whether `block` is refused by the rules (the transaction is invalid in the next block).
    func refuses(_ transaction: Transaction) -> Bool {
        (try? builder.validate(builder.makeBlock([transaction]))) == nil
    }
}
