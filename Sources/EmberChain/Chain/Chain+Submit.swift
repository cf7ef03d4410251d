import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

/// Why connecting one block failed: the block's fault, or ours.
enum ConnectFailure: Error {
    case rejected(BlockRejection)
    case chain(ChainError)
}

extension Chain {
    /// Validates `block` and files it: on the active chain (reorganising when its branch has more
    /// work), on a side branch, or in the orphan pool. Orphans it was waiting for follow it in.
    ///
    /// - Parameter nowMs: our clock, for the rule against blocks from the future.
    public func submit(_ block: Block, nowMs: UInt64) throws(ChainError) -> SubmitOutcome {
        try submit(block, hash: block.header.hash, sanity: nil, nowMs: nowMs).outcome
    }

    /// `submit(_:nowMs:)` for a block whose tier-3 checks have already run, so they need not run
    /// again on the actor.
    public func submit(_ checked: CheckedBlock, nowMs: UInt64) throws(ChainError) -> SubmitOutcome {
        try submitFollowing(checked, nowMs: nowMs).outcome
    }

    /// `submit(_:nowMs:)`, reporting also what became of each orphan that followed the block in, so the
    /// peer network can score the peers that sent them.
    public func submitFollowing(_ checked: CheckedBlock, nowMs: UInt64) throws(ChainError) -> SubmitReport {
        try submit(checked.block, hash: checked.hash, sanity: verdict(of: checked), nowMs: nowMs)
    }

    /// Tier 3's verdict on `checked` when it ran under this chain's parameters: checks run under other
    /// parameters prove nothing about this chain's rules.
    private func verdict(of checked: CheckedBlock) -> Result<CheckedBody, BlockRejection>? {
        checked.params == params ? checked.sanity : nil
    }

    private func submit(
        _ block: Block, hash: Hash32, sanity: Result<CheckedBody, BlockRejection>?, nowMs: UInt64
    ) throws(ChainError) -> SubmitReport {
        let outcome = try accept(block, hash: hash, sanity: sanity, nowMs: nowMs)
        var followers = [(hash: Hash32, outcome: SubmitOutcome)]()
        var ready = [hash]
        while let parent = ready.popLast() {
            // Lowest hash first, the one fork choice prefers at equal work.
            for orphan in orphans.takeChildren(of: parent).sorted(by: { $0.hash < $1.hash }) {
                let followed = try accept(orphan.block, hash: orphan.hash, sanity: verdict(of: orphan), nowMs: nowMs)
                followers.append((orphan.hash, followed))
                switch followed {
                case .connected, .sideBranch: ready.append(orphan.hash)
                default: break
                }
            }
        }
        return SubmitReport(outcome: outcome, followers: followers)
    }

    /// Submits again the blocks refused earlier only for a timestamp ahead of the clock, whose time has
    /// come at `nowMs`; the node's tick calls it.
    ///
    /// - Returns: each retried block's hash and what became of it, lowest height first.
    public func retryFutureBlocks(nowMs: UInt64) throws(ChainError) -> [(hash: Hash32, outcome: SubmitOutcome)] {
        var results = [(hash: Hash32, outcome: SubmitOutcome)]()
        for (hash, block) in futureBlocks.takeDue(nowMs: nowMs) {
            results.append((hash, try submit(block, hash: hash, sanity: nil, nowMs: nowMs).outcome))
        }
        return results
    }

    /// How many blocks from the future wait for their time.
    public var futureBlockCount: Int { futureBlocks.count }

