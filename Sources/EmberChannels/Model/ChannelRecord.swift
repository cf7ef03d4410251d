import EmberCore
import EmberCrypto
import Foundation

/// What a channel service knows about one channel besides its latest co-signed state (which is stored
/// on its own, since it changes with every payment): the parameters, the funding output, which side
/// this service is, the peer, and where the channel stands on layer 1.
public struct ChannelRecord: Hashable, Sendable {
    public enum Side: String, Sendable, Codable { case a, b }

    /// Where the channel stands.
    public enum Status: String, Sendable, Codable {
        /// The refund is co-signed; the funding transaction is not confirmed yet.
        case opening
        /// Funded: updates flow off chain.
        case open
        /// A final state or a cooperative close was agreed; waiting for it on layer 1.
        case closing
        /// A dispute output is on layer 1 (see `dispute`).
        case disputed
        /// The channel's coin has left it on layer 1.
        case closed
    }

    /// A dispute as layer 1 shows it.
    public struct Dispute: Hashable, Sendable {
        public var outpoint: OutPoint
        public var version: UInt64
        public var stateHash: Hash32
        public var deadline: UInt64
        public var forced: Bool

        public init(outpoint: OutPoint, version: UInt64, stateHash: Hash32, deadline: UInt64, forced: Bool) {
            self.outpoint = outpoint
            self.version = version
            self.stateHash = stateHash
            self.deadline = deadline
            self.forced = forced
        }
    }

    public var id: Hash32
    public var network: NetworkID
    public var params: ChannelParams
    public var funding: OutPoint
    public var amount: Amount
    /// Which party this service is.
    public var side: Side
    /// The peer's channel service WebSocket URL, when this side opened the channel.
    public var peerURL: String?
    /// "payments", or the app's name ("tictactoe").
    public var app: String
    public var status: Status
    public var dispute: Dispute?
    /// The txid that closed the channel on layer 1.
    public var closingTxid: Hash32?

    public init(
        id: Hash32, network: NetworkID, params: ChannelParams, funding: OutPoint, amount: Amount, side: Side, peerURL: String?,
        app: String, status: Status, dispute: Dispute? = nil, closingTxid: Hash32? = nil
    ) {
        self.id = id
        self.network = network
        self.params = params
        self.funding = funding
        self.amount = amount
        self.side = side
        self.peerURL = peerURL
        self.app = app
        self.status = status
        self.dispute = dispute
        self.closingTxid = closingTxid
    }

    /// This side's key in the channel.
    public var ownKey: RawPublicKey { side == .a ? params.keyA : params.keyB }
    /// The other side's key.
    public var peerKey: RawPublicKey { side == .a ? params.keyB : params.keyA }
    /// The lock of the funding output.
    public var channelLock: Lock { .channel(params) }
}

extension ChannelRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, network, keyA, keyB, window, appHash, fundingTxid, fundingIndex, amount, side, peerURL, app, status
        case disputeTxid, disputeIndex, disputeVersion, disputeStateHash, disputeDeadline, disputeForced, closingTxid
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        func hash(_ key: CodingKeys) throws -> Hash32 {
            let text = try values.decode(String.self, forKey: key)
            guard let hash = Hash32(hex: text) else {
                throw Swift.DecodingError.dataCorruptedError(forKey: key, in: values, debugDescription: "not 64 hex digits")
            }
            return hash
        }
        func key(_ key: CodingKeys) throws -> RawPublicKey {
            guard let raw = RawPublicKey(try hash(key).bytes) else {
                throw Swift.DecodingError.dataCorruptedError(forKey: key, in: values, debugDescription: "not a key")
            }
            return raw
        }
        guard let network = NetworkID(rawValue: try values.decode(UInt8.self, forKey: .network)),
              let amount = UInt128(try values.decode(String.self, forKey: .amount))
        else {
            throw Swift.DecodingError.dataCorruptedError(forKey: .network, in: values, debugDescription: "bad network or amount")
        }
        id = try hash(.id)
        self.network = network
        params = ChannelParams(keyA: try key(.keyA), keyB: try key(.keyB), window: try values.decode(UInt32.self, forKey: .window), app: try hash(.appHash))
        funding = OutPoint(txid: try hash(.fundingTxid), index: try values.decode(UInt32.self, forKey: .fundingIndex))
        self.amount = Amount(units: amount)
        side = try values.decode(Side.self, forKey: .side)
        peerURL = try values.decodeIfPresent(String.self, forKey: .peerURL)
        app = try values.decode(String.self, forKey: .app)
        status = try values.decode(Status.self, forKey: .status)
        if values.contains(.disputeTxid) {
            dispute = Dispute(
                outpoint: OutPoint(txid: try hash(.disputeTxid), index: try values.decode(UInt32.self, forKey: .disputeIndex)),
                version: try values.decode(UInt64.self, forKey: .disputeVersion), stateHash: try hash(.disputeStateHash),
                deadline: try values.decode(UInt64.self, forKey: .disputeDeadline), forced: try values.decode(Bool.self, forKey: .disputeForced))
        }
        closingTxid = values.contains(.closingTxid) ? try hash(.closingTxid) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(id.hex, forKey: .id)
        try values.encode(network.rawValue, forKey: .network)
        try values.encode(params.keyA.bytes.hexString, forKey: .keyA)
        try values.encode(params.keyB.bytes.hexString, forKey: .keyB)
        try values.encode(params.window, forKey: .window)
        try values.encode(params.app.hex, forKey: .appHash)
        try values.encode(funding.txid.hex, forKey: .fundingTxid)
        try values.encode(funding.index, forKey: .fundingIndex)
        try values.encode(String(amount.units), forKey: .amount)
        try values.encode(side, forKey: .side)
        try values.encodeIfPresent(peerURL, forKey: .peerURL)
        try values.encode(app, forKey: .app)
        try values.encode(status, forKey: .status)
        if let dispute {
            try values.encode(dispute.outpoint.txid.hex, forKey: .disputeTxid)
            try values.encode(dispute.outpoint.index, forKey: .disputeIndex)
            try values.encode(dispute.version, forKey: .disputeVersion)
            try values.encode(dispute.stateHash.hex, forKey: .disputeStateHash)
            try values.encode(dispute.deadline, forKey: .disputeDeadline)
            try values.encode(dispute.forced, forKey: .disputeForced)
        }
        try values.encodeIfPresent(closingTxid?.hex, forKey: .closingTxid)
    }
}

extension ChannelRecord {
    /// Where a payment channel pays party A: the pubKeyHash of A's channel key.
    public var payoutA: Lock { .pubKeyHash(Blake3.hash(params.keyA.bytes)) }
    /// Where a payment channel pays party B.
    public var payoutB: Lock { .pubKeyHash(Blake3.hash(params.keyB.bytes)) }
    /// This side's payout lock.
    public var ownPayout: Lock { side == .a ? payoutA : payoutB }
    /// The other side's payout lock.
    public var peerPayout: Lock { side == .a ? payoutB : payoutA }
}
