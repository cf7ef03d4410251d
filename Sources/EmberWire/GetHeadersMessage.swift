import EmberCore
import EmberCrypto

/// Asks for the headers that follow the first locator hash the receiver has on its best chain.
public struct GetHeadersMessage: WirePayload {
    public static let command = WireCommand.getHeaders
    /// Bounds the lookups one request costs: enough for an exponentially spaced locator of any chain.
    public static let maxLocatorHashes = 101
    public static let maxPayloadSize =
        Varint.encodedSize(of: UInt128(maxLocatorHashes)) + (maxLocatorHashes + 1) * Hash32.byteCount

    /// Block hashes from the sender's tip backwards, dense first then exponentially spaced.
    public var locator: [Hash32]
    /// The last header wanted, or `Hash32.zero` for as many as one `HeadersMessage` holds.
    public var stopHash: Hash32

    public init(locator: [Hash32], stopHash: Hash32 = .zero) {
        self.locator = locator
        self.stopHash = stopHash
    }
}

extension GetHeadersMessage {
    public static let codecName = "getheaders"

    public func encode(to writer: inout ByteWriter) {
        writer.writeCount(locator.count)
        for hash in locator { writer.writeHash(hash) }
        writer.writeHash(stopHash)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> GetHeadersMessage {
        let locator = try reader.readList(limit: maxLocatorHashes, field: "locator") { reader throws(DecodingError) in
            try reader.readHash(field: nil)
        }
        return GetHeadersMessage(locator: locator, stopHash: try reader.readHash(field: "stopHash"))
    }
}
