import BigInt
import EmberAPI
import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberStore

/// The API's view of a node: answers each route from the chain, the store, the mempool and the miner.
struct NodeAPIBackend: NodeBackend {
    let node: Node
    let store: any ChainStore
    let params: ConsensusParams
    let chain: Chain
    let mempool: Mempool

    init(node: Node) {
        self.node = node
        store = node.chainStore
        params = node.folder.params
        chain = node.chain
        mempool = node.mempool
    }

    var network: NetworkID { params.networkID }
    var peerAdministration: (any PeerAdministration)? { node.network.map { PeerNetworkAdministration(network: $0) } }

    func info() async throws -> NodeInfoView {
        let tip = await chain.tip
        let supply = await chain.supply
        let target = tip.header.target
        let reward = try? params.reward(target: target, timestampMs: tip.header.timestamp)
        let polwActive: Bool
        if case .polw = reward { polwActive = true } else { polwActive = false }
        let name: String = switch params.networkID {
        case .mainnet: "mainnet"
        case .testnet: "testnet"
        case .devnet: "devnet"
        }
        return NodeInfoView(
            network: name, networkID: params.networkID.rawValue, genesis: params.genesisBlock.hash.hex, height: tip.height,
            tip: tip.hash.hex, tipTimestamp: tip.header.timestamp, target: target.description,
            difficulty: ((try? Work.weight(of: target)) ?? 0).description,
            estimatedHashRate: ((try? params.emission.timing.hashRate(of: target)) ?? 0).description,
            polwActive: polwActive, polwThresholdHashRate: params.polwThresholdHashRate.description,
            minted: supply.minted.description, burnt: supply.burnt.description,
            mempoolTransactions: await mempool.count, mining: await node.isMining, minerHashRate: await node.minerHashRate)
    }

    func block(hash: Hash32) async throws -> BlockView? {
        guard let block = try store.block(hash) else { return nil }
        return try await view(of: block)
    }

    func block(height: UInt64) async throws -> BlockView? {
        guard let hash = await chain.activeHash(atHeight: height) else { return nil }
        return try await block(hash: hash)
    }

    private func view(of block: Block) async throws -> BlockView {
        // A connected block's figures were stored with its undo data (exact, covenant burns included);
        // only a block that never connected is shown with figures re-derived from its body.
        if let stored = try store.supply(of: block.hash) {
            return BlockView(block: block, active: await chain.isActive(block.hash), reward: stored.minted, burnt: stored.burnt, includeHex: true)
        }
        let undo = try store.undo(for: block.hash) ?? []
        let spent = Dictionary(undo.map { ($0.outpoint, $0.entry) }, uniquingKeysWith: { first, _ in first })
        let supply = SupplyTotals.of(block, spent: spent, params: params)
        return BlockView(block: block, active: await chain.isActive(block.hash), reward: supply.minted, burnt: supply.burnt, includeHex: true)
    }

    func transaction(txid: Hash32) async throws -> TransactionView? {
        if let entry = await mempool.entry(txid) {
            return TransactionView(transaction: entry.transaction, confirmedIn: nil, network: network)
        }
        guard let location = try store.transactionLocation(of: txid), let block = try store.block(location.blockHash) else { return nil }
        guard let transaction = block.transactions.first(where: { $0.txid == txid }) else { return nil }
        return TransactionView(transaction: transaction, confirmedIn: (block.header.height, block.hash), network: network)
    }

    func balance(of address: Address) async throws -> BalanceView {
        let lock = Lock.pubKeyHash(address.publicKeyHash)
        let balance = try store.balance(of: lock)
        let now = Node.nowMs
        var spendable = Amount.zero
        for utxo in try store.allUTXOs(lockedBy: lock) where utxo.entry.output.lockTime <= now {
            guard let sum = spendable.adding(utxo.entry.output.amount) else {
                throw StoreError.corruptRecord(table: "utxo", detail: "the amounts locked to \(lock) do not add up")
            }
            spendable = sum
        }
        return BalanceView(address: address.string, balance: balance.amount, spendable: spendable, outputCount: balance.outputCount)
    }

