/// The peer-to-peer network (DESIGN.md sections 1 and 13): SwiftNIO transport, the peer manager with
/// scores, bans and connection limits, header-first sync with a parallel block download, and relay of
/// validated blocks and transactions. The network is `PeerNetwork`; everything else serves it.
public enum EmberP2P {}
