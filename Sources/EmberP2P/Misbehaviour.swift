import EmberWire

/// A protocol violation and the points it costs the peer; at `MisbehaviourScore.ban` (100) the peer is
/// banned. Faults that prove bad faith cost everything at once; faults an honest but slow or
/// out-of-date peer could commit cost a little.
public enum Misbehaviour: Sendable, Equatable, CustomStringConvertible {
    /// A frame with a wrong magic, an oversize length, a bad checksum or a payload that does not decode.
    case malformedFrame(String)
    /// A block or header that breaks a consensus rule.
    case invalidBlock(String)
    /// A transaction that breaks a consensus rule.
    case invalidTransaction(String)
    /// A block, transaction or headers message we did not ask for.
    case unrequested(String)
    /// Anything but version or verack before the handshake is done, or a second version.
    case outOfHandshake(String)
    /// Headers that do not connect to anything we know.
    case disconnectedHeaders
    /// A block we asked for did not arrive in time.
    case slow
    /// A command this version does not know; a newer peer may send it honestly.
    case unknownCommand(UInt8)
    /// A request beyond what the protocol allows, such as more than 16 blocks at once.
    case excessiveRequest(String)

    public var points: Int {
        switch self {
        case .malformedFrame, .invalidBlock: MisbehaviourScore.ban
        case .invalidTransaction: 10
        case .unrequested: 5
        case .outOfHandshake: 10
        case .disconnectedHeaders: 10
        case .slow: 20
        case .unknownCommand: MisbehaviourScore.unknownCommand
        case .excessiveRequest: 10
        }
    }

    public var description: String {
        switch self {
        case .malformedFrame(let detail): "malformed frame: \(detail)"
        case .invalidBlock(let detail): "invalid block: \(detail)"
        case .invalidTransaction(let detail): "invalid transaction: \(detail)"
        case .unrequested(let what): "unrequested \(what)"
        case .outOfHandshake(let what): "\(what) outside the handshake order"
        case .disconnectedHeaders: "headers that connect to nothing we know"
        case .slow: "a requested block did not arrive in time"
        case .unknownCommand(let code): "unknown command \(code)"
        case .excessiveRequest(let detail): "excessive request: \(detail)"
        }
    }
}
