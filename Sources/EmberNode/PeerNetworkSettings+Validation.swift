import EmberAPI
import EmberWire

extension PeerNetworkSettings {
    /// Inbound or outbound connection limits a node accepts: far beyond any useful number, before a
    /// typo can make the node exhaust its file descriptors.
    public static let connectionLimitRange = 0...1_024
    /// Connections per address or per network group: at least one, at most the whole inbound limit.
    public static let perSourceLimitRange = 1...1_024
    /// The partial-frame budget in MiB: at least two largest frames (8 MiB each), so two peers can
    /// deliver full blocks at once; at most 4 GiB.
    public static let frameBudgetMiBRange = 16...4_096
    /// Dials of gossiped addresses a minute: 0 dials only configured peers; 600 is ten a second.
    public static let dialsPerMinuteRange = 0...600
    /// What a peer's address must look like, for error messages.
    public static let peerForm = PeerEndpoint.expectedForm

    /// Whether `text` is a peer `HOST:PORT` the node can connect to.
    public static func isWellFormedPeer(_ text: String) -> Bool { PeerEndpoint(text) != nil }
}
