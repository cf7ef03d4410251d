import EmberCrypto
import EmberWire

/// What waits in a peer's send queue. Blocks are queued by hash and read from the store only when the
/// connection can take them, so a peer asking for many holds at most one in our memory at a time.
enum PeerOutgoing: Sendable {
    case message(WireMessage)
    case storedBlock(Hash32)
}
