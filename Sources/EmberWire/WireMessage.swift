import EmberCore

/// Any message a peer can send, decoded from a frame's command and payload.
public enum WireMessage: Hashable, Sendable {
    case version(VersionMessage)
    case verack
    case ping(PingMessage)
    case pong(PongMessage)
    case getHeaders(GetHeadersMessage)
    case headers(HeadersMessage)
    case inventory(InventoryMessage)
    case getData(GetDataMessage)
    case block(BlockMessage)
    case transaction(TransactionMessage)
    case notFound(NotFoundMessage)
    case getAddr
    case addr(AddrMessage)
    /// A command this node does not know, kept undecoded so the peer layer can skip it and score it lightly
    /// (`MisbehaviourScore.unknownCommand`).
    case unknown(command: UInt8, payload: [UInt8])

    /// The command code of the frame that carries this message.
    public var commandCode: UInt8 {
        switch self {
        case .unknown(let command, _): command
        default: knownPayload.map { type(of: $0).command.rawValue } ?? 0
        }
    }

    /// The payload bytes of the frame that carries this message.
    public var encodedPayload: [UInt8] {
        switch self {
        case .unknown(_, let payload): payload
        default: knownPayload?.encoded ?? []
        }
    }

    /// The message as its payload type, or nil for `.unknown`.
    public var knownPayload: (any WirePayload)? {
        switch self {
        case .version(let message): message
        case .verack: VerackMessage()
        case .ping(let message): message
        case .pong(let message): message
        case .getHeaders(let message): message
        case .headers(let message): message
        case .inventory(let message): message
        case .getData(let message): message
        case .block(let message): message
        case .transaction(let message): message
        case .notFound(let message): message
        case .getAddr: GetAddrMessage()
        case .addr(let message): message
        case .unknown: nil
        }
    }

    /// Decodes `payload` as the message `commandCode` announces, within that message's limits.
    ///
    /// An unknown command is not an error: it yields `.unknown` with the payload as it came.
    public static func decode(commandCode: UInt8, payload: [UInt8]) throws(WireError) -> WireMessage {
        guard let command = WireCommand(rawValue: commandCode) else {
            return .unknown(command: commandCode, payload: payload)
        }
        do throws(DecodingError) {
            switch command {
            case .version: return .version(try .decode(payload: payload))
            case .verack: _ = try VerackMessage.decode(payload: payload); return .verack
            case .ping: return .ping(try .decode(payload: payload))
            case .pong: return .pong(try .decode(payload: payload))
            case .getHeaders: return .getHeaders(try .decode(payload: payload))
            case .headers: return .headers(try .decode(payload: payload))
            case .inventory: return .inventory(try .decode(payload: payload))
            case .getData: return .getData(try .decode(payload: payload))
            case .block: return .block(try .decode(payload: payload))
            case .transaction: return .transaction(try .decode(payload: payload))
            case .notFound: return .notFound(try .decode(payload: payload))
            case .getAddr: _ = try GetAddrMessage.decode(payload: payload); return .getAddr
            case .addr: return .addr(try .decode(payload: payload))
            }
        } catch {
            throw .malformedPayload(command, error)
        }
    }
}
