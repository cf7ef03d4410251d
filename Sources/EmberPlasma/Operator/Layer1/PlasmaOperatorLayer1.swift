import EmberCore
import EmberCrypto

/// The operator's layer-1 side together: the committer and the deposit (and freeze) watcher of one
/// operator, and the status they publish.
public struct PlasmaOperatorLayer1: Sendable {
    public let committer: PlasmaCommitter
    public let watcher: PlasmaDepositWatcher

    public init(committer: PlasmaCommitter, watcher: PlasmaDepositWatcher) {
        self.committer = committer
        self.watcher = watcher
    }

    /// What `GET /v1/plasma/layer1` answers.
    public func status() async throws -> OperatorLayer1Status {
        let store = committer.store
        let (inFlight, found, lastError) = await committer.snapshot()
        let (finalHeight, followedHeight, registered) = await watcher.snapshot()
        let latest = try store.lastBlockNumber()
        let committed = try store.lastCommittedBlockNumber()
        return OperatorLayer1Status(
            chainId: store.chainId.hex, operatorKey: committer.transactions.rawOperatorKey.bytes.hexString, exitWindow: committer.exitWindow,
            latestBlock: latest, lastCommittedBlock: committed, uncommittedBlocks: latest >= committed ? latest - committed : 0,
            operatorOutput: found.map { "\($0.outpoint.txid.hex):\($0.outpoint.index)" }, nextCommitNumber: found?.nextNumber,
            operatorOutputHeight: found?.height,
            commitInFlight: inFlight.map { OperatorLayer1Status.CommitInFlight(block: $0.number, txid: $0.txid.hex) },
            followedHeight: followedHeight, finalHeight: finalHeight, finalityDepth: watcher.finalityDepth, depositsRegisteredSinceStart: registered,
            frozen: try store.isFrozen(), lastError: lastError)
    }
}
