/// The JSON bodies of the channel service's local control API (docs/channels.md, "Control API").
/// Amounts are in base units, as decimal strings.
public struct OpenChannelRequest: Codable, Sendable {
    public var peer: String
    public var amount: String
    public var peerAmount: String?
    public var window: UInt32?
    public var app: String?
    /// Wait until the funding transaction is in a block before answering.
    public var waitForConfirmation: Bool?

    public init(peer: String, amount: String, peerAmount: String?, window: UInt32?, app: String?, waitForConfirmation: Bool?) {
        self.peer = peer
        self.amount = amount
        self.peerAmount = peerAmount
        self.window = window
        self.app = app
        self.waitForConfirmation = waitForConfirmation
    }
}

public struct PayRequest: Codable, Sendable {
    public var amount: String
    /// How many payments of `amount` to make (default 1), pipelined.
    public var count: Int?

    public init(amount: String, count: Int?) {
        self.amount = amount
        self.count = count
    }
}

public struct MoveRequest: Codable, Sendable {
    /// The cell, 0…8 row by row.
    public var cell: Int
    /// Play it on layer 1 (a force-move) instead of asking the peer to co-sign.
    public var force: Bool?

    public init(cell: Int, force: Bool?) {
        self.cell = cell
        self.force = force
    }
}

public struct DisputeRequest: Codable, Sendable {
    /// A co-signed state in hex to dispute with; the latest when absent.
    public var coSignedState: String?

    public init(coSignedState: String?) { self.coSignedState = coSignedState }
}

public struct WatchRequest: Codable, Sendable {
    /// The tower's base URL (http://host:port).
    public var tower: String

    public init(tower: String) { self.tower = tower }
}

/// An error answer: what went wrong, in words.
public struct ControlError: Codable, Sendable, Error {
    public var error: String

    public init(error: String) { self.error = error }
}

/// A transaction the service published.
public struct PublishedTransaction: Codable, Sendable {
    public var txid: String

    public init(txid: String) { self.txid = txid }
}
