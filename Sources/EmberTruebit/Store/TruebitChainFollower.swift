import EmberCore
import EmberCrypto
import EmberLayer2
import Logging

/// Follows layer 1 into a Truebit store: every block up to the node's tip read by `TruebitBlockScan` and
/// applied with its cursor in one store transaction, a disconnected block undone, so the store's view of the
/// chain resumes where it stopped after a restart. The daemons and `ember truebit status` follow with it.
///
/// Not thread-safe: one owner (a daemon's actor, a command) calls `catchUp`, which runs on its isolation.
public final class TruebitChainFollower {
    public let store: TruebitStore
    public let node: NodeAPIClient
    let scan: TruebitBlockScan
    let network: NetworkID
    let startHeight: UInt64
    let logger: Logger
    private var watcher: ChainWatcher?

    /// - Parameter startHeight: the first height followed when the store has no cursor yet.
    public init(
        store: TruebitStore, node: NodeAPIClient, network: NetworkID, scan: TruebitBlockScan = TruebitBlockScan(), startHeight: UInt64 = 0,
        logger: Logger = Logger(label: "ember.truebit.follower")
    ) {
        self.store = store
        self.node = node
        self.network = network
        self.scan = scan
        self.startHeight = startHeight
        self.logger = logger
    }

    /// Applies every block up to the node's tip to the store, each with its cursor; returns the tip.
    public nonisolated(nonsending) func catchUp() async throws -> ChainTip {
        let watcher: ChainWatcher
        if let existing = self.watcher {
            watcher = existing
        } else {
            watcher = ChainWatcher(client: node, network: network, cursor: try store.cursor(), startHeight: startHeight, logger: logger)
            self.watcher = watcher
        }
        let (store, scan) = (self.store, self.scan)
        while true {
            let delivered = try await watcher.poll { event, cursor in
                switch event {
                case .blockConnected(let block, let height):
                    try store.apply(scan.change(for: block, height: height), cursor: cursor)
                case .blockDisconnected(_, let height):
                    try store.apply(TruebitChainChange(disconnectedFrom: height), cursor: cursor)
                }
            }
            if delivered == 0 { break }
        }
        return try await node.tip()
    }
}
