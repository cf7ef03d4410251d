/// Who opened a connection.
public enum PeerDirection: String, Sendable {
    /// The peer connected to our listener.
    case inbound
    /// We dialed the peer.
    case outbound
}
