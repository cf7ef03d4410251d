import EmberCore
import EmberCrypto
import EmberPlasma
import Foundation
import Testing

/// Sealing: the pending set becomes the next child block, by hand or every interval, and a restarted
/// operator goes on where it stopped.
@Suite("Plasma operator sealing")
struct OperatorSealingTests {
    static let alice = OperatorFixture.key(1)
    static let bob = OperatorFixture.key(2)

    /// The blocks an `onSealed` hook saw, in the order it saw them.
    actor SealedLog {
        var blocks: [SealedBlock] = []
        func append(_ block: SealedBlock) { blocks.append(block) }
    }

    /// Deposits `count` coins by Alice and returns their first moves to Bob.
    static func firstMoves(_ count: Int, prefix: String, fixture: OperatorFixture, store: OperatorStore) throws -> [ChildTransaction] {
        try (0..<count).map { index in
            let coin = try fixture.deposit("\(prefix) \(index)", by: alice, into: store)
            return try fixture.move(coin, parent: 0, to: bob, signedBy: alice)
        }
    }

    @Test("nothing pending makes no block; blocks are numbered from 1, one after the other")
    func numbering() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        #expect(try await service.sealBlock() == nil)
        for expected in UInt64(1)...3 {
            let moves = try Self.firstMoves(2, prefix: "round \(expected)", fixture: fixture, store: service.store)
            #expect(try await service.submit(moves) == [.accepted, .accepted])
            let sealed = try #require(try await service.sealBlock())
            #expect(sealed.number == expected && sealed.transactionCount == 2)
            #expect(try await service.sealBlock() == nil)
        }
        #expect(try service.store.lastBlockNumber() == 3)
    }

    @Test("the loop seals every interval by itself and calls onSealed once per block, in order")
    func loopSeals() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let log = SealedLog()
        let service = try fixture.service(blockInterval: .milliseconds(100)) { await log.append($0) }
        let running = Task { try await service.run() }
        defer { running.cancel() }
        for round in 0..<3 {
            let moves = try Self.firstMoves(3, prefix: "loop \(round)", fixture: fixture, store: service.store)
            #expect(try await service.submit(moves).allSatisfy(\.isAccepted))
            let deadline = ContinuousClock.now + .seconds(20)
            while try service.store.pendingCount() > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try service.store.pendingCount() == 0)
        }
        running.cancel()
        _ = await running.result
        let seen = await log.blocks
        #expect(seen.map(\.number) == [1, 2, 3])
        #expect(try seen.map(\.root) == (1...3).map { try #require(try service.store.block($0)).root })
        #expect(seen.allSatisfy { $0.transactionCount == 3 })
    }

    @Test("a restarted operator still has its pending moves and numbers the next block after its last")
    func restart() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        var service = try fixture.service()
        let sealedMoves = try Self.firstMoves(4, prefix: "before", fixture: fixture, store: service.store)
        #expect(try await service.submit(sealedMoves).allSatisfy(\.isAccepted))
        let first = try #require(try await service.sealBlock())
        let waiting = try Self.firstMoves(5, prefix: "waiting", fixture: fixture, store: service.store)
        #expect(try await service.submit(waiting).allSatisfy(\.isAccepted))
        try service.store.close()

        service = try fixture.service()
        #expect(try service.store.pendingCount() == 5)
        // Bob, the owner after block 1, moves a coin sealed before the restart.
        let onward = try fixture.move(sealedMoves[0].coinId, parent: 1, to: Self.alice, signedBy: Self.bob)
        // That coin has no pending move, so it joins the five waiting ones.
        #expect(try await service.submit([onward]) == [.accepted])
        let second = try #require(try await service.sealBlock())
        #expect(second.number == 2 && second.transactionCount == 6)
        // Block 1 is rebuilt from the store (the new operator never built it) and its proofs hold.
        let (stored, block) = try #require(try await service.childBlock(1))
        #expect(stored.root == first.root && block.root == first.root)
        for move in sealedMoves {
            guard case .moved(let included, let proof) = block.proof(for: move.coinId) else {
                Issue.record("block 1 moved coin \(move.coinId)")
                continue
            }
            #expect(included == move)
            #expect(SparseMerkleTree.verify(proof, key: move.coinId, leaf: Blake3.hash(move.encoded), root: first.root))
        }
    }

    @Test("a block takes at most maxMovesPerBlock moves, the oldest; the rest go into the next")
    func blockSizeBound() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service(maxMovesPerBlock: 3)
        let moves = try Self.firstMoves(5, prefix: "bounded", fixture: fixture, store: service.store)
        for move in moves { #expect(try await service.submit([move]) == [.accepted]) }
        #expect(try await service.sealBlock()?.transactionCount == 3)
        #expect(try Set(service.store.moves(inBlock: 1)) == Set(moves.prefix(3)))
        #expect(try await service.sealBlock()?.transactionCount == 2)
        #expect(try Set(service.store.moves(inBlock: 2)) == Set(moves.suffix(2)))
    }
}
