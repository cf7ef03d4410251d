import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Foundation
import Testing

/// Chains on the test-only covenant rules (`TestCovenants`), built through the real consensus rules by
/// `ChainBuilder`, and real SQLite stores in temporary folders to submit them to.
struct CovenantChainFixture {
    static let params = TestCovenants.params()
    static let operatorKey = SigningKey.devnet(index: 5)
    static let chainId = Hash32(Array(repeating: 0xc1, count: 32))!
    static let fee = Amount(units: 10_000_000_000 * 40_000)
    static let escrowAmount = Amount(coins: 10)!
    static let bondLock = Lock.plasmaBond(PlasmaBondLock(chainId: chainId, exitWindow: 10, state: .open))

    static var identity: ChainIdentity {
        ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)
    }

    static func escrowLock(number: UInt64) -> Lock {
        .plasmaOperator(PlasmaOperatorLock(chainId: chainId, operatorKey: RawPublicKey(operatorKey.publicKey.bytes)!, nextNumber: number))
    }

    static func plasma(_ mode: CovenantUnlock.PlasmaMode) -> Unlock {
        .plasma(CovenantUnlock(mode: mode.rawValue, firstOutput: 0))
    }

    static let noWitness = Witness(items: [])

    var builder: ChainBuilder
    /// Every block's figures as the consensus rules report them (`BlockEffects`), by block hash.
    var effects: [Hash32: BlockEffects] = [:]

    /// Genesis, an empty block, then a block funding an escrow of 10 coins from seed account 1.
    static func shared() throws -> (CovenantChainFixture, escrow: OutPoint) {
        var fixture = CovenantChainFixture(builder: ChainBuilder(params: params))
        try fixture.append([])
        let funding = fixture.builder.payment(
            from: fixture.builder.seedOutPoint(1), key: .devnet(index: 1), amount: escrowAmount, fee: fee, to: escrowLock(number: 1))
        try fixture.append([funding])
        return (fixture, OutPoint(txid: funding.txid, index: 0))
    }

    /// Builds a block of `transactions` on the tip, appends it, and keeps its effects.
    @discardableResult
    mutating func append(_ transactions: [Transaction]) throws -> Block {
        let block = builder.makeBlock(transactions)
        effects[block.hash] = try builder.append(block)
        return block
    }

    /// Change to seed account `seed` spending its whole genesis output plus `extraIn`, after paying
    /// `outputs`, burning `burnt` and paying the fee.
    func change(seed: UInt32, extraIn: Amount = .zero, outputs: [Output] = [], burnt: Amount = .zero) -> Output {
        let held = builder.utxos.unspentOutput(at: builder.seedOutPoint(seed))!.output.amount.adding(extraIn)!
        let paid = outputs.map(\.amount).checkedSum()!.adding(burnt)!.adding(Self.fee)!
        return Output(amount: held.subtracting(paid)!, lock: .pubKeyHash(SigningKey.devnet(index: seed).publicKey.publicKeyHash))
    }

    /// A commit of `escrow` (currently at `number`) publishing `blob` as blob 0, paid by seed account `seed`.
    func commit(_ escrow: OutPoint, number: UInt64, blob: [UInt8], seed: UInt32) -> Transaction {
        let pinned = [
            Output(amount: Self.escrowAmount, lock: Self.escrowLock(number: number + 1)),
            Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: Self.chainId, number: number, root: Blake3.hash(blob)))),
        ]
        return builder.covenantTransaction(
            covenant: [(escrow, Self.plasma(.commit), Self.noWitness)], plain: [(builder.seedOutPoint(seed), .devnet(index: seed))],
            outputs: pinned + [change(seed: seed)], blobs: [blob])
    }

    /// A payment by seed account `seed` back to itself that reads `reads` and publishes `blobs`; with reads
    /// it also creates a bond of dust, whose test creation rule uses them (a read no rule uses is invalid).
    func reader(_ reads: [OutPoint], blobs: [[UInt8]], seed: UInt32) -> Transaction {
        let user = reads.isEmpty ? [] : [Output(amount: builder.params.dust, lock: Self.bondLock)]
        return builder.covenantTransaction(
            covenant: [], plain: [(builder.seedOutPoint(seed), .devnet(index: seed))], reads: reads,
            outputs: user + [change(seed: seed, outputs: user)], blobs: blobs)
    }

    /// An exit of `escrow`, which burns half its 10 coins, paid by seed account `seed`.
    func exit(_ escrow: OutPoint, seed: UInt32) -> Transaction {
        builder.covenantTransaction(
            covenant: [(escrow, Self.plasma(.exit), Self.noWitness)], plain: [(builder.seedOutPoint(seed), .devnet(index: seed))],
            outputs: [change(seed: seed, extraIn: Self.escrowAmount, burnt: Amount(coins: 5)!)])
    }

    /// The supply the consensus rules give the builder's chain: every block's reward and burn, summed.
    var expectedSupply: SupplyTotals {
        var minted = Amount.zero
        var burnt = Amount.zero
        for block in builder.blocks.dropFirst() {
            let effect = effects[block.hash]!
            minted = minted.adding(effect.reward.reward)!
            burnt = burnt.adding(effect.burnt)!
        }
        return SupplyTotals(minted: minted, burnt: burnt)
    }

    // MARK: Stores and chains

    /// Submits blocks in order; each must connect or be kept on a side branch.
    static func submit(_ blocks: some Sequence<Block>, to chain: Chain) async throws {
        for block in blocks {
            let outcome = try await chain.submit(block, nowMs: block.header.timestamp + 1_000)
            switch outcome {
            case .connected, .sideBranch: break
            default: Issue.record("block \(block.header.height) gave \(outcome)")
            }
        }
    }

    /// Every entry of the store's UTXO set, in outpoint order.
    static func utxoSet(of store: any ChainStore) throws -> [UTXO] {
        var all = [UTXO]()
        while true {
            let page = try store.utxoSet(after: all.last?.outpoint, limit: 500)
            guard !page.isEmpty else { return all }
            all += page
        }
    }

    /// Every row of the store's blob index, in key order.
    static func blobIndex(of store: any ChainStore) throws -> [BlobLocation] {
        var all = [BlobLocation]()
        while true {
            let page = try store.blobLocations(after: all.last, limit: 2)
            guard !page.isEmpty else { return all }
            all += page
        }
    }
}

/// A fresh folder under the system's temporary folder, deleted with everything in it when released.
final class TemporaryChainFolder: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ember-chain-tests-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A new SQLite store in this folder (several may be open at once: the database is in WAL mode).
    func openStore() throws -> SQLiteChainStore {
        try SQLiteChainStore(folder: path, identity: CovenantChainFixture.identity)
    }
}
