import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTruebit
import Foundation
import GRDB
import Testing

@Suite("Truebit daemon store")
struct TruebitStoreTests {
    typealias S = StoreSamples

    @Test("everything stored is there, unchanged, after the store is closed and opened again")
    func reopenKeepsEverything() throws {
        let samples = StoreSamples()
        defer { samples.remove() }
        let cursor = ChainCursor(height: 17, hash: S.hash(0x40))
        do {
            let store = try samples.open()
            try store.apply(TruebitChainChange(created: [S.taskRecord, S.solutionRecord, S.spentGame]), cursor: ChainCursor(height: 16, hash: S.hash(0x41)))
            try store.apply(
                TruebitChainChange(created: [S.gameRecord], spent: [.init(outpoint: S.spentGame.outpoint, spend: S.spentGame.spend!)]), cursor: cursor)
            try store.save(S.solution)
            try store.save(TaskDecision(taskId: S.hash(1), verdict: .taken, reason: "ran in 0.2 s", height: 13))
            try store.save(TaskDecision(taskId: S.hash(2), verdict: .refused, reason: "maxSteps over the limit", height: 13))
            try store.save(SolutionVerdict(solutionId: S.hash(6), agrees: false, ownState: S.hash(0x42), height: 16))
            try store.recordAction("bisect/x", txid: S.hash(0x43), height: 17)
            try store.close()
        }
        let store = try samples.open()
        #expect(try store.cursor() == cursor)
        #expect(try store.record(S.taskRecord.outpoint) == S.taskRecord)
        #expect(try store.record(S.gameRecord.outpoint) == S.gameRecord)
        #expect(try store.record(S.spentGame.outpoint) == S.spentGame)
        #expect(try store.records(tag: Lock.Tag.truebitGame) == [S.gameRecord])
        #expect(try store.records(tag: Lock.Tag.truebitGame, includeSpent: true) == [S.spentGame, S.gameRecord])
        #expect(try store.records(subject: S.hash(6)) == [S.solutionRecord, S.spentGame, S.gameRecord])
        #expect(try store.records(subject: S.hash(1)) == [S.taskRecord])
        #expect(try store.solutions() == [S.solution])
        #expect(try store.decision(taskId: S.hash(1)) == TaskDecision(taskId: S.hash(1), verdict: .taken, reason: "ran in 0.2 s", height: 13))
        #expect(try store.decision(taskId: S.hash(2))?.verdict == .refused)
        #expect(try store.decision(taskId: S.hash(3)) == nil)
        #expect(try store.verdict(solutionId: S.hash(6)) == SolutionVerdict(solutionId: S.hash(6), agrees: false, ownState: S.hash(0x42), height: 16))
        #expect(try store.action("bisect/x") == SentAction(key: "bisect/x", txid: S.hash(0x43), height: 17))
        #expect(try store.action("bisect/y") == nil)
    }

    @Test("a block leaving the chain forgets what it created and undoes what it spent")
    func disconnectUndoesTheBlock() throws {
        let samples = StoreSamples()
        defer { samples.remove() }
        let store = try samples.open()
        try store.apply(TruebitChainChange(created: [S.taskRecord, S.solutionRecord]), cursor: ChainCursor(height: 15, hash: S.hash(0x41)))
        try store.apply(TruebitChainChange(created: [S.spentGame]), cursor: ChainCursor(height: 16, hash: S.hash(0x42)))
        try store.apply(TruebitChainChange(created: [S.gameRecord], spent: [.init(outpoint: S.spentGame.outpoint, spend: S.spentGame.spend!)]),
                        cursor: ChainCursor(height: 17, hash: S.hash(0x43)))
        try store.apply(TruebitChainChange(disconnectedFrom: 17), cursor: ChainCursor(height: 16, hash: S.hash(0x42)))
        #expect(try store.record(S.gameRecord.outpoint) == nil)
        var unspent = S.spentGame
        unspent.spend = nil
        #expect(try store.record(S.spentGame.outpoint) == unspent)
        #expect(try store.record(S.solutionRecord.outpoint) == S.solutionRecord)
        #expect(try store.cursor() == ChainCursor(height: 16, hash: S.hash(0x42)))
        try store.apply(TruebitChainChange(disconnectedFrom: 16), cursor: ChainCursor(height: 15, hash: S.hash(0x41)))
        #expect(try store.records(tag: Lock.Tag.truebitGame, includeSpent: true).isEmpty)
        #expect(try store.records(tag: Lock.Tag.truebitTask) == [S.taskRecord])
    }

    @Test("records spent deep enough are forgotten; unspent ones stay")
    func forgetSpent() throws {
        let samples = StoreSamples()
        defer { samples.remove() }
        let store = try samples.open()
        try store.apply(TruebitChainChange(created: [S.taskRecord, S.spentGame]), cursor: nil)
        try store.forgetSpent(below: 17)
        #expect(try store.record(S.spentGame.outpoint) == S.spentGame)
        try store.forgetSpent(below: 18)
        #expect(try store.record(S.spentGame.outpoint) == nil)
        #expect(try store.record(S.taskRecord.outpoint) == S.taskRecord)
    }

    @Test("a damaged row is reported as damaged, naming the value, never a crash", arguments: [
        ("UPDATE solution SET salt = x'0102'", "salt"),
        ("UPDATE solution SET final_fields = zeroblob(172)", "final state"),
        ("UPDATE solution SET status = 'won'", "status"),
        ("UPDATE solution SET updated_height = 'soon'", "height"),
        ("UPDATE solution SET output = zeroblob(65537)", "output"),
        ("UPDATE chain_output SET output = x'07ff'", "output of record"),
        ("UPDATE chain_output SET tag = 8", "tag"),
        ("UPDATE chain_output SET points = zeroblob(33)", "points"),
        ("UPDATE chain_output SET side = 'referee'", "side"),
        ("UPDATE chain_output SET height = -4", "height"),
        ("UPDATE chain_output SET outpoint = x'00'", "outpoint"),
        ("UPDATE chain_output SET spent_height = 3, spent_txid = NULL, spent_mode = 4", "spending txid"),
    ])
    func damagedRows(_ corruption: String, _ named: String) throws {
        let samples = StoreSamples()
        defer { samples.remove() }
        do {
            let store = try samples.open()
            try store.apply(TruebitChainChange(created: [S.gameRecord]), cursor: nil)
            try store.save(S.solution)
            try store.close()
        }
        let queue = try DatabaseQueue(path: samples.path)
        try queue.write { db in try db.execute(sql: corruption) }
        try queue.close()
        let store = try samples.open()
        let error = #expect(throws: TruebitStoreError.self) {
            _ = try store.solutions()
            _ = try store.records(subject: S.game.solutionId)
        }
        guard case .damaged(let path, let reason) = error else {
            Issue.record("expected a damaged store, got \(String(describing: error))")
            return
        }
        #expect(path == samples.path)
        #expect(reason.contains(named), "\(reason)")
    }

    @Test("another network's store and an SQLite file of something else are refused")
    func foreignFiles() throws {
        let samples = StoreSamples()
        defer { samples.remove() }
        try samples.open(.devnet).close()
        #expect(throws: TruebitStoreError.wrongNetwork(path: samples.path, found: String(NetworkID.devnet.rawValue), expected: String(NetworkID.testnet.rawValue))) {
            try samples.open(.testnet)
        }
        let other = StoreSamples()
        defer { other.remove() }
        try FileManager.default.createDirectory(at: other.folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: other.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try queue.close()
        #expect(throws: TruebitStoreError.notATruebitStore(path: other.path)) { try other.open() }
    }
}
