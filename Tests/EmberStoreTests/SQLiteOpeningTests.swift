import EmberCore
import EmberCrypto
import Foundation
import GRDB
import Testing

@testable import EmberStore

/// Opening a data folder: new folders are initialised; anything that is not this chain's database is
/// reported and left byte for byte as it was.
@Suite struct SQLiteOpeningTests {
    let identity = StoreKind.identity

    @Test func newNestedFolderIsCreatedAndInitialised() throws {
        let parent = TemporaryFolder()
        let folder = parent.file("a/b/devnet")
        let store = try SQLiteChainStore(folder: folder, identity: identity)
        defer { try? store.close() }
        #expect(store.databasePath == folder + "/ember.sqlite")
        #expect(FileManager.default.fileExists(atPath: store.databasePath))
        #expect(try store.tip() == nil)
    }

    @Test func emptyFileFromAnInterruptedFirstStartIsInitialised() throws {
        let folder = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: folder.file("ember.sqlite"), contents: Data()))
        let store = try SQLiteChainStore(folder: folder.path, identity: identity)
        defer { try? store.close() }
        #expect(try store.allIndexEntries().isEmpty)
    }

    @Test func usesWriteAheadLogNormalSynchronousAndInMemoryStatementJournals() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteChainStore(folder: folder.path, identity: identity)
        defer { try? store.close() }
        let (journalMode, synchronous) = try store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journalMode == "wal")
        #expect(synchronous == 1, "1 is NORMAL")
        let (checkpointPages, tempStore) = try store.pool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA temp_store"))
        }
        #expect(checkpointPages == 16_384)
        #expect(tempStore == 2, "2 is MEMORY: statement journals stay off the disk")
    }

    static let otherIdentities: [ChainIdentity] = {
        let base = StoreKind.identity
        var otherNetwork = base
        otherNetwork.networkID = 0
        var otherGenesis = base
        otherGenesis.genesisHash = .zero
        var otherParameters = base
        otherParameters.parametersHash = Hash32(Array(repeating: 0x01, count: 32))!
        return [otherNetwork, otherGenesis, otherParameters]
    }()

    @Test(arguments: otherIdentities)
    func anotherChainsFolderIsRefused(other: ChainIdentity) throws {
        let folder = TemporaryFolder()
        try SQLiteChainStore(folder: folder.path, identity: identity).close()
        let bytes = try contents(of: folder.file("ember.sqlite"))
        #expect(throws: StoreError.foreignDatabase(expected: other, found: identity)) {
            try SQLiteChainStore(folder: folder.path, identity: other)
        }
        #expect(try contents(of: folder.file("ember.sqlite")) == bytes)
        let reopened = try SQLiteChainStore(folder: folder.path, identity: identity)
        try reopened.close()
    }

    @Test func truncatedDatabaseIsReportedDamagedAndLeftAlone() throws {
        let folder = TemporaryFolder()
        let path = folder.file("ember.sqlite")
        try filledStore(in: folder)
        let full = try contents(of: path)
        let truncated = Data(full.prefix(full.count / 2 + 100))
        try truncated.write(to: URL(fileURLWithPath: path))
        #expect {
            try SQLiteChainStore(folder: folder.path, identity: identity)
        } throws: { error in
            guard case StoreError.damagedDatabase(path, _) = error else { return false }
            return true
        }
        #expect(try contents(of: path) == truncated)
    }

    /// Files that are not SQLite, by what they hold.
    static let garbage: [String: [UInt8]] = [
        "text": Array("not a database, just a few words of text\n".utf8),
        "8 KiB of 0xA5": [UInt8](repeating: 0xA5, count: 8_192),
        "the first letters of the magic": Array("SQLite".utf8),
    ]

    @Test(arguments: garbage.keys.sorted())
    func garbageFileIsNotADatabaseAndLeftAlone(kind: String) throws {
        let folder = TemporaryFolder()
        let path = folder.file("ember.sqlite")
        let garbage = try #require(Self.garbage[kind])
        try Data(garbage).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) {
            try SQLiteChainStore(folder: folder.path, identity: identity)
        }
        #expect(try contents(of: path) == Data(garbage))
    }

    @Test(arguments: [
        "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada')",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('version', '3')",
        "PRAGMA journal_mode = WAL; CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada')",
    ])
    func anotherProgramsDatabaseIsRefusedAndLeftAlone(schema: String) throws {
        let folder = TemporaryFolder()
        let path = folder.file("ember.sqlite")
        let foreign = try DatabaseQueue(path: path)
        try foreign.writeWithoutTransaction { db in try db.execute(sql: schema) }
        try foreign.close()
        let bytes = try contents(of: path)
        #expect(throws: StoreError.notAnEmberDatabase(path: path)) {
            try SQLiteChainStore(folder: folder.path, identity: identity)
        }
        #expect(try contents(of: path) == bytes)
    }

    @Test func newerSchemaIsRefused() throws {
        let folder = TemporaryFolder()
        try SQLiteChainStore(folder: folder.path, identity: identity).close()
        let database = try DatabaseQueue(path: folder.file("ember.sqlite"))
        try database.write { db in try db.execute(sql: "UPDATE meta SET schema_version = 99") }
        try database.close()
        #expect(throws: StoreError.newerSchema(found: 99, supported: StoreSchema.version)) {
            try SQLiteChainStore(folder: folder.path, identity: identity)
        }
    }

    @Test func dataFolderThatIsAFileIsRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.file("not-a-folder")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        #expect(throws: StoreError.notAFolder(path: path)) {
            try SQLiteChainStore(folder: path, identity: identity)
        }
    }

    private func contents(of path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A closed store in `folder` with a few blocks, so its file spans many pages.
    private func filledStore(in folder: TemporaryFolder) throws {
        var builder = ChainBuilder(seed: 30)
        let store = try SQLiteChainStore(folder: folder.path, identity: identity)
        for step in builder.nextBlocks(20, transactionCount: 10) { try store.append(step) }
        try store.close()
    }
}
