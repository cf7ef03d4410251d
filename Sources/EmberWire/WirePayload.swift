import EmberCore

/// A message body with a fixed command code and a maximum encoded size.
public protocol WirePayload: CanonicalCodable, Hashable {
    /// The command code that announces this payload in a frame header.
    static var command: WireCommand { get }
    /// The largest payload this message can have; decoding refuses anything longer.
    static var maxPayloadSize: Int { get }
}

extension WirePayload {
    /// Decodes a payload that must span all of `bytes`, within `maxPayloadSize`.
    public static func decode(payload bytes: [UInt8]) throws(DecodingError) -> Self {
        try decode(from: bytes, limit: maxPayloadSize)
    }
}
