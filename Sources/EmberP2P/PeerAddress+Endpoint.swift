import EmberWire

extension PeerAddress {
    /// The address of `endpoint` as gossip carries it; nil unless its host is an IPv4 address (or
    /// `localhost`), since we dial by address and never resolve names from peers.
    init?(endpoint: PeerEndpoint, lastSeen: UInt64) {
        guard let octets = Self.ipv4Octets(endpoint.host), let port = UInt16(exactly: endpoint.port) else { return nil }
        self.init(ipv4: octets, port: port, lastSeen: lastSeen)
    }

    /// Where to dial the address; nil for an IPv6 address (not dialed in this version) or port 0.
    var endpoint: PeerEndpoint? {
        guard port != 0, ipBytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] else { return nil }
        let host = ipBytes.suffix(4).map(String.init).joined(separator: ".")
        return PeerEndpoint(host: host, port: Int(port))
    }

    /// The four octets of a dotted IPv4 address (`localhost` is 127.0.0.1); nil for anything else.
    static func ipv4Octets(_ host: String) -> (UInt8, UInt8, UInt8, UInt8)? {
        if host == "localhost" { return (127, 0, 0, 1) }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 4, let a = parts[0], let b = parts[1], let c = parts[2], let d = parts[3] else { return nil }
        return (a, b, c, d)
    }
}
