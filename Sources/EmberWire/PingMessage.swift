import EmberCore

/// Checks that a peer is alive; it answers with a `PongMessage` carrying the same nonce.
public struct PingMessage: WirePayload {
    public static let command = WireCommand.ping
    public static let maxPayloadSize = 8

    /// A number the sender chose to match the ping with its pong.
    public var nonce: UInt64

    public init(nonce: UInt64) {
        self.nonce = nonce
    }
}

extension PingMessage {
    public static let codecName = "ping"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt64(nonce)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PingMessage {
        PingMessage(nonce: try reader.readUInt64(field: "nonce"))
    }
}
