import EmberCrypto

/// The parameters a state channel is opened with (DESIGN.md section 16); the body of lock tag 1.
///
/// On the wire: `keyA 32 | keyB 32 | window u32 | app 32`.
public struct ChannelParams: Hashable, Sendable {
    /// The first party's key.
    public var keyA: RawPublicKey
    /// The second party's key.
    public var keyB: RawPublicKey
    /// The dispute window in blocks.
    public var window: UInt32
    /// The hash of the app program run by force-moves; 32 zero bytes for payments only.
    public var app: Hash32

    public init(keyA: RawPublicKey, keyB: RawPublicKey, window: UInt32, app: Hash32) {
        self.keyA = keyA
        self.keyB = keyB
        self.window = window
        self.app = app
    }
}

extension ChannelParams: CanonicalCodable {
    public static let codecName = "channelParams"

    public func encode(to writer: inout ByteWriter) {
        writer.writeKey(keyA)
        writer.writeKey(keyB)
        writer.writeUInt32(window)
        writer.writeHash(app)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> ChannelParams {
        ChannelParams(
            keyA: try reader.readKey(field: "keyA"),
            keyB: try reader.readKey(field: "keyB"),
            window: try reader.readUInt32(field: "window"),
            app: try reader.readHash(field: "app")
        )
    }
}
