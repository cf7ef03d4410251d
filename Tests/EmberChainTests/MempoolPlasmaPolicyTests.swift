import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The pool's policy for Plasma spends (docs/plasma.md, "Mempool policy for Plasma spends"; finding 2 of
/// docs/plasma-attacks.md): a Plasma spend weighs at most 20 000 and has one light child, so a thief
/// cannot pin an exit, a challenge or a bond behind megabytes an honest party must outbid.
@Suite("Mempool policy for Plasma spends")
struct MempoolPlasmaPolicyTests {
    typealias Fixture = MempoolCovenantFixture

    /// A commit of the fixture's escrow (tag 3, a Plasma spend) publishing a blob of `blobSize` bytes,
    /// its fee paid by seed account 4, change back to it.
    static func commit(_ fixture: Fixture, blobSize: Int, fee: Amount) -> Transaction {
        let blob = [UInt8](repeating: 0x5a, count: blobSize)
        let next = Lock.plasmaOperator(PlasmaOperatorLock(
            chainId: Fixture.chainId, operatorKey: RawPublicKey(SigningKey.devnet(index: 5).publicKey.bytes)!, nextNumber: 2))
        let block = Lock.plasmaBlock(PlasmaBlockLock(chainId: Fixture.chainId, number: 1, root: Blake3.hash(blob)))
        let key = SigningKey.devnet(index: 4)
        let seed = fixture.chain.seedOutPoint(4)
        let held = fixture.chain.utxos.unspentOutput(at: seed)!.output.amount
        let unlock = Unlock.plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.commit.rawValue, firstOutput: 0))
        return fixture.chain.covenantTransaction(
            covenant: [(fixture.escrow, unlock, Witness(items: []))], plain: [(seed, key)],
            outputs: [
                Output(amount: Amount(coins: 10)!, lock: next), Output(amount: .zero, lock: block),
                Output(amount: held.subtracting(fee)!, lock: .pubKeyHash(key.publicKey.publicKeyHash)),
            ],
            blobs: [blob])
    }

    /// A payment spending output `index` of `parent` (seed account 4's change) with `padding` dust outputs.
    static func child(of parent: Transaction, index: Int, fee: Amount, padding: Int = 0, fixture: Fixture) -> Transaction {
        let key = SigningKey.devnet(index: 4)
        let dust = fixture.chain.params.dust
        let extra = Array(repeating: Output(amount: dust, lock: Fixture.recipient), count: padding)
        let held = parent.outputs[index].amount
        let change = held.subtracting(fee)!.subtracting(Amount(units: dust.units * UInt128(padding)))!
        return fixture.chain.spend(
            [(OutPoint(txid: parent.txid, index: UInt32(index)), key)], to: extra + [Output(amount: change, lock: .pubKeyHash(key.publicKey.publicKeyHash))])
    }

    @Test("a Plasma spend heavier than 20 000 is refused; one within it enters")
    func weightCap() throws {
        var fixture = try Fixture()
        let heavy = Self.commit(fixture, blobSize: 21_000, fee: Fixture.fee(30))
        let weight = fixture.chain.params.weight(of: heavy, size: heavy.digests.size)
        #expect(weight > 20_000)
        #expect(fixture.rejection(of: heavy) == .plasmaSpendTooHeavy(weight: weight, limit: 20_000))
        let light = Self.commit(fixture, blobSize: 15_000, fee: Fixture.fee(30))
        try fixture.add(light)
        #expect(fixture.pool.entry(light.txid)?.isLayer2Spend == true)
    }

    @Test("a Plasma spend has one light child: a heavier child or a grandchild is refused")
    func oneLightChild() throws {
        var fixture = try Fixture()
        let commit = Self.commit(fixture, blobSize: 100, fee: Fixture.fee(2))
        try fixture.add(commit)
        let heavy = Self.child(of: commit, index: 2, fee: Fixture.fee(20), padding: 260, fixture: fixture)
        let heavyWeight = fixture.chain.params.weight(of: heavy, size: heavy.digests.size)
        #expect(heavyWeight > 10_000)
        #expect(fixture.rejection(of: heavy) == .layer2SpendChildTooHeavy(spend: commit.txid, weight: heavyWeight, limit: 10_000))
        let child = Self.child(of: commit, index: 2, fee: Fixture.fee(2), fixture: fixture)
        try fixture.add(child)
        let grandchild = Self.child(of: child, index: 0, fee: Fixture.fee(2), fixture: fixture)
        #expect(fixture.rejection(of: grandchild) == .layer2SpendHasChild(spend: commit.txid))
    }
}
