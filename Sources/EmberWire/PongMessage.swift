import EmberCore

/// Answers a `PingMessage`, echoing its nonce so the sender can match the reply and time it.
public struct PongMessage: WirePayload {
    public static let command = WireCommand.pong
    public static let maxPayloadSize = 8

    /// A number the sender chose to match the ping with its pong.
    public var nonce: UInt64

    public init(nonce: UInt64) {
        self.nonce = nonce
    }
}

extension PongMessage {
    public static let codecName = "pong"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt64(nonce)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PongMessage {
        PongMessage(nonce: try reader.readUInt64(field: "nonce"))
    }
}
