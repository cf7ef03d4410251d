/// One connected peer as the API shows it.
public struct PeerSnapshot: Sendable, Equatable {
    public let id: PeerID
    public let address: String
    public let direction: PeerDirection
    public let handshakeComplete: Bool
    public let userAgent: String
    public let bestHeight: UInt64
    public let score: Int
    public let blocksInFlight: Int
    public let pingMs: Double?
    public let connectedAtMs: UInt64
}
