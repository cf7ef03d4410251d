import EmberConsensus
import EmberCore
import EmberCrypto
import EmberStore

extension Chain {
    /// Connects `block` on top of the tip: tier 4 against the stored UTXO set, then one store transaction.
    ///
    /// - Parameter body: the block's checked body when tier 3 has just run; otherwise it runs here.
    func connect(_ block: Block, body: CheckedBody? = nil) throws(ConnectFailure) {
        let hash = block.header.hash
        let checked: CheckedBody
        let effects: BlockEffects
        do {
            checked = try body ?? params.checkBlockSanity(block)
            effects = try params.checkBlockConnect(block, body: checked, view: try prefetchedView(for: block))
        } catch let rejection as BlockRejection {
            throw .rejected(rejection)
        } catch let error as ChainError {
            throw .chain(error)
        } catch {
            throw .chain(.inconsistentStore("\(error)"))
        }
        var hashAfter = utxoSetHash
        for (outpoint, unspent) in effects.spent { hashAfter.remove(outpoint, unspent.output) }
        for (outpoint, unspent) in effects.created { hashAfter.insert(outpoint, unspent.output) }
        let figures = SupplyTotals.figures(of: effects)
        let supplyAfter: SupplyTotals
        do throws(ChainError) {
            supplyAfter = try supply.adding(figures)
        } catch {
            throw .chain(error)
        }
        let spent = effects.spent.map { UTXO(outpoint: $0.0, entry: $0.1) }
        let txids = checked.digests.map(\.txid)
        guard let activity = AddressActivity.all(in: block, txids: txids, spent: spent) else {
            // Tier 4 keeps every sum within MAX_AMOUNT.
            throw .chain(.inconsistentStore("the address sums of checked block \(hash) overflow"))
        }
        let connection = BlockConnection(
            blockHash: hash, height: block.header.height,
            created: effects.created.map { UTXO(outpoint: $0.0, entry: $0.1) }, spent: spent,
            txids: txids, blobs: PublishedBlob.all(in: block), addressActivity: activity, utxoSetHash: hashAfter.hash,
            supply: figures)
        do {
            try store.connect(connection)
        } catch {
            throw .chain(.store(error))
        }
        utxoSetHash = hashAfter
        active.append(hash)
        index[hash]?.status.insert(.connected)
        supply = supplyAfter
        publish(.blockConnected(block, effects))
    }

    /// The UTXO entries `block` spends or reads (a version-2 transaction's `reads`) from before it,
    /// read from the store in one batch, so the pure rules never wait on a disk.
    private func prefetchedView(for block: Block) throws(ChainError) -> InMemoryUTXOView {
        let outpoints = block.transactions.flatMap { $0.inputs.map(\.outpoint) + $0.reads }
        do {
            return InMemoryUTXOView(try store.utxos(at: outpoints))
        } catch {
            throw .store(error)
        }
    }

    /// Undoes the tip with its undo data, one store transaction.
    func disconnectTip() throws(ChainError) {
        let entry = tipEntry
        guard entry.height > 0 else { throw .inconsistentStore("asked to disconnect genesis") }
        let block: Block
        let restored: [UTXO]
        let figures: BlockSupply
        do {
            guard let stored = try store.block(entry.hash) else { throw ChainError.inconsistentStore("the body of active block \(entry.hash) is missing") }
            guard let undo = try store.undo(for: entry.hash) else { throw ChainError.inconsistentStore("the undo data of block \(entry.hash) is missing") }
            block = stored
            restored = undo
            if let storedFigures = try store.supply(of: entry.hash) {
                figures = storedFigures
            } else {
                // Connected before the store kept figures (start-up stores them for every active
                // block, so only a store written by other means gets here): exact before protocol v2.
                figures = try SupplyTotals.preV2Figures(of: block, spent: undo, params: params)
            }
        } catch {
            throw ChainError(wrapping: error)
        }
        let spentInBlock = Set(block.transactions.flatMap { $0.inputs.map(\.outpoint) })
        var hashAfter = utxoSetHash
        var created = [OutPoint]()
        var txids = [Hash32]()
        for transaction in block.transactions {
            let txid = transaction.txid
            txids.append(txid)
            for (offset, output) in transaction.outputs.enumerated() {
                let outpoint = OutPoint(txid: txid, index: UInt32(offset))
                guard !spentInBlock.contains(outpoint) else { continue }
                created.append(outpoint)
                hashAfter.remove(outpoint, output)
            }
        }
        for utxo in restored { hashAfter.insert(utxo.outpoint, utxo.entry.output) }
        let supplyAfter = try supply.subtracting(figures)
        do {
            try store.disconnect(BlockDisconnection(
                blockHash: entry.hash, height: entry.height, created: created, restored: restored, txids: txids,
                utxoSetHash: hashAfter.hash))
        } catch {
            throw .store(error)
        }
        utxoSetHash = hashAfter
        active.removeLast()
        index[entry.hash]?.status.remove(.connected)
        supply = supplyAfter
        publish(.blockDisconnected(block))
    }

    /// Moves the active chain to `target`'s branch. If a block of that branch turns out invalid, it is
    /// marked so and the best valid branch is connected instead.
    ///
    /// - Returns: the rejection met on the way, if any.
    func reorganise(to target: Hash32) throws(ChainError) -> BlockRejection? {
        var firstRejection: BlockRejection?
        var goal: Hash32? = target
        while let destination = goal {
            guard let branch = branch(to: destination) else { break }
            while tipEntry.hash != branch.forkPoint { try disconnectTip() }
            var failed = false
            for hash in branch.blocks {
                let block: Block
                do {
                    guard let stored = try store.block(hash) else { throw ChainError.inconsistentStore("body of \(hash) missing") }
                    block = stored
                } catch {
                    throw ChainError(wrapping: error)
                }
                do {
                    try connect(block)
                } catch {
                    switch error {
                    case .chain(let error): throw error
                    case .rejected(let rejection):
                        firstRejection = firstRejection ?? rejection
                        try markInvalid(hash)
                        failed = true
                    }
                }
                if failed { break }
            }
            goal = failed ? bestCandidate() : nil
            if goal == tipEntry.hash { goal = nil }
        }
        return firstRejection
    }

    /// The blocks from the fork point with the active chain up to `target`, oldest first; nil when a
    /// block of the branch is invalid or has no body.
    func branch(to target: Hash32) -> (forkPoint: Hash32, blocks: [Hash32])? {
        var blocks = [Hash32]()
        var cursor = target
        while !isActive(cursor) {
            guard let entry = index[cursor], entry.status.contains(.bodyStored), !entry.status.contains(.invalid) else { return nil }
            blocks.append(cursor)
            cursor = entry.parent
        }
        return (cursor, blocks.reversed())
    }

    /// The block with the most work whose whole branch is stored and not known invalid.
    func bestCandidate() -> Hash32? {
        let candidates = index.values
            .filter { $0.status.contains(.bodyStored) && !$0.status.contains(.invalid) }
            .sorted { $0.rank > $1.rank }
        return candidates.first { branch(to: $0.hash) != nil }?.hash
    }
}
