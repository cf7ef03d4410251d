import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// What indexing one header came to.
enum HeaderIndexing {
    /// Tiers 1 and 2 passed: the entry is in the index (the caller stores it).
    case indexed(IndexedBlock)
    /// The header descends from a block known to be invalid; it is remembered as invalid too (in memory).
    case descendsFromInvalid
    /// Its branch leaves the active chain deeper than `maxForkDepth` below the tip; nothing is kept.
    case forkTooDeep(depth: UInt64)
    /// It breaks a rule of tier 1 or 2; a tier-2 failure that proves the block invalid is remembered
    /// (in memory), a tier-1 failure is not.
    case rejected(BlockRejection)
}

/// The one path by which a new header enters the block index, for submitted blocks and for header-first
/// sync alike: tier 1, the parent's validity, the fork depth, tier 2, then the chain work.
extension Chain {
    /// Checks `header`, whose parent is indexed, and indexes it when it passes.
    ///
    /// Only a header that passes tiers 1 and 2 enters the index; the caller writes the entries
    /// `pendingIndexWrites` collects, so a batch of headers costs one store write. A header with valid
    /// work that fails later is remembered in `invalidHeaders`, in memory and bounded; one without
    /// valid work is not remembered at all: junk never reaches the disk.
    /// - Parameters:
    ///   - tier1Checked: the caller has already run tier 1 on this header.
    ///   - forkHeight: where the parent's branch leaves the active chain (`forkPointHeight(from:)`),
    ///     passed in so a batch of headers, each extending the one before, walks the branch once.
    func indexHeader(
        _ header: BlockHeader, hash: Hash32, parent: IndexedBlock, forkHeight: UInt64, nowMs: UInt64,
        tier1Checked: Bool = false
    ) throws(ChainError) -> HeaderIndexing {
        if !tier1Checked {
            do {
                try params.checkHeaderSanity(header, hash: hash)
            } catch {
                // Not remembered: checking again costs one hash, and junk must not push out what
                // cost real work to refute.
                return .rejected(error)
            }
        }
        if parent.status.contains(.invalid) {
            invalidHeaders.insert(hash)
            return .descendsFromInvalid
        }
        let tipHeight = tipEntry.height
        let depth = tipHeight > forkHeight ? tipHeight - forkHeight : 0
        guard depth <= maxForkDepth else { return .forkTooDeep(depth: depth) }
        let context = try context(for: parent)
        do {
            try params.checkHeaderContext(header, parent: context, nowMs: nowMs)
        } catch {
            if error.provesBlockInvalid { invalidHeaders.insert(hash) }
            return .rejected(error)
        }
        let work: BigUInt
        do {
            work = try Work.cumulative(parentWork: parent.cumulativeWork, adding: header.target)
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

    /// Whether `hash` is a block known to be invalid: marked so in the index (a body that failed) or
    /// a header remembered in memory.
    func isInvalid(_ hash: Hash32) -> Bool {
        index[hash]?.status.contains(.invalid) == true || invalidHeaders.contains(hash)
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
