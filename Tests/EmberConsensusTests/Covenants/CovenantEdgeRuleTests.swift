import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Framework rules the test-only covenants cannot reach through a chain: spending an output of a tag
/// that is not active (no chain can hold one, a view can), and a rule naming a blob the transaction
/// lacks.
@Suite("Covenant framework edges")
struct CovenantEdgeRuleTests {
    static let key = SigningKey.devnet(index: 1)
    static let rate = UInt128(10_000_000_000)

    /// A rule for the escrow tag that names blob 5 and pins nothing.
    struct NamesMissingBlob: CovenantRule {
        var lockTag: UInt8 { Lock.Tag.plasmaOperator }
        func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend { CovenantSpend(namedBlobs: [5]) }
        func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation { CovenantCreation() }
    }

    static func spend(lock: Lock, unlock: Unlock, blobs: [[UInt8]] = []) -> (Transaction, InMemoryUTXOView) {
        let outpoint = OutPoint(txid: Blake3.hash([0x42]), index: 0)
        let amount = Amount(coins: 2)!
        let view = InMemoryUTXOView([outpoint: UnspentOutput(output: Output(amount: amount, lock: lock), height: 1, isCoinbase: false)])
        let transaction = Transaction(
            version: 2, inputs: [Input(outpoint: outpoint, unlock: unlock)], reads: [],
            outputs: [Output(amount: Amount(coins: 1)!, lock: .pubKeyHash(key.publicKey.publicKeyHash))], blobs: blobs,
            witnesses: [Witness(items: [])])
        return (transaction, view)
    }

    @Test("an output of a tag that is not active cannot be spent, even if a view holds one")
    func inactiveSpend() throws {
        let coin = Lock.plasmaCoin(PlasmaCoinLock(chainId: .zero, coinId: .zero, depositorKey: RawPublicKey(Self.key.publicKey.bytes)!, exitWindow: 10, firstBlock: 1))
        let (transaction, view) = Self.spend(lock: coin, unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.exit.rawValue, firstOutput: 0)))
        let params = TestCovenants.params()
        #expect(throws: TransactionRejection.covenant(.notActive(lockTag: 5))) {
            _ = try params.checkTransactionConnect(transaction, digests: transaction.digests, view: view, height: 10, blockTimestamp: .max)
        }
    }

    @Test("a rule that names a blob the transaction lacks makes the spend invalid")
    func namedBlobOutOfRange() throws {
        let escrow = Lock.plasmaOperator(PlasmaOperatorLock(chainId: .zero, operatorKey: RawPublicKey(Self.key.publicKey.bytes)!, nextNumber: 1))
        let (transaction, view) = Self.spend(
            lock: escrow, unlock: .plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.exit.rawValue, firstOutput: 0)), blobs: [[1]])
        let params = TestCovenants.params().withCovenantRules(CovenantRules(identity: "names-missing-blob", rules: [NamesMissingBlob()]))
        #expect(throws: TransactionRejection.covenant(.blobIndexOutOfRange(index: 5, count: 1))) {
            _ = try params.checkTransactionConnect(transaction, digests: transaction.digests, view: view, height: 10, blockTimestamp: .max)
        }
    }
}
