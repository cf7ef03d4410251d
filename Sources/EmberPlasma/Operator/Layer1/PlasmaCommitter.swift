import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation
import Logging
import ServiceLifecycle

/// Commits the operator's sealed blocks to layer 1, one per layer-1 block, oldest first
/// (docs/plasma-operator.md, "Layer 1").
///
/// The queue is durable without a table of its own: a sealed block whose commit columns are empty waits
/// for its commit. Which block goes next is layer 1's answer, not a counter kept here: the chain's
/// unspent `plasmaOperator` output names it (`nextNumber`), so after a restart, or after a
/// reorganisation that dropped commits, the committer sends exactly the block layer 1 is missing. A
/// commit spends the operator output the previous commit created, and the rule takes it only in a block
/// after that output's, so one commit is in flight at a time and the next is built once it is mined.
public actor PlasmaCommitter: Service {
    /// How far below the expected block number the committer looks for the operator output when it is
    /// not where expected: the deepest reorganisation of commits it recovers from by itself.
    public static let maxReorganisedCommits: UInt64 = 64
    /// Layer-1 blocks a commit may wait unmined before it is sent again (a node that dropped it).
    public static let resendAfterBlocks: UInt64 = 3

    public nonisolated let service: OperatorService
    public nonisolated let transactions: PlasmaOperatorTransactions
    public nonisolated let client: NodeAPIClient
    public nonisolated let exitWindow: UInt32
    public nonisolated let pollInterval: Duration
    nonisolated let logger: Logger
    nonisolated let clock: @Sendable () -> UInt64

    /// A commit sent and not yet seen mined.
    public struct InFlight: Hashable, Sendable {
        public let number: UInt64
        public let txid: Hash32
        let transaction: Transaction
        /// The operator output it spends.
        let spends: OutPoint
        /// The layer-1 tip when it was last sent.
        var sentAtTip: UInt64
    }

    /// What one round did.
    public enum Step: Hashable, Sendable {
        /// The chain is frozen (or closing): nothing is committed any more.
        case stopped
        /// No unspent operator output of the chain was found near the expected number.
        case noOperatorOutput
        /// The operator output names a block not sealed yet: nothing to commit.
        case idle(nextNumber: UInt64)
        /// The commit of this block is in the node's hands, not mined yet.
        case waiting(number: UInt64)
        /// A commit of this block was sent.
        case sent(number: UInt64, txid: Hash32)
        /// The bond is not open on layer 1 (not final yet, frozen or closing): no commit can read it.
        case bondNotOpen
    }

    private(set) var inFlight: InFlight?
    /// The block number the chain's operator output is expected to name (where the search starts).
    private var expected: UInt64?
    private(set) var lastSeen: Layer1OperatorOutput?
    private(set) var lastError: String?
    private var nudged = false
    private var waiter: CheckedContinuation<Void, Never>?

    public init(
        service: OperatorService, transactions: PlasmaOperatorTransactions, client: NodeAPIClient, exitWindow: UInt32,
        pollInterval: Duration = .seconds(1), logger: Logger,
        clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.service = service
        self.transactions = transactions
        self.client = client
        self.exitWindow = exitWindow
        self.pollInterval = pollInterval
        self.logger = logger
        self.clock = clock
    }

    nonisolated var chainId: Hash32 { service.chainId }
    nonisolated var store: OperatorStore { service.store }

    /// The `onSealed` hook: the block is already in the store's queue; this only wakes the loop.
    public nonisolated func blockSealed(_ block: SealedBlock) async {
        logger.debug("child block queued for its commit", metadata: ["number": "\(block.number)"])
        await nudge()
    }

    /// The commit in flight, the operator output last seen on layer 1 and the last error, for the status.
    public func snapshot() -> (inFlight: InFlight?, operatorOutput: Layer1OperatorOutput?, lastError: String?) {
        (inFlight, lastSeen, lastError)
    }

    // MARK: - Loop

    /// Runs rounds until cancelled or asked to shut down; a round that fails (the node away) is logged
    /// and the next one tries again. A frozen chain keeps the loop idle rather than ending it: a service
    /// that returns would stop the whole operator, which still serves its blocks and proofs for exits.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var previous: Step?
            while !Task.isCancelled {
                do {
                    let step = try await self.step()
                    if step != previous { self.explain(step) }
                    previous = step
                } catch {
                    await self.failed(error)
                }
                await self.wait()
            }
        }
    }

    /// Says why nothing is committed when that is not just waiting, once each time it changes.
    private nonisolated func explain(_ step: Step) {
        switch step {
        case .noOperatorOutput:
            logger.warning("committer: no unspent operator output of the chain on layer 1 (not mined yet, or the chain was closed)")
        case .bondNotOpen:
            logger.warning("committer: no open bond of the chain with exit window \(exitWindow) on layer 1 (not mined yet, frozen, closing, or a wrong --exit-window)")
        case .stopped:
            logger.notice("committer: the chain is frozen; no more commits")
        case .idle, .waiting, .sent:
            break
        }
    }

    private func failed(_ error: any Error) {
        lastError = "\(error)"
        logger.warning("committer: a round failed; trying again", metadata: ["error": "\(error)"])
    }

    /// One round: find the chain's operator output, record what is committed, and send the next commit
    /// when none is in flight and its block is sealed.
    @discardableResult
    public func step() async throws -> Step {
        if try store.isFrozen() { return .stopped }
        let tip = try await node { () async throws(NodeAPIError) in try await client.tip() }
        guard tip.network == transactions.network else { throw PlasmaLayer1Error.wrongNetwork(node: tip.network, expected: transactions.network) }
        guard let found = try await findOperatorOutput() else {
            logger.debug("committer: no unspent operator output of the chain near block \(expected ?? 1)")
            return .noOperatorOutput
        }
        lastSeen = found
        lastError = nil
        expected = found.nextNumber
        try record(found)
        if let sent = inFlight {
            if sent.number < found.nextNumber {
                logger.info("commit mined", metadata: [
                    "block": "\(sent.number)", "txid": "\(sent.txid)", "height": "\(found.height)",
                ])
                inFlight = nil
            } else if sent.spends == found.outpoint {
                if tip.height >= sent.sentAtTip + Self.resendAfterBlocks { try await resend(sent, tip: tip.height) }
                return .waiting(number: sent.number)
            } else {
                // The output it spent left the chain (a reorganisation): build again from the one there now.
                inFlight = nil
            }
        }
        guard let block = try store.block(found.nextNumber) else { return .idle(nextNumber: found.nextNumber) }
        let bondLock = PlasmaBondLock(chainId: chainId, exitWindow: exitWindow, state: .open)
        let bonds = try await node { () async throws(NodeAPIError) in try await client.outputs(under: .plasmaBond(bondLock)) }
        guard let bond = bonds.first else { return .bondNotOpen }
        let funding = try await node { () async throws(NodeAPIError) in
            try await client.outputs(of: transactions.sponsor.fundingKey.publicKey.address(on: transactions.network))
        }
        let built = try transactions.commit(
            root: block.root, operator: found.chainOutput(lock: .plasmaOperator(found.lock)),
            bond: PlasmaOperatorTransactions.ChainOutput(
                outpoint: bond.outpoint,
                unspent: UnspentOutput(output: Output(amount: bond.amount, lock: .plasmaBond(bondLock)), height: bond.height, isCoinbase: false)),
            in: PlasmaOperatorTransactions.Context(height: tip.height + 1, funding: funding, nowMs: clock()))
        try await submit(built.transaction)
        inFlight = InFlight(number: block.number, txid: built.txid, transaction: built.transaction, spends: found.outpoint, sentAtTip: tip.height)
        logger.info("commit sent", metadata: [
            "block": "\(block.number)", "root": "\(block.root)", "txid": "\(built.txid)", "bytes": "\(built.transaction.encoded.count)",
            "fee": "\(CoinAmount.formatWithUnit(built.fee))",
        ])
        return .sent(number: block.number, txid: built.txid)
    }

    /// Records the commit the found operator output proves (its creator committed `nextNumber − 1`) and
    /// forgets records of blocks from `nextNumber` on, which layer 1 no longer holds.
    private func record(_ found: Layer1OperatorOutput) throws {
        try store.clearCommits(from: found.nextNumber)
        guard found.nextNumber >= 2 else { return }
        let number = found.nextNumber - 1
        let stored = try store.block(number)
        guard let stored else {
            throw PlasmaLayer1Error.storeBehindLayer1(committed: number, lastSealed: try store.lastBlockNumber())
        }
        if stored.commitTxid != found.outpoint.txid || stored.commitHeight != found.height {
            try store.recordCommit(ofBlock: number, txid: found.outpoint.txid, height: found.height)
        }
    }

    /// The chain's unspent operator output: looked for at the expected number, then one above (the
    /// commit in flight was mined), then below (commits a reorganisation took away).
    private func findOperatorOutput() async throws -> Layer1OperatorOutput? {
        let start: UInt64
        if let expected {
            start = expected
        } else {
            let committed = try store.lastCommittedBlockNumber()
            start = committed + 1
        }
        var candidates = [start, start + 1]
        var below = start
        while below > 1, start - below < Self.maxReorganisedCommits {
            below -= 1
            candidates.append(below)
        }
        for number in candidates {
            let lock = PlasmaOperatorLock(chainId: chainId, operatorKey: transactions.rawOperatorKey, nextNumber: number)
            let outputs = try await node { () async throws(NodeAPIError) in try await client.outputs(under: .plasmaOperator(lock)) }
            if let output = outputs.first {
                return Layer1OperatorOutput(outpoint: output.outpoint, amount: output.amount, height: output.height, lock: lock)
            }
        }
        return nil
    }

    private func resend(_ sent: InFlight, tip: UInt64) async throws {
        logger.info("commit not mined yet; sending it again", metadata: ["block": "\(sent.number)", "txid": "\(sent.txid)"])
        do {
            try await submit(sent.transaction)
            inFlight?.sentAtTip = tip
        } catch {
            // The node refuses it now (its funding was spent, say): build a new one next round.
            inFlight = nil
            throw error
        }
    }

    /// Submits; a node that already holds the transaction is fine.
    private func submit(_ transaction: Transaction) async throws {
        do {
            _ = try await client.submit(transaction)
        } catch {
            if "\(error)".contains("already known") { return }
            throw PlasmaLayer1Error.node(error)
        }
    }

    private func node<Value>(_ request: () async throws(NodeAPIError) -> Value) async throws -> Value {
        do {
            return try await request()
        } catch {
            throw PlasmaLayer1Error.node(error)
        }
    }

    // MARK: - Waiting

    /// Wakes the loop before its poll interval ends (a block was sealed).
    func nudge() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            nudged = true
        }
    }

    /// Returns after `pollInterval`, or earlier when nudged.
    private func wait() async {
        if nudged {
            nudged = false
            return
        }
        let interval = pollInterval
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: interval)) != nil else { return }
            await self?.nudge()
        }
        await withCheckedContinuation { waiter = $0 }
        timer.cancel()
    }
}
