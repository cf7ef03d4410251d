import EmberCore

/// Acknowledges a peer's `VersionMessage`; the handshake is complete once both sides sent one.
public struct VerackMessage: WirePayload {
    public static let command = WireCommand.verack
    public static let maxPayloadSize = 0

    public init() {}
}

extension VerackMessage {
    public static let codecName = "verack"

    public func encode(to writer: inout ByteWriter) {}

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> VerackMessage {
        VerackMessage()
    }
}
