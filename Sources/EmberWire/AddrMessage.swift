import EmberCore

/// Shares addresses of peers, in answer to a `GetAddrMessage` or unprompted.
public struct AddrMessage: WirePayload {
    public static let command = WireCommand.addr
    /// Bounds how fast one peer can fill our address book with addresses of its choosing.
    public static let maxAddresses = 1_000
    public static let maxPayloadSize =
        Varint.encodedSize(of: UInt128(maxAddresses)) + maxAddresses * PeerAddress.encodedSize

    public var addresses: [PeerAddress]

    public init(addresses: [PeerAddress]) {
        self.addresses = addresses
    }
}

extension AddrMessage {
    public static let codecName = "addr"

    public func encode(to writer: inout ByteWriter) {
        writer.writeList(addresses)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> AddrMessage {
        AddrMessage(addresses: try reader.readList(of: PeerAddress.self, limit: maxAddresses, field: "addresses"))
    }
}
