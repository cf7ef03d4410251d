import EmberCore
import EmberCrypto

/// The first message each side sends: who it is, which chain it follows and how far it got.
public struct VersionMessage: WirePayload {
    public static let command = WireCommand.version
    /// Bounds the text a peer can make us store and log about itself.
    public static let maxUserAgentSize = 256
    /// Bounds the work field; 64 bytes hold far more work than a 256-bit hash space can ever sum to.
    public static let maxCumulativeWorkSize = 64
    public static let maxPayloadSize =
        4 + 1 + Hash32.byteCount + 8 + 1 + maxCumulativeWorkSize + 8 + 2 + maxUserAgentSize
    /// The wire protocol version this code speaks.
    public static let currentProtocolVersion: UInt32 = 1

    /// The wire protocol version the sender speaks.
    public var protocolVersion: UInt32
    /// The sender's network; a peer on another network is disconnected.
    public var network: NetworkID
    /// The sender's genesis block hash; a peer with another genesis follows another chain.
    public var genesisHash: Hash32
    /// The height of the sender's best block.
    public var bestHeight: UInt64
    /// The cumulative work of the sender's best chain, big-endian, as the sender wrote it.
    public var cumulativeWork: [UInt8]
    /// A random number per connection: receiving our own nonce means we connected to ourselves.
    public var nonce: UInt64
    /// The sender's software, as UTF-8 bytes (kept as bytes so that any sequence round-trips).
    public var userAgent: [UInt8]

    public init(
        protocolVersion: UInt32 = VersionMessage.currentProtocolVersion,
        network: NetworkID,
        genesisHash: Hash32,
        bestHeight: UInt64,
        cumulativeWork: [UInt8],
        nonce: UInt64,
        userAgent: [UInt8]
    ) {
        self.protocolVersion = protocolVersion
        self.network = network
        self.genesisHash = genesisHash
        self.bestHeight = bestHeight
        self.cumulativeWork = cumulativeWork
        self.nonce = nonce
        self.userAgent = userAgent
    }

    /// The user agent as text, with invalid UTF-8 replaced, for logs and the API.
    public var userAgentText: String { String(decoding: userAgent, as: UTF8.self) }
}

extension VersionMessage {
    public static let codecName = "version"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt32(protocolVersion)
        writer.writeUInt8(network.rawValue)
        writer.writeHash(genesisHash)
        writer.writeUInt64(bestHeight)
        writer.writeByteString(cumulativeWork)
        writer.writeUInt64(nonce)
        writer.writeByteString(userAgent)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> VersionMessage {
        let protocolVersion = try reader.readUInt32(field: "protocolVersion")
        let networkByte = try reader.readUInt8(field: "network")
        guard let network = NetworkID(rawValue: networkByte) else {
            throw DecodingError(.unknownTag(networkByte), at: "network")
        }
        return VersionMessage(
            protocolVersion: protocolVersion,
            network: network,
            genesisHash: try reader.readHash(field: "genesisHash"),
            bestHeight: try reader.readUInt64(field: "bestHeight"),
            cumulativeWork: try reader.readByteString(limit: maxCumulativeWorkSize, field: "cumulativeWork"),
            nonce: try reader.readUInt64(field: "nonce"),
            userAgent: try reader.readByteString(limit: maxUserAgentSize, field: "userAgent")
        )
    }
}