    func outputs(of address: Address, limit: Int) async throws -> [OutputView] {
        try store.utxos(lockedBy: .pubKeyHash(address.publicKeyHash), after: nil, limit: limit)
            .map { OutputView(outpoint: $0.outpoint, unspent: $0.entry) }
    }

    func outputs(lockedBy lock: Lock, limit: Int) async throws -> [OutputView] {
        try store.utxos(lockedBy: lock, after: nil, limit: limit).map { OutputView(outpoint: $0.outpoint, unspent: $0.entry) }
    }

    func blob(hash: Hash32) async throws -> BlobView? {
        guard let blob = try store.blob(hash) else { return nil }
        return BlobView(hash: blob.hash, txid: blob.txid, blockHash: blob.blockHash, height: blob.height, bytes: blob.bytes)
    }

    func history(of address: Address, limit: Int) async throws -> [HistoryEntryView] {
        try store.history(of: .pubKeyHash(address.publicKeyHash), limit: limit).map { entry in
            HistoryEntryView(
                txid: entry.activity.txid, height: entry.height, blockHash: entry.blockHash, timestamp: entry.timestamp,
                received: entry.activity.received, sent: entry.activity.sent)
        }
    }

    func submit(_ transaction: Transaction) async throws -> Hash32 {
        do {
            return try await node.accept(transaction).txid
        } catch {
            guard case .rejected(let rejection) = error else { throw error }
            switch rejection {
            case .conflict, .alreadyKnown: throw SubmissionRejected(reason: rejection.description, isConflict: true)
            default: throw SubmissionRejected(reason: rejection.description)
            }
        }
    }

    func mempool() async throws -> MempoolView {
        let entries = await mempool.contents
        return MempoolView(
            count: entries.count, bytes: entries.reduce(0) { $0 + $1.size },
            transactions: entries.prefix(1_000).map { MempoolEntryView(txid: $0.txid, size: $0.size, fee: $0.fee) })
    }

    func miningTemplate() async throws -> MiningTemplateView {
        let template: BlockTemplate
        do {
            template = try await node.makeTemplate()
        } catch let error as ServiceUnavailable {
            throw error
        } catch {
            throw ServiceUnavailable(reason: "\(error)")
        }
        let block = template.block(nonce: .zero)
        return MiningTemplateView(
            block: block, targetValue: block.header.target.value.description, reward: template.reward.reward, burnt: template.burnt,
            fees: template.fees)
    }

    func submit(_ block: Block) async throws -> BlockSubmissionView {
        let outcome = try await chain.submit(block, nowMs: Node.nowMs)
        switch outcome {
        case .connected(_, let height):
            return BlockSubmissionView(hash: block.hash, outcome: "connected", height: height)
        case .sideBranch: return BlockSubmissionView(hash: block.hash, outcome: "side branch", height: block.header.height)
        case .duplicate: return BlockSubmissionView(hash: block.hash, outcome: "duplicate", height: block.header.height)
        case .orphan: return BlockSubmissionView(hash: block.hash, outcome: "orphan (parent unknown)", height: nil)
        case .forkTooDeep(let depth): throw SubmissionRejected(reason: "the block forks \(depth) blocks below the tip, deeper than this node keeps")
        case .rejected(let rejection): throw SubmissionRejected(reason: rejection.description)
        case .knownInvalid: throw SubmissionRejected(reason: "the block or one of its ancestors is known to be invalid")
        }
    }

    func metrics() async throws -> NodeMetrics {
        let tip = await chain.tip
        let supply = await chain.supply
        let difficulty = (try? Work.weight(of: tip.header.target)) ?? 0
        let hashRate = (try? params.emission.timing.hashRate(of: tip.header.target)) ?? 0
        return NodeMetrics(
            height: tip.height, difficulty: Double(difficulty), estimatedHashRate: Double(hashRate),
            mintedUnits: Double(supply.minted.units), burntUnits: Double(supply.burnt.units),
            mempoolTransactions: await mempool.count, mempoolBytes: await mempool.bytes, minerHashRate: await node.minerHashRate,
            blocksMined: await node.blocksMined, orphanBlocks: await chain.orphanCount)
    }
}
