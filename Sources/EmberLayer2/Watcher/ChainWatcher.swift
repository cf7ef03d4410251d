import EmberCore
import EmberCrypto
import Logging

/// Follows a node's active chain through its REST API and reports each block connected and
/// disconnected, in order, from a cursor the client stores (so its state survives a restart).
///
/// Reorganisations are found by parent hashes: before moving on, the watcher checks that its cursor
/// is still the node's active block at that height; if not, it walks back through the blocks it
/// followed (`GET /v1/blocks/{hash}`, which serves inactive blocks too), disconnecting each, until it
/// reaches a block the node still has active: the fork point. Then it connects the new branch, each
/// block checked to sit on the previous one.
///
/// Delivery is at least once: the handler gets each event with the cursor after it, and should store
/// both in one transaction; a crash between the two replays the event on the next start.
public actor ChainWatcher {
    /// Bounds how far back a reorganisation is followed before the client is told to rebuild.
    public static let defaultMaxReorganisationDepth = 1_000
    /// Bounds the blocks one poll connects, so a client far behind still returns to its loop.
    public static let defaultMaxBlocksPerPoll = 500

    public let client: NodeAPIClient
    /// The network the client follows; a node of another is refused.
    public let network: NetworkID?
    /// The first height connected when there is no cursor.
    public let startHeight: UInt64
    public let pollInterval: Duration
    public let maxReorganisationDepth: Int
    public let maxBlocksPerPoll: Int
    /// The last block reported connected, nil before the first.
    public private(set) var cursor: ChainCursor?
    private let logger: Logger

    public init(
        client: NodeAPIClient, network: NetworkID? = nil, cursor: ChainCursor?, startHeight: UInt64 = 0,
        pollInterval: Duration = .seconds(2), maxReorganisationDepth: Int = defaultMaxReorganisationDepth,
        maxBlocksPerPoll: Int = defaultMaxBlocksPerPoll, logger: Logger = Logger(label: "ember.layer2.watcher")
    ) {
        self.client = client
        self.network = network
        self.cursor = cursor
        self.startHeight = startHeight
        self.pollInterval = pollInterval
        self.maxReorganisationDepth = maxReorganisationDepth
        self.maxBlocksPerPoll = max(1, maxBlocksPerPoll)
        self.logger = logger
    }

    /// One round: disconnects what left the node's active chain, then connects up to
    /// `maxBlocksPerPoll` blocks toward its tip.
    ///
    /// - Parameter handle: receives each event with the cursor after it; an error it throws stops the
    ///   round, with the watcher's cursor at the event before.
    /// - Returns: how many events were delivered.
    @discardableResult
    public func poll(_ handle: (ChainEvent, ChainCursor?) async throws -> Void) async throws -> Int {
        let tip = try await node { () async throws(NodeAPIError) in try await client.tip() }
        if let network, tip.network != network { throw ChainWatcherError.wrongNetwork(node: tip.network, expected: network) }
        var delivered = try await rewindToActiveChain(handle)
        var connected = 0
        while connected < maxBlocksPerPoll {
            let next = cursor.map { $0.height + 1 } ?? startHeight
            guard next <= tip.height else { break }
            // Nil: the chain shrank since `tip`; the next round sees the new tip.
            guard let observed = try await node({ () async throws(NodeAPIError) in try await client.block(atHeight: next) }) else { break }
            if let cursor, observed.parent != cursor.hash {
                // A reorganisation happened between two requests.
                delivered += try await rewindToActiveChain(handle)
                continue
            }
            let after = ChainCursor(height: next, hash: observed.hash)
            try await handle(.blockConnected(observed.block, height: next), after)
            cursor = after
            connected += 1
            delivered += 1
        }
        return delivered
    }

    /// Polls every `pollInterval` until the task is cancelled. A node that cannot be reached or answers
    /// badly is logged and asked again next round; a wrong network, a too-deep reorganisation or an
    /// error from `handle` ends the loop.
    public func run(_ handle: (ChainEvent, ChainCursor?) async throws -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await poll(handle)
            } catch ChainWatcherError.node(let error) {
                logger.warning("watcher: the node did not answer usefully; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// Disconnects from the cursor down until the cursor is the node's active block at its height.
    private func rewindToActiveChain(_ handle: (ChainEvent, ChainCursor?) async throws -> Void) async throws -> Int {
        var depth = 0
        while let current = cursor {
            let active = try await node { () async throws(NodeAPIError) in try await client.block(atHeight: current.height) }
            if active?.hash == current.hash { return depth }
            guard depth < maxReorganisationDepth else {
                throw ChainWatcherError.reorganisationTooDeep(limit: maxReorganisationDepth, cursor: current)
            }
            guard let followed = try await node({ () async throws(NodeAPIError) in try await client.block(hash: current.hash) }) else {
                throw ChainWatcherError.unknownFollowedBlock(current)
            }
            let after = current.height == 0 ? nil : ChainCursor(height: current.height - 1, hash: followed.parent)
            logger.info("watcher: block left the active chain", metadata: ["height": "\(current.height)", "hash": "\(current.hash)"])
            try await handle(.blockDisconnected(followed.block, height: current.height), after)
            cursor = after
            depth += 1
        }
        return depth
    }

    private func node<Value>(_ request: () async throws(NodeAPIError) -> Value) async throws(ChainWatcherError) -> Value {
        do {
            return try await request()
        } catch {
            throw .node(error)
        }
    }
}
