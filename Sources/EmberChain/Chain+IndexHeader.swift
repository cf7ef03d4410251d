import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// What indexing one header came to.
enum HeaderIndexing {
    /// Tiers 1 and 2 passed: the entry is in the index (the caller stores it).
    case indexed(IndexedBlock)
    /// The header descends from a block known to be invalid; it is remembered as invalid too.
    case descendsFromInvalid
    /// Its branch leaves the active chain deeper than `maxForkDepth` below the tip; nothing is kept.
    case forkTooDeep(depth: UInt64)
    /// It breaks a rule of tier 1 or 2; remembered as invalid when the rule proves it.
    case rejected(BlockRejection)
}

/// The one path by which a new header enters the block index, for submitted blocks and for header-first
/// sync alike: tier 1, the parent's validity, the fork depth, tier 2, then the chain work.
extension Chain {
    /// Checks `header`, whose parent is indexed, and indexes it when it passes.
    ///
    /// Entries (valid, or invalid when a rule proves it) go into the in-memory index only; the caller
    /// writes the ones `pendingIndexWrites` collects, so a batch of headers costs one store write.
    /// - Parameters:
    ///   - tier1Checked: the caller has already run tier 1 on this header.
    ///   - forkHeight: where the parent's branch leaves the active chain (`forkPointHeight(from:)`),
    ///     passed in so a batch of headers, each extending the one before, walks the branch once.
    func indexHeader(
        _ header: BlockHeader, hash: Hash32, parent: IndexedBlock, forkHeight: UInt64, nowMs: UInt64,
        tier1Checked: Bool = false
    ) -> HeaderIndexing {
        if !tier1Checked {
            do {
                try params.checkSanity(header, hash: hash)
            } catch {
                rememberInvalid(header, hash: hash, work: parent.cumulativeWork)
                return .rejected(error)
            }
        }
        if parent.status.contains(.invalid) {
            rememberInvalid(header, hash: hash, work: parent.cumulativeWork)
            return .descendsFromInvalid
        }
        let tipHeight = tipEntry.height
        let depth = tipHeight > forkHeight ? tipHeight - forkHeight : 0
        guard depth <= maxForkDepth else { return .forkTooDeep(depth: depth) }
        do {
            try params.checkContext(header, parent: context(for: parent), nowMs: nowMs)
        } catch {
            if error.provesBlockInvalid { rememberInvalid(header, hash: hash, work: parent.cumulativeWork) }
            return .rejected(error)
        }
        let work: BigUInt
        do {
            work = parent.cumulativeWork + (try Work.weight(of: header.target))
        } catch {
            return .rejected(.badTarget(error))
        }
        let entry = IndexedBlock(hash: hash, header: header, cumulativeWork: work, status: .headerValid)
        index[hash] = entry
        pendingIndexWrites.append(entry)
        // During sync each header extends the best one, so the walk below is rarely needed.
        if entry.rank > bestHeader.rank, parent.hash == bestHeaderHash || !descendsFromInvalid(parent) { bestHeaderHash = hash }
        return .indexed(entry)
    }

    /// Remembers a header as invalid for ever.
    private func rememberInvalid(_ header: BlockHeader, hash: Hash32, work: BigUInt) {
        let entry = IndexedBlock(hash: hash, header: header, cumulativeWork: work, status: .invalid)
        index[hash] = entry
        pendingIndexWrites.append(entry)
    }

    /// Writes the index entries `indexHeader` made since the last call, in one store write.
    func storePendingIndexEntries() throws(ChainError) {
        guard !pendingIndexWrites.isEmpty else { return }
        let entries = pendingIndexWrites
        pendingIndexWrites.removeAll()
        do {
            try store.insertIndexEntries(entries.map(\.storeEntry))
        } catch {
            throw .store(error)
        }
    }

    /// The height where the branch through `block` leaves the active chain.
    func forkPointHeight(from block: IndexedBlock) -> UInt64 {
        var cursor = block
        while !isActive(cursor.hash) {
            guard let next = index[cursor.parent], cursor.height > 0 else { break }
            cursor = next
        }
        return cursor.height
    }

    /// How far below the tip the branch of `parent` leaves the active chain (0 when it is on it).
    func forkDepth(from parent: IndexedBlock) -> UInt64 {
        let tipHeight = tipEntry.height
        let forkHeight = forkPointHeight(from: parent)
        return tipHeight > forkHeight ? tipHeight - forkHeight : 0
    }

    // MARK: The best header

    /// The indexed block with the most work on a branch not known to be invalid, with or without its
    /// body: the tip the node is syncing towards. Kept up to date as headers are indexed and blocks
    /// marked invalid, never found by scanning the index on a read.
    var bestHeader: IndexedBlock {
        let tip = tipEntry
        guard let best = index[bestHeaderHash], best.rank > tip.rank else { return tip }
        return best
    }

    /// Finds the best header by scanning the index: at start, after pruning and after a block is
    /// marked invalid (which may take the best branch with it).
    func recomputeBestHeader() {
        var best = tipEntry
        for entry in index.values where entry.rank > best.rank && !descendsFromInvalid(entry) { best = entry }
        bestHeaderHash = best.hash
    }

    /// Whether `entry` or one of its ancestors off the active chain is known to be invalid.
    private func descendsFromInvalid(_ entry: IndexedBlock) -> Bool {
        var cursor: IndexedBlock? = entry
        while let block = cursor, !isActive(block.hash) {
            if block.status.contains(.invalid) { return true }
            cursor = index[block.parent]
        }
        return false
    }
}