    /// - Parameter sanity: tier 3's verdict when it has already run under our parameters.
    private func accept(
        _ block: Block, hash: Hash32, sanity: Result<CheckedBody, BlockRejection>?, nowMs: UInt64
    ) throws(ChainError) -> SubmitOutcome {
        if invalidHeaders.contains(hash) { return .knownInvalid }
        if let known = index[hash] {
            if known.status.contains(.invalid) { return .knownInvalid }
            if known.status.contains(.bodyStored) {
                // Stored but never connected (a crash between the two, or a branch that lost): it may
                // still be the best chain.
                guard !isActive(hash), known.rank > tipEntry.rank else { return .duplicate }
                return try activate(hash)
            }
            // Indexed through the header path: tiers 1 and 2 passed then; only the fork depth moves
            // with the tip.
            guard let parent = index[known.parent] else {
                orphans.add(CheckedBlock(unchecked: block, params: params))
                return .orphan
            }
            let depth = forkDepth(from: parent)
            guard depth <= maxForkDepth else { return .forkTooDeep(depth: depth) }
        } else {
            do {
                try params.checkHeaderSanity(block.header, hash: hash)
            } catch {
                return .rejected(error)
            }
            guard let parent = index[block.header.parent] else {
                if invalidHeaders.contains(block.header.parent) {
                    invalidHeaders.insert(hash)
                    return .knownInvalid
                }
                orphans.add(CheckedBlock(unchecked: block, params: params))
                return .orphan
            }
            let indexing = try indexHeader(
                block.header, hash: hash, parent: parent, forkHeight: forkPointHeight(from: parent), nowMs: nowMs,
                tier1Checked: true)
            try storePendingIndexEntries()
            switch indexing {
            case .indexed: break
            case .descendsFromInvalid: return .knownInvalid
            case .forkTooDeep(let depth): return .forkTooDeep(depth: depth)
            case .rejected(let rejection):
                // Only for now (DESIGN.md section 5): kept and retried when its time comes.
                if rejection.isTemporary { futureBlocks.add(block, hash: hash, size: block.encoded.count) }
                return .rejected(rejection)
            }
        }

        // Its parent's body is not here yet (headers-first sync delivers bodies out of order): the block
        // waits for it in the orphan pool, tier 3's verdict kept, rather than being stored on a branch
        // that nothing connects. The one pool for blocks waiting on a parent, header or body.
        if let parent = index[block.header.parent], !parent.status.contains(.bodyStored), !isActive(parent.hash) {
            orphans.add(CheckedBlock(block, hash: hash, params: params, sanity: sanity))
            return .orphan
        }

        let body: CheckedBody
        do throws(BlockRejection) {
            if let sanity {
                body = try sanity.get()
            } else {
                body = try params.checkBlockSanity(block)
            }
        } catch {
            if error.provesBlockInvalid { try markInvalid(hash) }
            return .rejected(error)
        }
        do {
            try store.storeBody(block)
        } catch {
            throw .store(error)
        }
        index[hash]?.status.insert(.bodyStored)

        guard let entry = index[hash], entry.rank > tipEntry.rank else { return .sideBranch }
        if block.header.parent == tipEntry.hash {
            do {
                try connect(block, body: body)
            } catch {
                switch error {
                case .chain(let error): throw error
                case .rejected(let rejection):
                    try markInvalid(hash)
                    return .rejected(rejection)
                }
            }
            publish(.tipChanged(tip))
            try pruneIfDue()
            return .connected(tip: hash, height: entry.height)
        }
        return try activate(hash)
    }

    /// Reorganises to the stored block `hash`, which has more work than the tip.
    private func activate(_ hash: Hash32) throws(ChainError) -> SubmitOutcome {
        let rejection = try reorganise(to: hash)
        publish(.tipChanged(tip))
        try pruneIfDue()
        if let rejection { return .rejected(rejection) }
        return isActive(hash) ? .connected(tip: tipEntry.hash, height: tipEntry.height) : .sideBranch
    }

    /// Marks a block invalid, for ever; its descendants inherit it when they are looked at.
    func markInvalid(_ hash: Hash32) throws(ChainError) {
        do {
            try store.updateStatus(of: hash, inserting: .invalid, removing: [])
        } catch {
            throw .store(error)
        }
        index[hash]?.status.insert(.invalid)
        recomputeBestHeader()
    }

    /// What checking a child of `parent` in context needs: the parent and the timestamp N blocks back.
    /// A missing ancestor is our index's fault, never a zero span.
    func context(for parent: IndexedBlock) throws(ChainError) -> ParentContext {
        do {
            return try ParentContext(header: parent.header) { ancestor(of: parent, atHeight: $0)?.header.timestamp }
        } catch {
            throw .inconsistentStore("\(error)")
        }
    }

    /// The ancestor of `block` at `height` on its own branch.
    func ancestor(of block: IndexedBlock, atHeight height: UInt64) -> IndexedBlock? {
        if isActive(block.hash), height < UInt64(active.count) { return index[active[Int(height)]] }
        var cursor = block
        while cursor.height > height {
            guard let parent = index[cursor.parent] else { return nil }
            if isActive(parent.hash), height < UInt64(active.count) { return index[active[Int(height)]] }
            cursor = parent
        }
        return cursor.height == height ? cursor : nil
    }

    private func pruneIfDue() throws(ChainError) {
        let height = tipEntry.height
        guard height % Self.pruneInterval == 0, height > maxForkDepth else { return }
        let cutoff = height - maxForkDepth
        do {
            _ = try store.pruneSideBranches(below: cutoff)
        } catch {
            throw .store(error)
        }
        index = index.filter { $0.value.height >= cutoff || isActive($0.key) }
        recomputeBestHeader()
    }
}
