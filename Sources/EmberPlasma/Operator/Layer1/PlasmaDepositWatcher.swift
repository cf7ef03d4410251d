import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Logging
import ServiceLifecycle

/// Follows layer 1 for the operator (docs/plasma-operator.md, "Layer 1"): registers every `plasmaCoin`
/// of the chain (a deposit, or a coin a cancel recreated) once its block is `finalityDepth` deep, and
/// freezes the store once a block that froze the bond (a fraud proof) is.
///
/// A `ChainWatcher` follows the node's tip; blocks not yet final are held in memory and dropped when a
/// reorganisation disconnects them, so a deposit a reorganisation replaced is never registered. Only the
/// last final block handled is stored (`layer1Cursor`): after a restart the watcher starts there and the
/// blocks above it are connected, and held, again. Registering is idempotent, so a block handled twice
/// (a crash between registering and saving the cursor) changes nothing.
public actor PlasmaDepositWatcher: Service {
    public nonisolated let service: OperatorService
    public nonisolated let client: NodeAPIClient
    public nonisolated let exitWindow: UInt32
    /// Blocks on top of a block before its deposits count (devnet 8, mainnet 20).
    public nonisolated let finalityDepth: UInt64
    public nonisolated let pollInterval: Duration
    nonisolated let logger: Logger

    private struct Held {
        let height: UInt64
        let hash: Hash32
        let scan: Layer1BlockScan
    }

    private var watcher: ChainWatcher?
    private var held = [Held]()
    private(set) var finalHeight: UInt64?
    private(set) var depositsRegistered = 0
    private(set) var followedHeight: UInt64?

    public init(
        service: OperatorService, client: NodeAPIClient, exitWindow: UInt32, finalityDepth: UInt64, pollInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.service = service
        self.client = client
        self.exitWindow = exitWindow
        self.finalityDepth = max(1, finalityDepth)
        self.pollInterval = pollInterval
        self.logger = logger
    }

    nonisolated var chainId: Hash32 { service.chainId }
    nonisolated var store: OperatorStore { service.store }

    /// The last final block handled, the tip followed and the deposits registered since the start.
    public func snapshot() -> (finalHeight: UInt64?, followedHeight: UInt64?, depositsRegistered: Int) {
        (finalHeight, followedHeight, depositsRegistered)
    }

    /// Polls until cancelled or asked to shut down; a failed round (the node away) is logged and tried again.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.step()
                } catch {
                    self.logger.warning("deposit watcher: a round failed; trying again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.pollInterval)
            }
        }
    }

    /// One round: follow the node's chain, then handle every held block that became final. Returns the
    /// deposits registered in this round.
    @discardableResult
    public nonisolated func step() async throws -> Int {
        guard let watcher = try await startedWatcher() else { return 0 }
        try await watcher.poll { event, after in await self.apply(event, after: after) }
        guard let tip = await watcher.cursor?.height else { return 0 }
        return try await handleFinalBlocks(tip: tip)
    }

    /// Handles, oldest first, every held block that is `finalityDepth` below `tip`.
    private func handleFinalBlocks(tip: UInt64) async throws -> Int {
        followedHeight = tip
        var registered = 0
        while let first = held.first, first.height + finalityDepth <= tip {
            registered += try await handleFinal(first)
            held.removeFirst()
        }
        return registered
    }

    private func apply(_ event: ChainEvent, after: ChainCursor?) {
        switch event {
        case .blockConnected(let block, let height):
            guard let after else { return }
            held.append(Held(height: height, hash: after.hash, scan: Layer1BlockScan(block: block, chainId: chainId)))
        case .blockDisconnected(_, let height):
            if held.last?.height == height {
                held.removeLast()
            } else {
                // A block already handled as final left the chain: what it registered stays registered.
                logger.error("deposit watcher: a reorganisation deeper than the finality depth took a final block away", metadata: [
                    "height": "\(height)", "finalityDepth": "\(finalityDepth)",
                ])
                finalHeight = after?.height
                if let after { try? store.saveLayer1Cursor(height: after.height, hash: after.hash) }
            }
        }
    }

    private func handleFinal(_ block: Held) async throws -> Int {
        if !block.scan.deposits.isEmpty {
            try store.registerDeposits(block.scan.deposits)
            depositsRegistered += block.scan.deposits.count
            for deposit in block.scan.deposits {
                logger.info("deposit registered", metadata: [
                    "coin": "\(deposit.coinId)", "firstBlock": "\(deposit.firstBlock)", "layer1Height": "\(block.height)",
                ])
            }
        }
        if block.scan.frozen, try !store.isFrozen() {
            try await service.freeze()
            logger.error("the chain's bond was frozen by a fraud proof on layer 1: no more moves, blocks or commits", metadata: [
                "layer1Height": "\(block.height)",
            ])
        }
        if block.scan.closing {
            logger.notice("the chain was closed on layer 1", metadata: ["layer1Height": "\(block.height)"])
        }
        try store.saveLayer1Cursor(height: block.height, hash: block.hash)
        finalHeight = block.height
        return block.scan.deposits.count
    }

    /// The chain watcher, made on the first round: from the stored cursor, or, on a fresh store, from
    /// the block that holds the chain's open bond (the register: no deposit of the chain comes before it).
    private func startedWatcher() async throws -> ChainWatcher? {
        if let watcher { return watcher }
        let made: ChainWatcher
        if let stored = try store.layer1Cursor() {
            made = ChainWatcher(
                client: client, network: service.network, cursor: ChainCursor(height: stored.height, hash: stored.hash),
                pollInterval: pollInterval, logger: logger)
            finalHeight = stored.height
        } else {
            let bondLock = PlasmaBondLock(chainId: chainId, exitWindow: exitWindow, state: .open)
            let bonds: [WalletOutput]
            do {
                bonds = try await client.outputs(under: .plasmaBond(bondLock))
            } catch {
                throw PlasmaLayer1Error.node(error)
            }
            guard let bond = bonds.first else {
                logger.info("deposit watcher: the chain's open bond is not on layer 1 (yet); waiting for it")
                return nil
            }
            made = ChainWatcher(client: client, network: service.network, cursor: nil, startHeight: bond.height, pollInterval: pollInterval, logger: logger)
        }
        watcher = made
        return made
    }
}
