import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport
import Foundation
import Testing

@testable import EmberChain

/// Headers without valid work never reach the store; invalid hashes are remembered in memory, bounded.
@Suite("chain: junk headers")
struct ChainJunkHeaderTests {
    static let params = ChainBuilder.fastParams()
    static let identity = ChainIdentity(networkID: params.networkID.rawValue, genesisHash: params.genesisBlock.hash, parametersHash: params.parametersHash)

    /// The total size of the files in `folder` (the database and its journal).
    static func bytes(in folder: URL) throws -> Int {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.fileSizeKey]).reduce(0) {
            $0 + (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0)
        }
    }

    /// `header` with the first nonce from `start` whose hash misses the header's target.
    static func withoutWork(_ header: BlockHeader, from start: UInt64) -> BlockHeader {
        var junk = header
        var counter = start
        repeat {
            junk.nonce = Nonce(high: 1, middle: 0, low: counter)
            counter += 1
        } while BigUInt(hash: junk.hash) <= junk.target.value
        return junk
    }

    @Test("a flood of 1 000 headers with bad proof of work leaves the store and its file as they were")
    func junkFlood() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-junk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 3)
        let store = try SQLiteChainStore(folder: folder.path, identity: Self.identity)
        defer { try? store.close() }
        let chain = try await Chain(params: Self.params, store: store)
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: builder.nowMs) }
        let entriesBefore = try store.allIndexEntries().count
        let bytesBefore = try Self.bytes(in: folder)
        #expect(entriesBefore == 4)

        var nonce: UInt64 = 0
        for round in 0..<1_000 {
            var header = builder.makeBlock().header
            header.timestamp += UInt64(round)
            let junk = Self.withoutWork(header, from: nonce)
            nonce = junk.nonce.low + 1
            let outcome = try await chain.acceptHeaders([junk], nowMs: builder.nowMs)
            guard case .insufficientWork = outcome.rejection?.rejection, outcome.needingBodies.isEmpty else {
                Issue.record("junk header \(round) was not refused for its work: \(outcome)")
                return
            }
        }
        // A block with such a header is refused the same way.
        var block = builder.makeBlock()
        block.header = Self.withoutWork(block.header, from: nonce)
        guard case .rejected(.insufficientWork) = try await chain.submit(block, nowMs: builder.nowMs) else {
            Issue.record("a block without valid work was not refused for it")
            return
        }

        #expect(try store.allIndexEntries().count == entriesBefore)
        #expect(try Self.bytes(in: folder) == bytesBefore)
        #expect(await chain.index.count == entriesBefore)
        #expect(await chain.invalidHeaders.count <= InvalidHashMemory.defaultCapacity)
        #expect(await chain.tip.hash == builder.tip.hash)
    }

    @Test("a header with valid work that fails in context is remembered in memory, not stored; so are its children")
    func invalidInContextStaysInMemory() async throws {
        var builder = ChainBuilder(params: Self.params)
        try builder.extend(by: 2)
        let store = InMemoryChainStore(identity: Self.identity)
        let chain = try await Chain(params: Self.params, store: store)
        for block in builder.blocks.dropFirst() { _ = try await chain.submit(block, nowMs: builder.nowMs) }
        var early = builder.makeBlock()
        early.header.timestamp = builder.tip.header.timestamp
        early = ChainBuilder.mined(early)
        let outcome = try await chain.acceptHeaders([early.header], nowMs: builder.nowMs)
        #expect(outcome.rejection?.rejection == .timestampNotAfterParent(parent: builder.tip.header.timestamp, found: builder.tip.header.timestamp))
        #expect(await chain.isKnownInvalid(early.hash))
        #expect(try store.indexEntry(for: early.hash) == nil)
        #expect(try store.allIndexEntries().count == 3)
        // Sent again, it is known; a child of it is invalid too, and a block with its hash is refused.
        #expect(try await chain.acceptHeaders([early.header], nowMs: builder.nowMs).knownInvalidAt == 0)
        var child = early
        child.header.parent = early.hash
        child.header.height += 1
        child.header.timestamp += 1_000
        child = ChainBuilder.mined(child)
        #expect(try await chain.acceptHeaders([child.header], nowMs: builder.nowMs).knownInvalidAt == 0)
        #expect(await chain.isKnownInvalid(child.hash))
        #expect(try await chain.submit(early, nowMs: builder.nowMs) == .knownInvalid)
        #expect(try store.allIndexEntries().count == 3)
        #expect(await chain.unknownBlocks(among: [early.hash, child.hash]).isEmpty)
    }

    @Test("the memory of invalid hashes forgets the oldest once full")
    func boundedMemory() {
        var memory = InvalidHashMemory(capacity: 3)
        let hashes = (1...5).map { Hash32(bigEndianWords: (UInt64($0), 0, 0, 0)) }
        for hash in hashes { memory.insert(hash) }
        #expect(memory.count == 3)
        #expect(!memory.contains(hashes[0]) && !memory.contains(hashes[1]))
        #expect(memory.contains(hashes[2]) && memory.contains(hashes[3]) && memory.contains(hashes[4]))
        memory.insert(hashes[4])
        #expect(memory.count == 3 && memory.contains(hashes[2]))
        #expect(InvalidHashMemory().capacity == 4_096)
    }
}
