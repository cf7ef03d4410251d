import EmberCore
import EmberCrypto
import EmberStore

/// Re-derives the UTXO set and the blob index from the stored blocks of the active chain and compares
/// them with the stored set, its hash and the stored index: the integrity check behind
/// `ember chain verify`.
public enum ChainVerifier {
    /// Blocks read from the store per page while replaying.
    static let pageSize = 64
    /// Disagreements of one kind listed at most, so a badly damaged store gives a readable report.
    static let maxListed = 20

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
            var blobs = [BlobLocation: Hash32]()
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
                    for blob in PublishedBlob.all(in: block) {
                        let location = BlobLocation(
                            hash: blob.hash, blockHash: block.hash, height: height, position: blob.position, index: blob.index)
                        blobs[location] = block.transactions[blob.position].txid
                    }
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
            try compareBlobIndex(store, with: blobs, differences: &differences)
            return Report(tip: tip, recomputedHash: recomputed.hash, differences: differences)
        } catch {
            throw ChainError(wrapping: error)
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

    /// Compares the stored blob index, row by row, with the blobs the active chain publishes
    /// (`expected`: each location with its transaction's txid), then asks the store for every blob
    /// and checks it answers with the first place the chain published it.
    private static func compareBlobIndex(
        _ store: any ChainStore, with expected: [BlobLocation: Hash32], differences: inout [String]
    ) throws {
        var remaining = expected
        var extra = [BlobLocation]()
        var after: BlobLocation?
        while true {
            let page = try store.blobLocations(after: after, limit: 1_000)
            guard let last = page.last else { break }
            for location in page where remaining.removeValue(forKey: location) == nil { extra.append(location) }
            after = last
        }
        for location in extra.prefix(maxListed) {
            differences.append("the blob index holds \(location), which the active chain does not publish there")
        }
        for location in remaining.keys.sorted(by: BlobLocation.indexOrder).prefix(maxListed) {
            differences.append("the blob index lacks \(location)")
        }
        var first = [Hash32: (location: BlobLocation, txid: Hash32)]()
        for (location, txid) in expected {
            if let known = first[location.hash], BlobLocation.indexOrder(known.location, location) { continue }
            first[location.hash] = (location, txid)
        }
        var wrongAnswers = 0
        for (hash, place) in first.sorted(by: { $0.key < $1.key }) where wrongAnswers < maxListed {
            guard let answer = try wrongAnswer(of: store, for: hash, expected: place.location, txid: place.txid) else { continue }
            wrongAnswers += 1
            differences.append("blob \(hash) answers \(answer), not \(place.location)")
        }
    }

    /// What `store.blob(hash)` answers, described for a person, when that is not `expected`; nil when
    /// it is. A record the store finds damaged is a wrong answer, not a failure of the verification.
    private static func wrongAnswer(of store: any ChainStore, for hash: Hash32, expected: BlobLocation, txid: Hash32) throws -> String? {
        let stored: StoredBlob?
        do throws(StoreError) {
            stored = try store.blob(hash)
        } catch {
            guard case .corruptRecord(_, let detail) = error else { throw error }
            return "a damaged record (\(detail))"
        }
        guard let stored else { return "nothing" }
        guard stored.blockHash != expected.blockHash || stored.height != expected.height || stored.txid != txid
            || stored.index != expected.index
        else { return nil }
        return "block \(stored.blockHash) (height \(stored.height)), transaction \(stored.txid), blob \(stored.index)"
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
