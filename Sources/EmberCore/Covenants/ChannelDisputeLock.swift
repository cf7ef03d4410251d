import EmberCrypto

/// A channel under dispute (DESIGN.md section 16); the body of lock tag 2.
///
/// On the wire: `channelId 32 | ChannelParams | version u64 | stateHash 32 | deadline u64 | forced u8`.
public struct ChannelDisputeLock: Hashable, Sendable {
    public var channelId: Hash32
    public var params: ChannelParams
    /// The version of the state the dispute stands on.
    public var version: UInt64
    /// The hash of that state.
    public var stateHash: Hash32
    /// The height from which the state settles.
    public var deadline: UInt64
    /// Whether the state came from a force-move rather than both parties' signatures (a u8 0 or 1).
    public var forced: Bool

    public init(
        channelId: Hash32, params: ChannelParams, version: UInt64, stateHash: Hash32, deadline: UInt64, forced: Bool
    ) {
        self.channelId = channelId
        self.params = params
        self.version = version
        self.stateHash = stateHash
        self.deadline = deadline
        self.forced = forced
    }
}

extension ChannelDisputeLock: CanonicalCodable {
    public static let codecName = "channelDispute"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(channelId)
        params.encode(to: &writer)
        writer.writeUInt64(version)
        writer.writeHash(stateHash)
        writer.writeUInt64(deadline)
        writer.writeFlag(forced)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> ChannelDisputeLock {
        ChannelDisputeLock(
            channelId: try reader.readHash(field: "channelId"),
            params: try reader.read(ChannelParams.self, field: "params"),
            version: try reader.readUInt64(field: "version"),
            stateHash: try reader.readHash(field: "stateHash"),
            deadline: try reader.readUInt64(field: "deadline"),
            forced: try reader.readFlag(field: "forced")
        )
    }
}
