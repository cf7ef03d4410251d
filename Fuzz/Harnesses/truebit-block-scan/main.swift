// Fuzzes `TruebitBlockScan.change(for:height:)`, which reads every block a node sends a Truebit daemon
// (docs/truebit.md, "Daemons"): the Truebit outputs it creates, the Truebit spends and the points each
// bisect's witness posts. The block is decoded from the input by `Block.decode(from:limit:)` and scanned
// at its header's height, by a daemon with both keys (solver key 0, challenger key 1) and by one with none.
// Properties: the same block gives the same change; the spends are the block's Truebit inputs in order,
// with their txid, height and mode; the records are its outputs of the recorded tags in order, unspent;
// only a task created without a Truebit spend keeps its post's txid; only a game keeps points, 1 to 15
// of them, the first witness item of the last bisect pinning it and what `TruebitTransactions.postedPoints`
// reads for that bisect's game; a game's side follows the daemon's keys, challenger first, and no side
// without keys.

import EmberCore
import EmberCrypto
import EmberTruebit
import FuzzSamples
import FuzzSupport

/// The daemon's keys (static: a top-level constant is set by the script's code, which never goes past
/// `Fuzz.main`, and the compiler would warn that `check`, which reads them, never runs).
enum Keys {
    static let solver = Samples.publicKey(0)
    static let challenger = Samples.publicKey(1)
}

