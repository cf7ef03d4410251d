import EmberCore
import EmberCrypto

/// Reads one block for a Truebit daemon: every Truebit output it creates (a task created by a post keeps the
/// post's txid; a game pinned by a bisect keeps the solver's points from the bisect's witness; a game gets the
/// daemon's side in it) and every Truebit spend, with its mode. Pure: the same block gives the same change.
public struct TruebitBlockScan: Sendable {
    /// The daemon's keys, which tell its side in a game.
    public var solverKey: RawPublicKey?
    public var challengerKey: RawPublicKey?

    public init(solverKey: RawPublicKey? = nil, challengerKey: RawPublicKey? = nil) {
        self.solverKey = solverKey
        self.challengerKey = challengerKey
    }

    /// The change a connected block at `height` brings.
    public func change(for block: Block, height: UInt64) -> TruebitChainChange {
        var change = TruebitChainChange()
        for transaction in block.transactions {
            let txid = transaction.txid
            var spendsTruebit = false
            // The output each bisect pins first, with the points its witness posts.
            var posted = [Int: [Hash32]]()
            for (index, input) in transaction.inputs.enumerated() {
                guard input.unlock.tag == Unlock.Tag.truebit, let covenant = input.unlock.covenant else { continue }
                spendsTruebit = true
                change.spent.append(.init(outpoint: input.outpoint, spend: .init(height: height, txid: txid, mode: covenant.mode)))
                if covenant.mode == CovenantUnlock.TruebitMode.bisect.rawValue, index < transaction.witnesses.count,
                   let item = transaction.witnesses[index].items.first, let points = TruebitChainRecord.points(item: item), covenant.firstOutput < UInt64(Int.max)
                {
                    posted[Int(covenant.firstOutput)] = points
                }
            }
            for (index, output) in transaction.outputs.enumerated() where TruebitChainRecord.recordedTags.contains(output.lock.tag) {
                var record = TruebitChainRecord(outpoint: OutPoint(txid: txid, index: UInt32(index)), output: output, height: height)
                switch output.lock {
                case .truebitTask where !spendsTruebit:
                    record.postTxid = txid
                case .truebitGame(let game):
                    record.points = posted[index]
                    if let challengerKey, game.challengerKey == challengerKey {
                        record.side = .challenger
                    } else if let solverKey, game.solverKey == solverKey {
                        record.side = .solver
                    }
                default:
                    break
                }
                change.created.append(record)
            }
        }
        return change
    }
}
