import EmberCore
import EmberCrypto
import EmberPlasma
import Foundation
import Logging

/// A Plasma operator's test set-up: a temporary folder with the store's SQLite file, a chain id, real
/// devnet keys for depositors and receivers, and moves signed with them here, never by the operator.
struct OperatorFixture {
    let folder: URL
    let network = NetworkID.devnet
    let chainId = Blake3.hash(Array("operator tests chain".utf8))

    init() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-operator-tests-\(UUID().uuidString)")
    }

    var storePath: String { folder.appendingPathComponent("operator.sqlite").path }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    func openStore() throws -> OperatorStore {
        try OperatorStore(path: storePath, chainId: chainId, network: network)
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "ember.test.plasma-operator")
        logger.logLevel = .critical
        return logger
    }

    /// An operator over a fresh opening of the store; its loop seals only when run.
    func service(
        blockInterval: Duration = .seconds(3600), maxMovesPerBlock: Int = 250_000,
        onSealed: @escaping @Sendable (SealedBlock) async -> Void = { _ in }
    ) throws -> OperatorService {
        OperatorService(
            store: try openStore(), configuration: .init(blockInterval: blockInterval, maxMovesPerBlock: maxMovesPerBlock),
            logger: Self.quietLogger, onSealed: onSealed)
    }

    /// Devnet key `200 + index`: the tests' owners.
    static func key(_ index: UInt32) -> SigningKey { .devnet(index: 200 + index) }

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }

    static func coin(_ name: String) -> Hash32 { Blake3.hash(Array("coin \(name)".utf8)) }

    /// Registers coin `name` deposited by `depositor`, history from block `firstBlock`.
    @discardableResult
    func deposit(_ name: String, by depositor: SigningKey, into store: OperatorStore, firstBlock: UInt64 = 1) throws -> Hash32 {
        let coin = Self.coin(name)
        try store.registerDeposit(coinId: coin, depositorKey: Self.raw(depositor), amount: Amount(units: 1_000), firstBlock: firstBlock)
        return coin
    }

    /// `coin`'s move from its entry at `parent` to `receiver`, signed by `signer`.
    func move(_ coin: Hash32, parent: UInt64, to receiver: SigningKey, signedBy signer: SigningKey, network: NetworkID? = nil) throws -> ChildTransaction {
        try ChildTransaction(coinId: coin, parentBlock: parent, newOwnerKey: Self.raw(receiver), signedBy: signer, network: network ?? self.network)
    }
}
