/// `POST /v1/peers`: the body, and the 202 answer naming the connection being opened.
public struct PeerConnectionBody: Codable, Sendable, Equatable {
    /// `HOST:PORT`.
    public var address: String

    public init(address: String) { self.address = address }
}

/// `POST /v1/bans`.
public struct BanBody: Codable, Sendable, Equatable {
    /// An IPv4 or IPv6 address, without port or brackets.
    public var host: String
    /// How long the ban lasts; the node's default when absent.
    public var seconds: UInt64?
    public var reason: String?

    public init(host: String, seconds: UInt64? = nil, reason: String? = nil) {
        self.host = host
        self.seconds = seconds
        self.reason = reason
    }
}
