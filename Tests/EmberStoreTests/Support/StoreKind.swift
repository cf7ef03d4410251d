import EmberCrypto
import EmberStore
import Testing

/// The implementations the shared behavioural tests run against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inMemory
    case sqlite
    /// SQLite behind a write-back store that writes every block at once, so it must behave exactly
    /// like SQLite; WriteBackChainStoreTests cover batches.
    case writeBack

    var testDescription: String { rawValue }

    static let identity = ChainIdentity(
        networkID: 2,
        genesisHash: Hash32(Array(repeating: 0x6E, count: 32))!,
        parametersHash: Hash32(Array(repeating: 0x9A, count: 32))!
    )

    /// Runs `body` with a new, empty store of this kind, then closes it and deletes its files.
    func withStore<Result>(_ body: (any ChainStore) throws -> Result) throws -> Result {
        switch self {
        case .inMemory:
            return try body(InMemoryChainStore(identity: Self.identity))
        case .sqlite:
            let folder = TemporaryFolder()
            let store = try SQLiteChainStore(folder: folder.path, identity: Self.identity)
            defer { try? store.close() }
            return try body(store)
        case .writeBack:
            let folder = TemporaryFolder()
            let base = try SQLiteChainStore(folder: folder.path, identity: Self.identity)
            defer { try? base.close() }
            return try body(WriteBackChainStore(base: base, maxPendingBlocks: 1))
        }
    }
}
