import EmberAPI
import EmberWire

extension PeerNetworkSettings {
    /// Inbound or outbound connection limits a node accepts: far beyond any useful number, before a
    /// typo can make the node exhaust its file descriptors.
    public static let connectionLimitRange = 0...1_024
    /// What a peer's address must look like, for error messages.
    public static let peerForm = PeerEndpoint.expectedForm

    /// Whether `text` is a peer `HOST:PORT` the node can connect to.
    public static func isWellFormedPeer(_ text: String) -> Bool { PeerEndpoint(text) != nil }
}
