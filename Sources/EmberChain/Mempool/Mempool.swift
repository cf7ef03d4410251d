import EmberConsensus
import EmberCore
import EmberCrypto

/// The node's one mempool: the owner of a `MempoolState`, so peers, the API and the miner can share it.
/// Every method is the state's method of the same name (see there).
public actor Mempool {
    /// The pool as it stands: a copy, for reads that want several figures at one instant.
    public private(set) var state: MempoolState

    /// An empty pool checking transactions against `params` under `policy`, for a chain whose tip is at
    /// `tipHeight`.
    public init(params: ConsensusParams, policy: MempoolPolicy = MempoolPolicy(), tipHeight: UInt64 = 0) {
        state = MempoolState(params: params, policy: policy, tipHeight: tipHeight)
    }

    /// See `MempoolState.add(_:view:nowMs:)`.
    public func add(
        _ transaction: Transaction, view: sending some UTXOView, nowMs: UInt64
    ) throws(MempoolRejection) -> MempoolAcceptance {
        try state.add(transaction, view: view, nowMs: nowMs)
    }

    /// See `MempoolState.blockConnected(_:view:nowMs:)`.
    public func blockConnected(_ block: Block, view: sending some UTXOView, nowMs: UInt64) {
        state.blockConnected(block, view: view, nowMs: nowMs)
    }

    /// See `MempoolState.blockDisconnected(_:view:nowMs:)`.
    public func blockDisconnected(_ block: Block, view: sending some UTXOView, nowMs: UInt64) {
        state.blockDisconnected(block, view: view, nowMs: nowMs)
    }

    /// See `MempoolState.reorganised(disconnected:connected:view:nowMs:)`.
    public func reorganised(disconnected: [Block], connected: [Block], view: sending some UTXOView, nowMs: UInt64) {
        state.reorganised(disconnected: disconnected, connected: connected, view: view, nowMs: nowMs)
    }

    /// See `MempoolState.restore(_:view:nowMs:)`.
    @discardableResult
    public func restore(_ snapshot: MempoolSnapshot, view: some UTXOView & Sendable, nowMs: UInt64) -> (accepted: Int, dropped: [Hash32]) {
        state.restore(snapshot, view: view, nowMs: nowMs)
    }

    /// See `MempoolState.expire(nowMs:)`.
    @discardableResult
    public func expire(nowMs: UInt64) -> [Hash32] { state.expire(nowMs: nowMs) }

    /// See `MempoolState.selectTransactions(maxWeight:maxCount:blockTimestamp:)`.
    public func selectTransactions(maxWeight: Int, maxCount: Int, blockTimestamp: UInt64 = .max) -> MempoolSelection {
        state.selectTransactions(maxWeight: maxWeight, maxCount: maxCount, blockTimestamp: blockTimestamp)
    }

    /// See `MempoolState.entry(_:)`.
    public func entry(_ txid: Hash32) -> MempoolEntry? { state.entry(txid) }

    /// See `MempoolState.contents`.
    public var contents: [MempoolEntry] { state.contents }

    /// See `MempoolState.count`.
    public var count: Int { state.count }

    /// See `MempoolState.bytes`.
    public var bytes: Int { state.bytes }

    /// See `MempoolState.orphanCount`.
    public var orphanCount: Int { state.orphanCount }
}
