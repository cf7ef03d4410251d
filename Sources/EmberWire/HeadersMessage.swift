import EmberCore

/// Answers a `GetHeadersMessage` with consecutive headers of the sender's best chain.
public struct HeadersMessage: WirePayload {
    public static let command = WireCommand.headers
    /// Bounds the validation work and memory one message costs during header sync.
    public static let maxHeaders = 2_000
    public static let maxPayloadSize =
        Varint.encodedSize(of: UInt128(maxHeaders)) + maxHeaders * BlockHeader.encodedSize

    /// Headers in chain order, each the parent of the next.
    public var headers: [BlockHeader]

    public init(headers: [BlockHeader]) {
        self.headers = headers
    }
}

extension HeadersMessage {
    public static let codecName = "headers"

    public func encode(to writer: inout ByteWriter) {
        writer.writeList(headers)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> HeadersMessage {
        HeadersMessage(headers: try reader.readList(of: BlockHeader.self, limit: maxHeaders, field: "headers"))
    }
}
