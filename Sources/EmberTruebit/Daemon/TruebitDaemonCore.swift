import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Logging

/// What the solver and verifier daemons share: following layer 1 into the store, the runs of tasks (made
/// again from the node's blobs when not kept), and sending a transaction once (again only after
/// `resendAfter` blocks without effect) with funding that transactions still unconfirmed do not spend,
/// logging one line per transaction.
///
/// One per daemon, owned by its actor: not thread-safe, and every async method runs on the caller's
/// isolation (`nonisolated(nonsending)`), so the actor's lock covers it.
final class TruebitDaemonCore {
    let context: TruebitDaemonContext
    let scan: TruebitBlockScan
    let resendAfter: UInt64
    let runOptions: TaskRun.Options
    let logger: Logger
    /// The daemon's name in its log lines ("truebit solver", "truebit verifier").
    let role: String
    private let follower: TruebitChainFollower
    /// Runs by taskId, kept while the daemon may be asked about them.
    private var runs = [Hash32: TaskRun]()
    /// Funding outputs spent by transactions sent but maybe not mined yet (the node lists confirmed outputs
    /// only, so it still shows them), with the tip they were sent at.
    private var pendingFunding = [OutPoint: UInt64]()

    init(
        context: TruebitDaemonContext, scan: TruebitBlockScan, resendAfter: UInt64, runOptions: TaskRun.Options, startHeight: UInt64,
        logger: Logger, role: String
    ) {
        self.context = context
        self.scan = scan
        self.resendAfter = resendAfter
        self.runOptions = runOptions
        self.logger = logger
        self.role = role
        follower = TruebitChainFollower(
            store: context.store, node: context.node, network: context.transactions.network, scan: scan, startHeight: startHeight, logger: logger)
    }

    var store: TruebitStore { context.store }
    var node: NodeAPIClient { context.node }
    var transactions: TruebitTransactions { context.transactions }

    /// Runs `pass` every `interval` until the task is cancelled; a pass that fails is logged and tried again.
    nonisolated(nonsending) func repeatPasses(every interval: Duration, _ pass: () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await pass()
            } catch {
                logger.warning("\(role): pass failed; trying again: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }

    // MARK: - Following layer 1

    /// Applies every block up to the node's tip to the store, each with its cursor; returns the tip.
    nonisolated(nonsending) func catchUp() async throws -> ChainTip {
        let tip = try await follower.catchUp()
        pendingFunding = pendingFunding.filter { tip.height < $0.value.addingReportingOverflow(resendAfter).partialValue }
        return tip
    }

    /// Ends a pass: drops the runs of tasks not in `live`, and forgets records spent deeper than any
    /// reorganisation the watcher follows.
    func finishPass(keepingRunsOf live: Set<Hash32>, tipHeight: UInt64) throws {
        runs = runs.filter { live.contains($0.key) }
        let depth = UInt64(ChainWatcher.defaultMaxReorganisationDepth)
        if tipHeight > depth { try store.forgetSpent(below: tipHeight - depth) }
    }

    // MARK: - Runs

    /// The daemon's run of `task`, made again from its blobs when not kept; nil (logged) while the node
    /// serves either blob not.
    nonisolated(nonsending) func run(of task: TruebitTaskLock) async throws -> TaskRun? {
        if let run = runs[task.taskId] { return run }
        guard let program = try await node.blob(hash: task.programHash) else {
            logger.warning("\(role): the node serves no program blob \(task.programHash.hex) of task \(task.taskId.hex) yet")
            return nil
        }
        guard let input = try await node.blob(hash: task.inputHash) else {
            logger.warning("\(role): the node serves no input blob \(task.inputHash.hex) of task \(task.taskId.hex) yet")
            return nil
        }
        let run = try TaskRun(task: task, program: program.bytes, input: input.bytes, options: runOptions)
        runs[task.taskId] = run
        return run
    }

    func forgetRun(of taskId: Hash32) {
        runs[taskId] = nil
    }

    // MARK: - Sending

    /// Builds and submits the action `key` (described by `what`) for the block after `tipHeight`, unless it
    /// was sent fewer than `resendAfter` blocks ago. False when nothing was sent: too soon, no key, or it
    /// could not be built or was refused (logged; the next pass tries again).
    ///
    /// - Parameter beforeSubmit: runs on the built transaction before it is submitted (the solver stores its
    ///   commit's txid there); an error it throws stops the send.
    nonisolated(nonsending) func send(
        _ key: String?, what: String, tipHeight: UInt64,
        build: (TruebitTransactions.Context) throws(TruebitTransactionError) -> SponsoredTransaction,
        beforeSubmit: (SponsoredTransaction) throws -> Void = { _ in }
    ) async throws -> Bool {
        guard let key else { return false }
        if let sent = try store.action(key), tipHeight < sent.height.addingReportingOverflow(resendAfter).partialValue { return false }
        let fundingKey = transactions.sponsor.fundingKey
        let address = Address(publicKeyHash: fundingKey.publicKey.publicKeyHash, network: transactions.network)
        let funding = try await node.outputs(of: address).filter { pendingFunding[$0.outpoint] == nil }
        let built: SponsoredTransaction
        do {
            built = try build(TruebitTransactions.Context(height: tipHeight + 1, funding: funding, nowMs: context.nowMs()))
        } catch {
            logger.error("\(role): cannot build the \(what): \(error)")
            return false
        }
        try beforeSubmit(built)
        let txid: Hash32
        do {
            txid = try await node.submit(built.transaction)
        } catch {
            logger.error("\(role): the node refused the \(what): \(error)")
            return false
        }
        try store.recordAction(key, txid: txid, height: tipHeight)
        for funding in built.funding { pendingFunding[funding.outpoint] = tipHeight }
        logger.notice("\(role): \(what): transaction \(txid.hex)")
        return true
    }
}
