import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// The pieces of the operator's layer-1 side that need no node: what a layer-1 block says about the
/// chain (read from blocks the consensus rules accepted), and the store's commit queue and cursor.
@Suite("Plasma operator layer 1: block scan, commit queue, cursor")
struct OperatorLayer1Tests {
    @Test("a mined deposit is found with its coin fields; another chain's coin and a plain payment are not")
    func scanFindsDeposits() throws {
        var chain = ChainBuilder()
        try chain.extend(by: 1)
        let operatorKey = SigningKey.devnet(index: 5)
        let transactions = PlasmaOperatorTransactions(params: chain.params, operatorKey: operatorKey)
        let lock = Lock.pubKeyHash(operatorKey.publicKey.publicKeyHash)
        let funding = chain.utxos.outputs.filter { $0.value.output.lock == lock }.map {
            WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, height: $0.value.height, isCoinbase: $0.value.isCoinbase)
        }
        let registration = try transactions.register(
            bond: Amount(coins: 2)!, exitWindow: 4, in: .init(height: 2, funding: funding, nowMs: chain.nowMs))
        try chain.append(chain.makeBlock([registration.built.transaction]))
        #expect(Layer1BlockScan(block: chain.tip, chainId: registration.chainId) == Layer1BlockScan(block: chain.blocks[0], chainId: registration.chainId))

        let depositor = SigningKey.devnet(index: 6)
        let raw = RawPublicKey(depositor.publicKey.bytes)!
        let seed = chain.seedOutPoint(6)
        let amount = Amount(coins: 1)!
        let coinId = PlasmaCoinId.derive(chainId: registration.chainId, firstInput: seed, outputIndex: 0, amount: amount, depositorKey: raw)
        let seedAmount = try #require(chain.utxos.unspentOutput(at: seed)).output.amount
        var deposit = Transaction(
            version: Transaction.version2, inputs: [Input(outpoint: seed, unlock: .publicKey(raw))], reads: [registration.bondOutpoint],
            outputs: [
                Output(amount: amount, lock: .plasmaCoin(PlasmaCoinLock(
                    chainId: registration.chainId, coinId: coinId, depositorKey: raw, exitWindow: 4, firstBlock: 1))),
                Output(amount: seedAmount.subtracting(Amount(coins: 2)!)!, lock: .pubKeyHash(depositor.publicKey.publicKeyHash)),
            ], blobs: [], witnesses: [])
        deposit.witnesses = [Witness(items: [try depositor.sign(txid: deposit.txid, network: chain.params.networkID).bytes])]
        try chain.append(chain.makeBlock([deposit]))

        let scan = Layer1BlockScan(block: chain.tip, chainId: registration.chainId)
        #expect(scan.deposits == [OperatorStore.Deposit(coinId: coinId, depositorKey: raw, amount: amount, firstBlock: 1)])
        #expect(!scan.frozen && !scan.closing)
        #expect(Layer1BlockScan(block: chain.tip, chainId: Blake3.hash(Array("another chain".utf8))).deposits.isEmpty)
    }

    @Test("the commit queue is the sealed blocks without a commit, oldest first; a reorganised commit goes back into it")
    func commitQueue() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        #expect(try store.firstUncommittedBlock() == nil)
        #expect(try store.lastCommittedBlockNumber() == 0)
        for number in UInt64(1)...3 {
            try store.storeSealed(try ChildBlock(number: number, transactions: []), sealedAt: Date())
        }
        #expect(try store.firstUncommittedBlock()?.number == 1)
        let txid = Blake3.hash(Array("commit".utf8))
        try store.recordCommit(ofBlock: 1, txid: txid, height: 10)
        try store.recordCommit(ofBlock: 2, txid: txid, height: 11)
        #expect(try store.firstUncommittedBlock()?.number == 3)
        #expect(try store.lastCommittedBlockNumber() == 2)
        try store.clearCommits(from: 2)
        #expect(try store.firstUncommittedBlock()?.number == 2)
        #expect(try store.lastCommittedBlockNumber() == 1)
        #expect(try store.block(1)?.commitTxid == txid)
    }

    @Test("the watcher's cursor survives reopening the store")
    func cursor() throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        #expect(try fixture.openStore().layer1Cursor() == nil)
        let hash = Blake3.hash(Array("block".utf8))
        try fixture.openStore().saveLayer1Cursor(height: 42, hash: hash)
        let reopened = try #require(try fixture.openStore().layer1Cursor())
        #expect(reopened.height == 42 && reopened.hash == hash)
    }
}
