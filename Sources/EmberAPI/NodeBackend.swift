import EmberConsensus
import EmberCore
import EmberCrypto

/// What the API needs from a node. EmberNode provides it; tests may provide their own.
public protocol NodeBackend: Sendable {
    func info() async throws -> NodeInfoView
    func block(hash: Hash32) async throws -> BlockView?
    func block(height: UInt64) async throws -> BlockView?
    func transaction(txid: Hash32) async throws -> TransactionView?
    func balance(of address: Address) async throws -> BalanceView
    func outputs(of address: Address, limit: Int) async throws -> [OutputView]
    func history(of address: Address, limit: Int) async throws -> [HistoryEntryView]
    /// Up to `limit` confirmed unspent outputs under exactly `lock`, in outpoint order.
    func outputs(lockedBy lock: Lock, limit: Int) async throws -> [OutputView]
    /// The blob named `hash` as published on the active chain, or nil.
    func blob(hash: Hash32) async throws -> BlobView?
    /// Accepts a transaction into the mempool and relays it; a rule it breaks is a `SubmissionRejected`.
    func submit(_ transaction: Transaction) async throws -> Hash32
    func mempool() async throws -> MempoolView
    func miningTemplate() async throws -> MiningTemplateView
    /// A solved block from an external miner.
    func submit(_ block: Block) async throws -> BlockSubmissionView
    func metrics() async throws -> NodeMetrics
    /// The network addresses are parsed for.
    var network: NetworkID { get }
    /// The consensus parameters the node validates with: the explorer's routes read what a block's
    /// target means (difficulty, hash rate, PoLW) from them.
    var params: ConsensusParams { get }
    /// The peer-to-peer network to show and steer; nil when the node runs without it.
    var peerAdministration: (any PeerAdministration)? { get }
}

/// A transaction or block the node refused, with the reason for the person who sent it.
public struct SubmissionRejected: Error, Sendable {
    public let reason: String
    /// True when it conflicts with something already known (409 rather than 400).
    public let isConflict: Bool

    public init(reason: String, isConflict: Bool = false) {
        self.reason = reason
        self.isConflict = isConflict
    }
}

/// Something the node cannot do right now (503), such as a mining template while PoLW lacks coins.
public struct ServiceUnavailable: Error, Sendable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

/// The numbers `/metrics` exports.
public struct NodeMetrics: Sendable {
    public var height: UInt64
    public var difficulty: Double
    public var estimatedHashRate: Double
    public var mintedUnits: Double
    public var burntUnits: Double
    public var mempoolTransactions: Int
    public var mempoolBytes: Int
    public var minerHashRate: Double
    public var blocksMined: Int
    public var orphanBlocks: Int

    public init(
        height: UInt64, difficulty: Double, estimatedHashRate: Double, mintedUnits: Double, burntUnits: Double,
        mempoolTransactions: Int, mempoolBytes: Int, minerHashRate: Double, blocksMined: Int, orphanBlocks: Int
    ) {
        self.height = height
        self.difficulty = difficulty
        self.estimatedHashRate = estimatedHashRate
        self.mintedUnits = mintedUnits
        self.burntUnits = burntUnits
        self.mempoolTransactions = mempoolTransactions
        self.mempoolBytes = mempoolBytes
        self.minerHashRate = minerHashRate
        self.blocksMined = blocksMined
        self.orphanBlocks = orphanBlocks
    }
}
