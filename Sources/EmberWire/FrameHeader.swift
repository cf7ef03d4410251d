import EmberCrypto

/// The fixed 13 bytes before every payload: magic, command, payload length and checksum.
public struct FrameHeader: Hashable, Sendable {
    /// The header's size on the wire.
    public static let size = 13
    /// The first three magic bytes, `"EMB"`; the fourth is the network id.
    public static let magicPrefix: [UInt8] = Array("EMB".utf8)

    public var network: NetworkID
    public var commandCode: UInt8
    public var payloadLength: UInt32
    /// The first 4 bytes of Blake3(payload).
    public var checksum: [UInt8]

    /// The 4 magic bytes that open every frame on `network`.
    public static func magic(for network: NetworkID) -> [UInt8] {
        magicPrefix + [network.rawValue]
    }

    /// The checksum of `payload`: the first 4 bytes of its Blake3 hash.
    public static func checksum(of payload: [UInt8]) -> [UInt8] {
        Array(Blake3.hash(payload).bytes.prefix(4))
    }

    public init(network: NetworkID, commandCode: UInt8, payloadLength: UInt32, checksum: [UInt8]) {
        self.network = network
        self.commandCode = commandCode
        self.payloadLength = payloadLength
        self.checksum = checksum
    }

    /// Parses the first `FrameHeader.size` bytes of `bytes`, or returns nil when there are fewer.
    ///
    /// Fails on a magic other than `network`'s and on a payload length over `Frame.maxPayloadSize`, so an
    /// oversize frame is refused before anyone waits for, or allocates, its payload.
    public init?(parsing bytes: some Collection<UInt8>, network: NetworkID) throws(WireError) {
        let header = Array(bytes.prefix(Self.size))
        guard header.count == Self.size else { return nil }
        let expectedMagic = Self.magic(for: network)
        guard header[0..<4].elementsEqual(expectedMagic) else {
            throw .badMagic(expected: expectedMagic, received: Array(header[0..<4]))
        }
        let length = header[5..<9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard length <= Frame.maxPayloadSize else { throw .frameTooLarge(length: length, limit: Frame.maxPayloadSize) }
        self.init(network: network, commandCode: header[4], payloadLength: length, checksum: Array(header[9..<13]))
    }

    /// The header's 13 bytes.
    public var encoded: [UInt8] {
        var bytes = Self.magic(for: network)
        bytes.reserveCapacity(Self.size)
        bytes.append(commandCode)
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: payloadLength >> UInt32(shift)))
        }
        bytes += checksum
        return bytes
    }
}
