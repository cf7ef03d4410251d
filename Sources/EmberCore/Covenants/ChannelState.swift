import EmberCrypto

/// One numbered state of a channel (DESIGN.md section 16): who gets the channel's coin if it settles here,
/// and the app's data. Both parties sign its hash (`ChannelState.hash(network:)`) to agree on it.
///
/// On the wire: `channelId 32 | version u64 | isFinal u8 | balances [Output] (1…8) | appData bytes (≤ 4 096)`.
/// The decoder is strict: isFinal is 0 or 1, 1 to 8 balances, at most 4 096 bytes of app data.
public struct ChannelState: Hashable, Sendable {
    /// The most balances a state may split the channel into.
    public static let maxBalances = 8
    /// The most bytes of app data a state may carry.
    public static let maxAppDataSize = 4_096

    public var channelId: Hash32
    /// Increases by one with each update; a higher version overrides a lower one.
    public var version: UInt64
    /// Whether the parties meant this state to close the channel (a u8 0 or 1).
    public var isFinal: Bool
    /// The outputs the channel's coin goes to if it settles here.
    public var balances: [Output]
    /// The app's own state (a board, a score); empty for payment channels.
    public var appData: [UInt8]

    public init(channelId: Hash32, version: UInt64, isFinal: Bool, balances: [Output], appData: [UInt8] = []) {
        self.channelId = channelId
        self.version = version
        self.isFinal = isFinal
        self.balances = balances
        self.appData = appData
    }

    /// `stateHash(S) = H("ember/channel-state/v1" ‖ networkId ‖ S)`: what both parties sign.
    public func hash(network: NetworkID) -> Hash32 {
        Layer2SignatureDomain.channelState.digest(network: network, message: encoded)
    }
}

extension ChannelState: CanonicalCodable {
    public static let codecName = "channelState"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(channelId)
        writer.writeUInt64(version)
        writer.writeFlag(isFinal)
        writer.writeList(balances)
        writer.writeByteString(appData)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> ChannelState {
        let channelId = try reader.readHash(field: "channelId")
        let version = try reader.readUInt64(field: "version")
        let isFinal = try reader.readFlag(field: "isFinal")
        let balances = try reader.readList(of: Output.self, limit: maxBalances, field: "balances")
        guard !balances.isEmpty else { throw DecodingError(.emptyList, at: "balances") }
        let appData = try reader.readByteString(limit: maxAppDataSize, field: "appData")
        return ChannelState(channelId: channelId, version: version, isFinal: isFinal, balances: balances, appData: appData)
    }
}

extension ChannelParams {
    /// `channelId = H("ember/channel/v1" ‖ networkId ‖ funding outpoint ‖ ChannelParams)`: binds every
    /// state to one funding output, so a state of one channel never counts in another.
    public func channelId(network: NetworkID, funding: OutPoint) -> Hash32 {
        var hasher = Blake3Hasher()
        hasher.update(Array("ember/channel/v1".utf8))
        hasher.update([network.rawValue])
        hasher.update(funding.encoded)
        hasher.update(encoded)
        return hasher.finalize()
    }

    /// Whether the app program is set (32 zero bytes mean payments only).
    public var hasApp: Bool { app != Hash32.zero }
}
