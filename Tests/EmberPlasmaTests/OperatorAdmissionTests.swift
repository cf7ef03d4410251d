import EmberCore
import EmberCrypto
import EmberPlasma
import Foundation
import Testing

/// Admission read as an attacker's notebook: one test per way a move is accepted, one per attack that
/// must be refused. Every move is signed here with real keys; the expected verdicts follow from the
/// rule (docs/plasma.md, "Child transactions"), not from the operator's code.
@Suite("Plasma operator admission")
struct OperatorAdmissionTests {
    static let alice = OperatorFixture.key(1)
    static let bob = OperatorFixture.key(2)
    static let carol = OperatorFixture.key(3)
    static let mallory = OperatorFixture.key(4)

    @Test("a first move signed by the depositor is accepted, stored, and sealed into block 1")
    func firstMoveByDepositor() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("a", by: Self.alice, into: service.store)
        let move = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([move]) == [.accepted])
        #expect(try service.store.pendingMoves(limit: 10) == [move])
        let sealed = try #require(try await service.sealBlock())
        #expect(sealed.number == 1 && sealed.transactionCount == 1)
        #expect(try service.store.coin(coin)?.ownerKey == OperatorFixture.raw(Self.bob))
    }

    @Test("a move of a coin with no registered deposit is refused")
    func unknownCoin() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = OperatorFixture.coin("never deposited")
        let move = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([move]) == [.refused(.unknownCoin(coin))])
        #expect(try service.store.pendingCount() == 0)
    }

    @Test("a move signed by anyone but the coin's latest owner is refused, and so is the owner's signature for another network")
    func forgedSignatures() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("a", by: Self.alice, into: service.store)
        let byMallory = try fixture.move(coin, parent: 0, to: Self.mallory, signedBy: Self.mallory)
        let otherNetwork = try fixture.move(coin, parent: 0, to: Self.mallory, signedBy: Self.alice, network: .testnet)
        var retargeted = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)
        retargeted.newOwnerKey = OperatorFixture.raw(Self.mallory)
        let expected = AdmissionVerdict.refused(.badSignature(expectedSigner: OperatorFixture.raw(Self.alice)))
        #expect(try await service.submit([byMallory, otherNetwork, retargeted]) == [expected, expected, expected])
        #expect(try service.store.pendingCount() == 0)
    }

    @Test("a move naming another parent than the coin's latest entry is refused with both blocks")
    func wrongParent() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("a", by: Self.alice, into: service.store)
        let skipping = try fixture.move(coin, parent: 3, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([skipping]) == [.refused(.wrongParent(expected: 0, found: 3))])
    }

    @Test("after a block moves the coin, only its new owner can move it on, naming that block; the old owner's replay is refused")
    func historyAdvances() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("a", by: Self.alice, into: service.store)
        #expect(try await service.submit([try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)]) == [.accepted])
        try await service.sealBlock()
        // Alice signs a second move from the deposit (a double spend) and a move from block 1 she no longer owns.
        let doubleSpend = try fixture.move(coin, parent: 0, to: Self.carol, signedBy: Self.alice)
        let notHers = try fixture.move(coin, parent: 1, to: Self.carol, signedBy: Self.alice)
        let verdicts = try await service.submit([doubleSpend, notHers])
        #expect(verdicts == [
            .refused(.wrongParent(expected: 1, found: 0)), .refused(.badSignature(expectedSigner: OperatorFixture.raw(Self.bob))),
        ])
        let byBob = try fixture.move(coin, parent: 1, to: Self.carol, signedBy: Self.bob)
        #expect(try await service.submit([byBob]) == [.accepted])
        #expect(try await service.sealBlock()?.number == 2)
        #expect(try service.store.coin(coin)?.latestBlock == 2)
        #expect(try service.store.move(of: coin, inBlock: 2) == byBob)
    }

    @Test("a second move of a coin before the next block is refused, whether pending already or earlier in the same batch")
    func oneMovePerBlock() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let first = try fixture.deposit("a", by: Self.alice, into: service.store)
        let second = try fixture.deposit("b", by: Self.alice, into: service.store)
        #expect(try await service.submit([try fixture.move(first, parent: 0, to: Self.bob, signedBy: Self.alice)]) == [.accepted])
        let toCarol = try fixture.move(first, parent: 0, to: Self.carol, signedBy: Self.alice)
        #expect(try await service.submit([toCarol]) == [.refused(.alreadyMovedThisBlock(first))])
        // In one batch, the first move that passes every check wins; a forged one before it does not block it.
        let forged = try fixture.move(second, parent: 0, to: Self.mallory, signedBy: Self.mallory)
        let good = try fixture.move(second, parent: 0, to: Self.bob, signedBy: Self.alice)
        let late = try fixture.move(second, parent: 0, to: Self.carol, signedBy: Self.alice)
        #expect(try await service.submit([forged, good, late]) == [
            .refused(.badSignature(expectedSigner: OperatorFixture.raw(Self.alice))), .accepted, .refused(.alreadyMovedThisBlock(second)),
        ])
        #expect(try Set(service.store.pendingMoves(limit: 10).map(\.newOwnerKey)) == [OperatorFixture.raw(Self.bob)])
        #expect(try service.store.pendingCount() == 2)
    }

    @Test("resending a move's same bytes after a lost answer is alreadyAccepted and stores nothing new; after its block, it names an old parent")
    func resend() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let first = try fixture.deposit("a", by: Self.alice, into: service.store)
        let second = try fixture.deposit("b", by: Self.alice, into: service.store)
        let move = try fixture.move(first, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([move]) == [.accepted])
        #expect(try await service.submit([move]) == [.alreadyAccepted])
        // Other bytes for the same fields (a second signature would be; here one bit of it flipped) are
        // another leaf: a second move of the coin, refused before its signature is even checked.
        var otherBytes = move
        var signatureBytes = move.signature.bytes
        signatureBytes[0] ^= 1
        otherBytes.signature = try Signature(bytes: signatureBytes)
        #expect(try await service.submit([otherBytes]) == [.refused(.alreadyMovedThisBlock(first))])
        let other = try fixture.move(second, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([other, other]) == [.accepted, .alreadyAccepted])
        #expect(try service.store.pendingCount() == 2)
        #expect(try await service.sealBlock()?.transactionCount == 2)
        #expect(try await service.submit([move]) == [.refused(.wrongParent(expected: 1, found: 0))])
    }

    @Test("of many concurrent requests moving one coin to different owners, exactly one is accepted")
    func concurrentDoubleSpend() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("a", by: Self.alice, into: service.store)
        let moves = try (0..<16).map { try fixture.move(coin, parent: 0, to: OperatorFixture.key(10 + $0), signedBy: Self.alice) }
        let verdicts = try await withThrowingTaskGroup(of: [AdmissionVerdict].self) { group in
            for move in moves { group.addTask { try await service.submit([move]) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(verdicts.filter(\.isAccepted).count == 1)
        #expect(verdicts.filter { $0 == .refused(.alreadyMovedThisBlock(coin)) }.count == 15)
        #expect(try service.store.pendingCount() == 1)
    }

    @Test("a mixed batch stores exactly its accepted moves, and answers in the order sent")
    func mixedBatch() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        var moves = [ChildTransaction]()
        var expected = [AdmissionVerdict]()
        for index in 0..<200 {
            let coin = try fixture.deposit("mixed \(index)", by: Self.alice, into: service.store)
            if index % 5 == 3 {
                moves.append(try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.mallory))
                expected.append(.refused(.badSignature(expectedSigner: OperatorFixture.raw(Self.alice))))
            } else {
                moves.append(try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice))
                expected.append(.accepted)
            }
        }
        #expect(try await service.submit(moves) == expected)
        let stored = Set(try service.store.pendingMoves(limit: 1_000))
        #expect(stored == Set(zip(moves, expected).filter { $0.1 == .accepted }.map(\.0)))
        #expect(stored.count == 160)
    }

    @Test("a deposit whose history starts after the next block cannot move yet")
    func notYetActive() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("late", by: Self.alice, into: service.store, firstBlock: 3)
        let move = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([move]) == [.refused(.coinNotYetActive(firstBlock: 3, nextBlock: 1))])
    }

    @Test("a frozen chain admits nothing and seals nothing; what was pending stays")
    func frozenChain() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let first = try fixture.deposit("a", by: Self.alice, into: service.store)
        let second = try fixture.deposit("b", by: Self.alice, into: service.store)
        #expect(try await service.submit([try fixture.move(first, parent: 0, to: Self.bob, signedBy: Self.alice)]) == [.accepted])
        try await service.freeze()
        #expect(try await service.submit([try fixture.move(second, parent: 0, to: Self.bob, signedBy: Self.alice)]) == [.refused(.chainFrozen)])
        #expect(try await service.sealBlock() == nil)
        #expect(try service.store.lastBlockNumber() == 0)
        #expect(try service.store.pendingCount() == 1)
    }

    @Test("the pure rule refuses in its order: frozen, unknown, not yet active, wrong parent, already moved")
    func ruleOrder() throws {
        let fixture = OperatorFixture()
        let coin = OperatorFixture.coin("pure")
        let move = try fixture.move(coin, parent: 2, to: Self.bob, signedBy: Self.alice)
        let view = OperatorAdmission.CoinView(
            firstBlock: 5, latestBlock: 1, ownerKey: OperatorFixture.raw(Self.alice), pendingLeaf: Blake3.hash(Array("another move".utf8)))
        #expect(OperatorAdmission.checkState(move, coin: view, nextBlock: 4, isFrozen: true) == .chainFrozen)
        #expect(OperatorAdmission.checkState(move, coin: nil, nextBlock: 4, isFrozen: false) == .unknownCoin(coin))
        #expect(OperatorAdmission.checkState(move, coin: view, nextBlock: 4, isFrozen: false) == .coinNotYetActive(firstBlock: 5, nextBlock: 4))
        #expect(OperatorAdmission.checkState(move, coin: view, nextBlock: 6, isFrozen: false) == .wrongParent(expected: 1, found: 2))
        let fromOne = try fixture.move(coin, parent: 1, to: Self.bob, signedBy: Self.alice)
        #expect(OperatorAdmission.checkState(fromOne, coin: view, nextBlock: 6, isFrozen: false) == .alreadyMovedThisBlock(coin))
        var free = view
        #expect(!OperatorAdmission.isResend(fromOne, coin: view))
        free.pendingLeaf = nil
        #expect(OperatorAdmission.checkState(fromOne, coin: free, nextBlock: 6, isFrozen: false) == nil)
    }
}
