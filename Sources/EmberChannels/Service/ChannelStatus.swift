import EmberCore
import EmberCrypto

/// What `ember channel status` prints for one channel (JSON).
public struct ChannelStatus: Codable, Sendable, Equatable {
    public var id: String
    public var side: String
    public var status: String
    public var app: String
    public var amount: String
    public var window: UInt32
    public var funding: String
    public var version: UInt64?
    public var isFinal: Bool?
    public var ownBalance: String?
    public var peerBalance: String?
    public var connected: Bool
    public var disputeVersion: UInt64?
    public var disputeDeadline: UInt64?
    public var disputeForced: Bool?
    public var closingTxid: String?
    /// The game's board as nine characters (".", "X" for A, "O" for B), for a tic-tac-toe channel.
    public var board: String?

    init(record: ChannelRecord, latest: CoSignedState?, connected: Bool) {
        id = record.id.hex
        side = record.side.rawValue
        status = record.status.rawValue
        app = record.app
        amount = String(record.amount.units)
        window = record.params.window
        funding = "\(record.funding.txid.hex):\(record.funding.index)"
        version = latest?.state.version
        isFinal = latest?.state.isFinal
        if let state = latest?.state {
            ownBalance = String(UpdateCheck.paid(to: record.ownPayout, in: state).units)
            peerBalance = String(UpdateCheck.paid(to: record.peerPayout, in: state).units)
        }
        self.connected = connected
        disputeVersion = record.dispute?.version
        disputeDeadline = record.dispute?.deadline
        disputeForced = record.dispute?.forced
        closingTxid = record.closingTxid?.hex
    }
}
