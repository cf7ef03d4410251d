import EmberCore
import EmberCrypto
import EmberStore

/// Re-derives the UTXO set from the stored blocks of the active chain and compares it with the stored
/// set and its hash: the integrity check behind `ember chain verify`.
public enum ChainVerifier {
    /// Blocks read from the store per page while replaying.
    static let pageSize = 64

    /// What verification found.
    public struct Report: Sendable {
        public let tip: ChainTip
        /// The UTXO-set hash recomputed from the blocks.
        public let recomputedHash: Hash32
        /// Every disagreement, for a person to read; empty when the store agrees with itself.
        public let differences: [String]
        public var isConsistent: Bool { differences.isEmpty }
    }

    /// Replays every active block (outputs created, inputs spent) from genesis to the tip.
    ///
    /// - Parameter progress: called with each height replayed.
    public static func verify(_ store: any ChainStore, progress: (UInt64) -> Void = { _ in }) throws(ChainError) -> Report {
        do {
            guard let tip = try store.tip() else { throw ChainError.inconsistentStore("the store holds no chain yet") }
            var rebuilt = [OutPoint: Output]()
            var differences = [String]()
            var height: UInt64 = 0
            while height <= tip.height {
                let page = try store.activeBlocks(from: height, limit: pageSize)
                guard !page.isEmpty else {
                    differences.append("the body of active block \(height) is missing")
                    break
                }
                for block in page {
                    if block.header.height != height {
                        differences.append("active block at height \(height) says height \(block.header.height)")
                    }
                    apply(block, to: &rebuilt, differences: &differences)
                    progress(height)
                    height += 1
                }
            }
            var recomputed = UTXOSetHash.empty
            for (outpoint, output) in rebuilt { recomputed.insert(outpoint, output) }
            if recomputed.hash != tip.utxoSetHash {
                differences.append("UTXO-set hash: stored \(tip.utxoSetHash), recomputed \(recomputed.hash)")
            }
            try compareStoredSet(store, with: rebuilt, differences: &differences)
            return Report(tip: tip, recomputedHash: recomputed.hash, differences: differences)
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as ChainError {
            throw error
        } catch {
            throw .inconsistentStore("\(error)")
        }
    }

    private static func apply(_ block: Block, to set: inout [OutPoint: Output], differences: inout [String]) {
        for transaction in block.transactions {
            for input in transaction.inputs where set.removeValue(forKey: input.outpoint) == nil {
                differences.append("block \(block.header.height) spends \(input.outpoint.txid):\(input.outpoint.index), which the replay does not hold")
            }
            let txid = transaction.txid
            for (offset, output) in transaction.outputs.enumerated() {
                set[OutPoint(txid: txid, index: UInt32(offset))] = output
            }
        }
    }

    private static func compareStoredSet(
        _ store: any ChainStore, with rebuilt: [OutPoint: Output], differences: inout [String]
    ) throws {
        var remaining = rebuilt
        var after: OutPoint?
        while true {
            let page = try store.utxoSet(after: after, limit: 1_000)
            guard let last = page.last else { break }
            for utxo in page {
                guard let expected = remaining.removeValue(forKey: utxo.outpoint) else {
                    differences.append("stored output \(utxo.outpoint.txid):\(utxo.outpoint.index) is not in the replayed set")
                    continue
                }
                if expected != utxo.entry.output {
                    differences.append("stored output \(utxo.outpoint.txid):\(utxo.outpoint.index) differs from the replayed one")
                }
            }
            after = last.outpoint
        }
        for outpoint in remaining.keys.sorted(by: { ($0.txid, $0.index) < ($1.txid, $1.index) }).prefix(20) {
            differences.append("replayed output \(outpoint.txid):\(outpoint.index) is missing from the store")
        }
    }
}
