import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// Header-first sync: headers are checked (tiers 1 and 2) and indexed before any body is fetched, so
/// a node learns the best chain cheaply and then downloads its blocks from several peers at once.
extension Chain {
    /// The most headers one `headers` message carries.
    public static let maxHeadersPerMessage = 2_000

    /// Checks `headers` (each the child of the one before, the first a child of a known block) and
    /// indexes the new ones, in one store write.
    public func acceptHeaders(_ headers: [BlockHeader], nowMs: UInt64) throws(ChainError) -> HeadersOutcome {
        var outcome = HeadersOutcome()
        var batchFork: (tipHash: Hash32, forkHeight: UInt64)?
        for (offset, header) in headers.enumerated() {
            let hash = header.hash
            if invalidHeaders.contains(hash) {
                outcome.knownInvalidAt = offset
                break
            }
            if let known = index[hash] {
                if known.status.contains(.invalid) {
                    outcome.knownInvalidAt = offset
                    break
                }
                outcome.alreadyKnown += 1
                if !known.status.contains(.bodyStored) { outcome.needingBodies.append(hash) }
                continue
            }
            guard let parent = index[header.parent] else {
                if invalidHeaders.contains(header.parent) {
                    // Remembered only with valid work, so junk cannot churn the memory.
                    if (try? params.checkHeaderSanity(header, hash: hash)) != nil { invalidHeaders.insert(hash) }
                    outcome.knownInvalidAt = offset
                } else {
                    outcome.disconnectedAt = offset
                }
                break
            }
            // Within one batch every header extends the one before: the branch leaves the active chain
            // where its first header's does, so that walk is done once, not once per header.
            let forkHeight: UInt64
            if let previous = batchFork, previous.tipHash == header.parent {
                forkHeight = previous.forkHeight
            } else {
                forkHeight = forkPointHeight(from: parent)
            }
            batchFork = (hash, forkHeight)
            var stop = true
            switch try indexHeader(header, hash: hash, parent: parent, forkHeight: forkHeight, nowMs: nowMs) {
            case .indexed:
                outcome.needingBodies.append(hash)
                stop = false
            case .descendsFromInvalid: outcome.knownInvalidAt = offset
            case .forkTooDeep: outcome.disconnectedAt = offset
            case .rejected(let rejection): outcome.rejection = (offset, rejection)
            }
            if stop { break }
        }
        try storePendingIndexEntries()
        return outcome
    }

    /// Hashes from the tip of the best known header chain back to genesis, dense for the last ten and
    /// then doubling the step: a peer finds where our chains part in one round trip.
    public func locator() -> [Hash32] {
        var hashes = [Hash32]()
        var cursor: IndexedBlock? = bestHeader
        var step: UInt64 = 1
        while let block = cursor, hashes.count < 100 {
            hashes.append(block.hash)
            if block.height == 0 { return hashes }
            if hashes.count >= 10 { step *= 2 }
            cursor = ancestor(of: block, atHeight: block.height >= step ? block.height - step : 0)
        }
        hashes.append(active[0])
        return hashes
    }

    /// The active chain's headers after the first `locator` hash on it (genesis when none is), up to
    /// `stop` or `limit` headers: the answer to a peer's `getheaders`.
    public func headers(after locator: [Hash32], stop: Hash32, limit: Int = Chain.maxHeadersPerMessage) -> [BlockHeader] {
        let start = locator.lazy.compactMap { hash -> UInt64? in self.isActive(hash) ? self.index[hash]?.height : nil }.first ?? 0
        var result = [BlockHeader]()
        var height = Int(start) + 1
        while height < active.count, result.count < limit {
            guard let entry = index[active[height]] else { break }
            result.append(entry.header)
            if entry.hash == stop { break }
            height += 1
        }
        return result
    }

    /// The height and hash of the best known header.
    public var bestHeaderSummary: (hash: Hash32, height: UInt64) {
        let best = bestHeader
        return (best.hash, best.height)
    }

    /// The blocks of the best header chain whose bodies we lack, oldest first, at most `limit`: what a
    /// restarted node still has to fetch after an interrupted sync.
    public func blocksMissingBodies(limit: Int) -> [(hash: Hash32, height: UInt64)] {
        var missing = [(hash: Hash32, height: UInt64)]()
        var cursor: IndexedBlock? = bestHeader
        while let block = cursor, !isActive(block.hash) {
            // A body waiting in the orphan pool for its parent is here already.
            if !block.status.contains(.bodyStored), !orphans.contains(block.hash) { missing.append((block.hash, block.height)) }
            cursor = index[block.parent]
        }
        return Array(missing.reversed().prefix(limit))
    }

    /// Connects the stored branch with the most work when it beats the tip: bodies that arrived before
    /// their parent's were stored on a branch that nothing reconnected once the parent came in.
    public func connectBestStoredBranch() throws(ChainError) {
        guard let best = bestCandidate(), let entry = index[best], entry.rank > tipEntry.rank else { return }
        _ = try reorganise(to: best)
        publish(.tipChanged(tip))
    }

    /// The hashes among `hashes` of blocks neither indexed nor waiting in the orphan pool, in one call
    /// for a whole announcement.
    public func unknownBlocks(among hashes: [Hash32]) -> [Hash32] {
        hashes.filter { index[$0] == nil && !orphans.contains($0) && !invalidHeaders.contains($0) }
    }

    /// Whether the block `hash` is indexed (as a header at least).
    public func knows(_ hash: Hash32) -> Bool { index[hash] != nil }

    /// Whether the block `hash` has its body stored (connected or on a side branch), or waits in the
    /// orphan pool.
    public func hasBlock(_ hash: Hash32) -> Bool {
        index[hash]?.status.contains(.bodyStored) == true || orphans.contains(hash)
    }

    /// Whether the block `hash` is remembered as invalid.
    public func isKnownInvalid(_ hash: Hash32) -> Bool { isInvalid(hash) }

    /// A stored block body, read without entering the actor (the store is thread-safe).
    public nonisolated func storedBlock(_ hash: Hash32) -> Block? { (try? store.block(hash)) ?? nil }
}
