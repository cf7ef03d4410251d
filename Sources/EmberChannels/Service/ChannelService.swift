import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore

/// One party's channel service (docs/channels.md): keeps its channels and their latest co-signed
/// states, talks to each peer's service over a WebSocket, and proposes, checks and co-signs updates.
///
/// Every co-signed state is on disk before this side acknowledges it or reports it as done.
public actor ChannelService {
    public let params: ConsensusParams
    public let key: SigningKey
    public let store: ChannelStore
    public let node: NodeAPIClient
    let logger: Logger
    /// Default dispute window for channels this side opens.
    public let defaultWindow: UInt32

    var records: [Hash32: ChannelRecord] = [:]
    /// Each channel's latest co-signed state (on the receiving side, possibly still being written).
    var latest: [Hash32: CoSignedState] = [:]
    /// This side's proposals not yet acknowledged, by channel and version.
    var inFlight: [Hash32: [UInt64: Proposal]] = [:]
    var waiters: [Hash32: [UInt64: Reply<CoSignedState>]] = [:]
    var links: [RawPublicKey: PeerLink] = [:]
    var linkKeys: [Int: RawPublicKey] = [:]
    var linkURLs: [Int: String] = [:]
    var urlKeys: [String: RawPublicKey] = [:]
    var outboundTasks: [String: Task<Void, Never>] = [:]
    var connectFailures: [String: String] = [:]
    var openWaiters: [Hash32: Reply<ChannelMessage>] = [:]
    var responderProposals: [Hash32: (request: OpenRequest, contribution: FundingContribution)] = [:]
    var nextLinkId = 0
    /// Builds this side's layer-1 channel transactions, paying fees from its key.
    let transactions: ChannelTransactions
    /// Follows layer 1 for this side's channels once `runGuard` started it.
    var channelGuard: ChannelGuard?
    /// Forced states the guard read from layer 1, by channel.
    var guardedStates: [Hash32: ChannelState] = [:]

    public var ownKey: RawPublicKey { RawPublicKey(key.publicKey.bytes)! }

    public init(
        params: ConsensusParams, key: SigningKey, store: ChannelStore, node: NodeAPIClient, defaultWindow: UInt32 = 30,
        logger: Logger = Logger(label: "ember.channels")
    ) throws(ChannelServiceError) {
        self.params = params
        self.key = key
        self.store = store
        self.node = node
        self.logger = logger
        self.defaultWindow = defaultWindow
        transactions = ChannelTransactions(params: params, fundingKey: key, client: node)
        do {
            for record in try store.records() {
                records[record.id] = record
                latest[record.id] = try store.latest(record.id)
            }
        } catch {
            throw .store(error)
        }
    }

    // MARK: - Queries

    public func channels() -> [ChannelStatus] {
        records.values.sorted { $0.id < $1.id }.map { status(of: $0) }
    }

    public func status(of id: Hash32) throws(ChannelServiceError) -> ChannelStatus {
        status(of: try record(id))
    }

    func status(of record: ChannelRecord) -> ChannelStatus {
        ChannelStatus(record: record, latest: latest[record.id], connected: links[record.peerKey] != nil)
    }

    func record(_ id: Hash32) throws(ChannelServiceError) -> ChannelRecord {
        guard let record = records[id] else { throw .unknownChannel(id.hex) }
        return record
    }

    /// Finds a channel by its full id or a unique prefix of its hex.
    public func resolve(_ text: String) throws(ChannelServiceError) -> Hash32 {
        let matches = records.keys.filter { $0.hex.hasPrefix(text.lowercased()) }
        guard matches.count == 1, !text.isEmpty else { throw .unknownChannel(text) }
        return matches[0]
    }

    /// The latest co-signed state of a channel.
    public func latestState(of id: Hash32) throws(ChannelServiceError) -> CoSignedState {
        guard let state = latest[id] else { throw .unknownChannel(id.hex) }
        return state
    }

    // MARK: - Records

    func save(_ record: ChannelRecord) throws(ChannelServiceError) {
        records[record.id] = record
        do {
            try store.save(record)
        } catch {
            throw .store(error)
        }
    }

    /// Marks a channel's layer-1 status (the guard calls this as blocks arrive).
    public func update(_ record: ChannelRecord) throws(ChannelServiceError) {
        try save(record)
    }

    // MARK: - Signing

    func sign(_ state: ChannelState) -> Signature {
        sign(hash: state.hash(network: params.networkID))
    }

    /// Signs a state by its hash, for callers that computed the hash already.
    func sign(hash: Hash32) -> Signature {
        // Signing with an in-memory key does not fail.
        try! key.sign(domain: .channelState, network: params.networkID, message: hash.bytes)
    }

    func coSigned(_ state: ChannelState, own: Signature, peer: Signature, record: ChannelRecord) -> CoSignedState {
        record.side == .a ? CoSignedState(state: state, sigA: own, sigB: peer) : CoSignedState(state: state, sigA: peer, sigB: own)
    }
}

/// A state this side proposed and signed, awaiting the peer's signature: kept with its hash and this
/// side's signature, so the acknowledgement costs one verification and no second signing.
struct Proposal: Sendable {
    let state: ChannelState
    let hash: Hash32
    let signature: Signature
}