Fuzz.main(seeds: { blocks().map(\.encoded) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let block = try? Block.decode(from: bytes, limit: Block.maxSize) else { return false }
    let height = block.header.height
    let scan = TruebitBlockScan(solverKey: Keys.solver, challengerKey: Keys.challenger)
    let change = scan.change(for: block, height: height)
    Fuzz.expect(scan.change(for: block, height: height) == change, "the same block scanned twice gives two changes")
    Fuzz.expect(change.disconnectedFrom == nil, "a connected block scanned as disconnected")

    var spends: [TruebitChainChange.SpentOutput] = []
    var created: [(Transaction, Int)] = []
    for transaction in block.transactions {
        for input in transaction.inputs where input.unlock.tag == Unlock.Tag.truebit {
            let spend = TruebitChainRecord.Spend(height: height, txid: transaction.txid, mode: input.unlock.covenant!.mode)
            spends.append(.init(outpoint: input.outpoint, spend: spend))
        }
        for index in transaction.outputs.indices where TruebitChainRecord.recordedTags.contains(transaction.outputs[index].lock.tag) {
            created.append((transaction, index))
        }
    }
    Fuzz.expect(change.spent == spends, "\(change.spent.count) spends read where the block has \(spends.count) Truebit inputs")
    Fuzz.expect(change.created.count == created.count, "\(change.created.count) records for \(created.count) Truebit outputs")
    for (record, (transaction, index)) in zip(change.created, created) {
        checkRecord(record, transaction: transaction, index: index, height: height)
    }

    let keyless = TruebitBlockScan().change(for: block, height: height)
    Fuzz.expect(keyless.spent == change.spent, "the spends depend on the daemon's keys")
    Fuzz.expect(keyless.created.allSatisfy { $0.side == nil }, "a side in a game without keys")
    let sideless = change.created.map { record in
        var record = record
        record.side = nil
        return record
    }
    Fuzz.expect(keyless.created == sideless, "the records depend on the daemon's keys beyond its side")
    return !change.created.isEmpty || !change.spent.isEmpty
}

func checkRecord(_ record: TruebitChainRecord, transaction: Transaction, index: Int, height: UInt64) {
    let output = transaction.outputs[index]
    Fuzz.expect(
        record.outpoint == OutPoint(txid: transaction.txid, index: UInt32(index)) && record.output == output && record.height == height
            && record.spend == nil,
        "the record of output \(index) is not that output, created at \(height) and unspent")
    let spendsTruebit = transaction.inputs.contains { $0.unlock.tag == Unlock.Tag.truebit }
    let isTask = output.lock.tag == Lock.Tag.truebitTask
    Fuzz.expect(
        record.postTxid == (isTask && !spendsTruebit ? transaction.txid : nil),
        "output \(index) (tag \(output.lock.tag)) keeps post txid \(String(describing: record.postTxid))")

    guard case .truebitGame(let game) = output.lock else {
        Fuzz.expect(record.points == nil && record.side == nil, "points or a side on a record of tag \(output.lock.tag)")
        return
    }
    let side: TruebitChainRecord.GameSide? =
        game.challengerKey == Keys.challenger ? .challenger : game.solverKey == Keys.solver ? .solver : nil
    Fuzz.expect(record.side == side, "side \(String(describing: record.side)) in a game where \(String(describing: side)) was due")

    let pinning = transaction.inputs.indices.last { inputIndex in
        let unlock = transaction.inputs[inputIndex].unlock
        return unlock.tag == Unlock.Tag.truebit && unlock.covenant?.mode == CovenantUnlock.TruebitMode.bisect.rawValue
            && unlock.covenant?.firstOutput == UInt64(index)
    }
    guard let points = record.points else {
        if let pinning, pinning < transaction.witnesses.count, let item = transaction.witnesses[pinning].items.first {
            Fuzz.expect(
                item.isEmpty || item.count % 32 != 0 || item.count > 15 * 32,
                "no points kept from an item of \(item.count) bytes")
        }
        return
    }
    Fuzz.expect((1...15).contains(points.count), "\(points.count) points kept")
    guard let pinning else {
        Fuzz.expect(false, "points kept on a game no bisect pins")
        return
    }
    Fuzz.expectRoundTrip(points.flatMap(\.bytes), transaction.witnesses[pinning].items[0], "the points of a bisect")
    let spentGame = transaction.inputs[pinning].outpoint
    if transaction.inputs.firstIndex(where: { $0.outpoint == spentGame }) == pinning {
        let posted = try? TruebitTransactions.postedPoints(in: transaction, spending: spentGame)
        Fuzz.expect(posted == points, "the scan and postedPoints read a bisect's points differently")
    }
}

// MARK: - Seeds

/// Blocks of the Truebit flows (docs/truebit.md, "Flows for a user"): a post (the task keeps its txid),
/// a commit re-creating the task, a challenge opening a game with the daemon as challenger, bisects
/// posting 1, 3 and 15 points on a game where the daemon solves, one pinning output 1, two in one
/// transaction, one with a malformed item and one with no witness; a choose, and the outputs of every
/// other recorded tag; the samples' transactions among them.
func blocks() -> [Block] {
    let truebitLocks = Samples.locks.filter { TruebitChainRecord.recordedTags.contains($0.tag) }
    let lock = { (tag: UInt8) in truebitLocks.first { $0.tag == tag }! }
    let signature = [UInt8](repeating: 0x5a, count: 64)
    let points = { (count: Int) in (0..<count).flatMap { Blake3.hash([UInt8($0), 0x70]).bytes } }
    let game = { (solver: RawPublicKey, challenger: RawPublicKey) -> Lock in
        .truebitGame(TruebitGameLock(
            solutionId: Samples.hash(0x71), solverKey: solver, challengerKey: challenger, lo: 0, loHash: Samples.hash(0x72), hi: 1_000,
            hiHash: Samples.hash(0x73), pointsHash: Samples.hash(0x74), solverClock: 40, challengerClock: 40))
    }
    let stranger = Samples.publicKey(2)
    let payment = Samples.transactions[0]
    func output(_ lock: Lock) -> Output { Output(amount: Amount(units: 1_000), lock: lock) }
    func truebit(_ mode: CovenantUnlock.TruebitMode, _ txid: UInt8, firstOutput: UInt64 = 0) -> Input {
        Input(outpoint: OutPoint(txid: Samples.hash(txid), index: 0), unlock: .truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput)))
    }
    func transaction(_ inputs: [Input], _ outputs: [Output], _ witnesses: [Witness]) -> Transaction {
        Transaction(version: Transaction.version2, inputs: inputs, reads: [], outputs: outputs, blobs: [], witnesses: witnesses)
    }
    let post = transaction(payment.inputs, [output(lock(Lock.Tag.truebitTask))] + payment.outputs, payment.witnesses)
    let commit = transaction(
        [truebit(.commit, 0x80)] + payment.inputs, [output(lock(Lock.Tag.truebitTask)), output(lock(Lock.Tag.truebitCommit))],
        [Witness(items: [signature])] + payment.witnesses)
    let challenge = transaction(payment.inputs, [output(game(stranger, Keys.challenger))], payment.witnesses)
    let bisects = [1, 3, 15].map { count in
        transaction([truebit(.bisect, 0x81)], [output(game(Keys.solver, stranger))], [Witness(items: [points(count), signature])])
    }
    let pinningOutputOne = transaction(
        [truebit(.bisect, 0x82, firstOutput: 1)], [output(lock(Lock.Tag.truebitResult)), output(game(Keys.solver, Keys.challenger))],
        [Witness(items: [points(2), signature])])
    let twoBisects = transaction(
        [truebit(.bisect, 0x83), truebit(.bisect, 0x84, firstOutput: 1)], [output(game(stranger, stranger)), output(game(Keys.solver, stranger))],
        [Witness(items: [points(4), signature]), Witness(items: [points(5), signature])])
    let malformed = transaction([truebit(.bisect, 0x85)], [output(game(Keys.solver, stranger))], [Witness(items: [points(2) + [0], signature])])
    let noWitness = transaction([truebit(.bisect, 0x86)], [output(game(Keys.solver, stranger))], [])
    let choose = transaction(
        [truebit(.choose, 0x87)], [output(game(Keys.solver, Keys.challenger))], [Witness(items: [points(3), [2], signature])])
    let others = transaction(
        [truebit(.step, 0x88), truebit(.claimTimeout, 0x89)], truebitLocks.map(output), [Witness(items: [[1, 2, 3]]), Witness(items: [])])
    return [
        Samples.block(height: 1, transactions: Samples.transactions + [post]),
        Samples.block(height: 2, transactions: [commit, challenge]),
        Samples.block(height: 3, transactions: bisects + [pinningOutputOne]),
        Samples.block(height: .max, transactions: [twoBisects, malformed, noWitness, choose, others]),
    ]
}
