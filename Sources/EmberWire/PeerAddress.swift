import EmberCore

/// Where a peer can be reached, and when it was last seen working.
public struct PeerAddress: Hashable, Sendable {
    /// The encoded size: 16 address bytes, a 2-byte port and an 8-byte time.
    public static let encodedSize = 16 + 2 + 8

    /// An IPv6 address, or an IPv4 one mapped into IPv6 (`::ffff:a.b.c.d`), in network byte order.
    public private(set) var ipBytes: [UInt8]
    public var port: UInt16
    /// When the peer was last seen, in milliseconds since the Unix epoch.
    public var lastSeen: UInt64

    /// An address from its 16 IPv6 bytes; nil unless there are exactly 16.
    public init?(ipBytes: [UInt8], port: UInt16, lastSeen: UInt64) {
        guard ipBytes.count == 16 else { return nil }
        self.init(checkedIPBytes: ipBytes, port: port, lastSeen: lastSeen)
    }

    private init(checkedIPBytes ipBytes: [UInt8], port: UInt16, lastSeen: UInt64) {
        self.ipBytes = ipBytes
        self.port = port
        self.lastSeen = lastSeen
    }

    /// An IPv4 address, stored IPv4-mapped.
    public init(ipv4 octets: (UInt8, UInt8, UInt8, UInt8), port: UInt16, lastSeen: UInt64) {
        let mapped = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, octets.0, octets.1, octets.2, octets.3]
        self.init(checkedIPBytes: mapped, port: port, lastSeen: lastSeen)
    }
}

extension PeerAddress: CanonicalCodable {
    public static let codecName = "peerAddress"

    public func encode(to writer: inout ByteWriter) {
        writer.writeRawBytes(ipBytes)
        writer.writeUInt8(UInt8(truncatingIfNeeded: port >> 8))
        writer.writeUInt8(UInt8(truncatingIfNeeded: port))
        writer.writeUInt64(lastSeen)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PeerAddress {
        let ipBytes = try reader.readRawBytes(count: 16, field: "ipBytes")
        let portHigh = try reader.readUInt8(field: "port")
        let portLow = try reader.readUInt8(field: "port")
        let lastSeen = try reader.readUInt64(field: "lastSeen")
        return PeerAddress(checkedIPBytes: ipBytes, port: UInt16(portHigh) << 8 | UInt16(portLow), lastSeen: lastSeen)
    }
}
