import EmberCore

/// Asks a peer for addresses of other peers it knows; it answers with an `AddrMessage`.
public struct GetAddrMessage: WirePayload {
    public static let command = WireCommand.getAddr
    public static let maxPayloadSize = 0

    public init() {}
}

extension GetAddrMessage {
    public static let codecName = "getaddr"

    public func encode(to writer: inout ByteWriter) {}

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> GetAddrMessage {
        GetAddrMessage()
    }
}
