import EmberCore
import EmberCrypto
import EmberLayer2

/// Why a channel command failed, in words a user can act on.
public enum ChannelServiceError: Error, Sendable, CustomStringConvertible {
    case unknownChannel(String)
    case amountAboveBalance(amount: Amount, balance: Amount)
    case amountBelowDust(amount: Amount, dust: Amount)
    case peerUnreachable(url: String, reason: String)
    case peerNotConnected(Hash32)
    case peerRefused(String)
    case windowOutOfBounds(window: UInt32, minimum: UInt32, maximum: UInt32)
    case notOpen(Hash32, ChannelRecord.Status)
    case funding(String)
    case node(String)
    case store(ClientStoreError)
    case protocolViolation(String)
    case timedOut(String)
    case notAGame(Hash32)

    public var description: String {
        switch self {
        case .unknownChannel(let id): "unknown channel \(id)"
        case .amountAboveBalance(let amount, let balance): "the amount \(amount) is above this side's balance of \(balance)"
        case .amountBelowDust(let amount, let dust): "the amount \(amount) is below the dust limit of \(dust)"
        case .peerUnreachable(let url, let reason): "the peer at \(url) is not reachable: \(reason)"
        case .peerNotConnected(let id): "the peer of channel \(id) is not connected"
        case .peerRefused(let reason): "the peer refused: \(reason)"
        case .windowOutOfBounds(let window, let minimum, let maximum): "a window of \(window) blocks is outside [\(minimum), \(maximum)]"
        case .notOpen(let id, let status): "channel \(id) is \(status.rawValue), not open"
        case .funding(let reason): "cannot fund the channel: \(reason)"
        case .node(let reason): "the node failed: \(reason)"
        case .store(let error): error.description
        case .protocolViolation(let reason): "the peer broke the protocol: \(reason)"
        case .timedOut(let what): "timed out waiting for \(what)"
        case .notAGame(let id): "channel \(id) runs no game"
        }
    }
}
