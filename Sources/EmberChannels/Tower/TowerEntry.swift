import EmberCore
import EmberCrypto

/// What a party gives a watchtower for one channel: enough to recognise the channel on layer 1 and the
/// latest co-signed state to answer a stale dispute with. The tower keeps one entry per channel and
/// replaces it with each newer state (override means the latest state is all it needs).
///
/// On the wire (the HTTP body the tower accepts): `network u8 | ChannelParams | funding OutPoint |
/// CoSignedState`, at most `maxEncodedSize` bytes.
public struct TowerEntry: Hashable, Sendable {
    /// Bounds the body of a request to the tower: a state with 8 balances and the full 4 096 bytes of
    /// app data fits with room to spare, and no client can make the tower parse more.
    public static let maxEncodedSize = 16 * 1_024

    public var network: NetworkID
    public var params: ChannelParams
    public var funding: OutPoint
    public var latest: CoSignedState

    public init(network: NetworkID, params: ChannelParams, funding: OutPoint, latest: CoSignedState) {
        self.network = network
        self.params = params
        self.funding = funding
        self.latest = latest
    }

    /// The channel's id, computed from the network, funding outpoint and parameters.
    public var channelId: Hash32 { params.channelId(network: network, funding: funding) }

    /// The entry in an untrusted request body, checked for size before any byte is parsed.
    public static func decode(body: [UInt8]) throws(TowerError) -> TowerEntry {
        guard body.count <= maxEncodedSize else { throw .bodyTooLarge(size: body.count, limit: maxEncodedSize) }
        do {
            return try decode(from: body, limit: maxEncodedSize)
        } catch {
            throw .malformed("\(error)")
        }
    }
}

extension TowerEntry: CanonicalCodable {
    public static let codecName = "towerEntry"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt8(network.rawValue)
        params.encode(to: &writer)
        funding.encode(to: &writer)
        latest.encode(to: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TowerEntry {
        let rawNetwork = try reader.readUInt8(field: "network")
        guard let network = NetworkID(rawValue: rawNetwork) else { throw DecodingError(.unknownTag(rawNetwork), at: "network") }
        return TowerEntry(
            network: network, params: try reader.read(ChannelParams.self, field: "params"),
            funding: try reader.read(OutPoint.self, field: "funding"), latest: try reader.read(CoSignedState.self, field: "latest"))
    }
}
